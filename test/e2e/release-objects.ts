/**
 * The objects of the e2e release environment (the stable `web` Deployment, its Service, the in-cluster
 * traffic Deployment) and the demo-app image tags the tests use. No imports with side effects: the kind
 * workflow imports IMAGE_TAGS from here to push exactly these tags.
 */

export const WORKLOAD = 'web';
/** The sandbox's repository: every image "exists" there except tags containing "missing". */
export const REPOSITORY = 'localhost:5000/team/web';
export const SIDECAR_IMAGE = 'localhost:5000/team/web-sidecar:1.0.0';

/**
 * Every tag of the demo-app image the e2e tests deploy. The demo app reads its behaviour from env, so on a
 * real cluster all of them are the same image, pushed under each tag (.github/workflows/e2e-kind.yml).
 */
export const IMAGE_TAGS = [
  '1.0.0',
  '2.0.0',
  '3.0.0',
  '3.1.0',
  '4.0.0',
  '5.0.0',
  '6.0.0',
  '7.0.0',
  '8.0.0',
] as const;
export type ImageTag = (typeof IMAGE_TAGS)[number];
/** A tag that is never pushed: its pods end in ErrImagePull / ImagePullBackOff. */
export const MISSING_TAG = 'missing-4.1';
export type TestTag = ImageTag | typeof MISSING_TAG;
export const STABLE_TAG: ImageTag = '1.0.0';

/** What the external mode runs in the namespace besides the workload: deleted by stop(). */
export const TRAFFIC_DEPLOYMENT = 'e2e-traffic';
export const TRAFFIC_IMAGE = 'docker.io/library/busybox:1.36';

/** The pod annotations Prometheus' kubernetes-pods job (prometheus-community chart) scrapes by. */
export const SCRAPE_ANNOTATIONS = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' };

export function webDeployment(options: {
  image: string;
  replicas?: number;
  env?: Record<string, string>;
  namespace: string;
  configMap?: string;
  /** The stable's selector and pod labels; default `app: web, track: stable`. */
  labels?: Record<string, string>;
}): Record<string, unknown> {
  const labels = options.labels ?? { app: WORKLOAD, track: 'stable' };
  const env = Object.entries({
    DEMO_SUMMARY_INTERVAL_MS: '60000',
    // A spread of latencies, so the latency metric has bucket bounds with events on both sides.
    DEMO_LATENCY_MS: '5',
    DEMO_SLOW_FRACTION: '0.3',
    DEMO_SLOW_MS: '30',
    ...options.env,
  }).map(([name, value]) => ({
    name,
    value,
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: WORKLOAD, namespace: options.namespace, labels: { app: WORKLOAD } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: SCRAPE_ANNOTATIONS },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image,
              ports: [{ name: 'http', containerPort: 8080 }],
              env,
              ...(options.configMap ? { envFrom: [{ configMapRef: { name: options.configMap } }] } : {}),
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

export function webService(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: WORKLOAD, namespace },
    spec: { selector: { app: WORKLOAD }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

/**
 * Steady traffic from inside the cluster: `loops` shell loops each fetching http://web/ and pausing 0.1 s,
 * so about 10 requests per second per loop (a little less, since each request takes time).
 */
export function trafficDeployment(namespace: string, ratePerSecond: number): Record<string, unknown> {
  const loops = Math.max(1, Math.round(ratePerSecond / 10));
  const loop = `while true; do wget -q -T 5 -O /dev/null http://${WORKLOAD}/; sleep 0.1; done`;
  const labels = { app: TRAFFIC_DEPLOYMENT };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: TRAFFIC_DEPLOYMENT, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'traffic',
              image: TRAFFIC_IMAGE,
              command: ['sh', '-c', `for i in $(seq ${loops}); do (${loop}) & done; wait`],
            },
          ],
        },
      },
    },
  };
}
