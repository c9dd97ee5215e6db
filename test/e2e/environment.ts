/**
 * The release environment the e2e tests and the demo share: the Kubernetes sandbox, a real Prometheus
 * scraping its pods through the targets file, a stable `web` Deployment behind a Service, and steady
 * traffic through the Service's listener. Everything on 127.0.0.1; stop() ends every process.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dump } from 'js-yaml';
import { startSandbox, type Rule, type Sandbox } from '../sandbox/index.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { apiRequest, waitFor } from '../integration/sandbox/helpers.ts';

export const WORKLOAD = 'web';
export const REPOSITORY = 'localhost:5000/team/web';
export const SIDECAR_IMAGE = 'localhost:5000/team/web-sidecar:1.0.0';

export interface ReleaseEnvironment {
  sandbox: Sandbox;
  prometheus?: RunningPrometheus;
  traffic?: TrafficGenerator;
  dir: string;
  namespace: string;
  /** Admin reads of the sandbox API. */
  get(path: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  prometheus?: boolean;
  trafficPerSecond?: number;
  ciRules?: Rule[];
  stableReplicas?: number;
  /** Repository of the stable's image (default REPOSITORY). */
  repository?: string;
}

/** Images whose reference contains "missing" cannot be pulled. */
const imageExists = async (image: string) => !image.includes('missing');

export function webDeployment(options: {
  image: string;
  replicas?: number;
  env?: Record<string, string>;
  namespace: string;
  configMap?: string;
}): Record<string, unknown> {
  const labels = { app: WORKLOAD, track: 'stable' };
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
        metadata: { labels },
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

export async function startReleaseEnvironment(options: EnvironmentOptions = {}): Promise<ReleaseEnvironment> {
  const sandbox = await startSandbox({
    timeScale: 0.2,
    imageExists,
    ...(options.ciRules ? { ciRules: options.ciRules } : {}),
  });
  const namespace = sandbox.namespace;
  const stoppers: Array<() => Promise<unknown>> = [() => sandbox.stop()];
  const stop = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => undefined);
  };
  try {
    const env: ReleaseEnvironment = {
      sandbox,
      dir: path.join(sandbox.dir, 'release'),
      namespace,
      async get(p) {
        const res = await apiRequest(sandbox, 'GET', p);
        return res.status === 404 ? undefined : res.json;
      },
      stop,
    };
    await mkdir(env.dir, { recursive: true });
    const create = async (p: string, body: unknown) => {
      const res = await apiRequest(sandbox, 'POST', p, { body });
      if (res.status !== 201) throw new Error(`POST ${p}: ${res.status} ${res.text}`);
    };
    const replicas = options.stableReplicas ?? 2;
    await create(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      webDeployment({ image: `${options.repository ?? REPOSITORY}:1.0.0`, replicas, namespace }),
    );
    await create(`/api/v1/namespaces/${namespace}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: WORKLOAD, namespace },
      spec: { selector: { app: WORKLOAD }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await waitFor(
      'the stable to be ready',
      async () =>
        (await env.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${WORKLOAD}`))?.status
          ?.readyReplicas === replicas,
      120_000,
    );
    const port = await waitFor(
      'the Service listener',
      () => sandbox.listenerPort('service', namespace, WORKLOAD),
      60_000,
    );
    if (options.prometheus !== false) {
      await sandbox.flushTargets();
      env.prometheus = await startPrometheus({ fileSdPath: sandbox.targetsFile, scrapeIntervalSeconds: 1 });
      const prometheus = env.prometheus;
      stoppers.push(() => prometheus.stop());
    }
    if (options.trafficPerSecond) {
      env.traffic = startTrafficGenerator({
        url: `http://127.0.0.1:${port}/`,
        ratePerSecond: options.trafficPerSecond,
      });
      const traffic = env.traffic;
      stoppers.splice(1, 0, () => traffic.stop());
    }
    return env;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Writes the new release's manifests (Deployment, optionally a ConfigMap) and returns the file. */
export async function writeManifests(
  env: ReleaseEnvironment,
  name: string,
  options: {
    image: string;
    env?: Record<string, string>;
    configData?: Record<string, string>;
    sidecar?: boolean;
  },
): Promise<string> {
  const deployment = webDeployment({
    image: options.image,
    namespace: env.namespace,
    ...(options.env ? { env: options.env } : {}),
    ...(options.configData ? { configMap: 'web-config' } : {}),
  });
  const documents: unknown[] = [deployment];
  if (options.configData) {
    documents.unshift({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
      data: options.configData,
    });
  }
  const file = path.join(env.dir, `${name}.yaml`);
  await writeFile(file, documents.map((d) => dump(d)).join('---\n'));
  return file;
}

/** A release config with short intervals: the whole analysis takes 2 s of warm-up and at most 20 s. */
export async function writeConfig(
  env: ReleaseEnvironment,
  name: string,
  options: { topLevel?: string; analysis?: string; minDuration?: string; maxDuration?: string } = {},
): Promise<string> {
  const file = path.join(env.dir, `${name}.yml`);
  await writeFile(
    file,
    `apiVersion: canary-action/v1
workload: deployment/${WORKLOAD}
namespace: ${env.namespace}
traffic: {router: replicas, steps: [50]}
lockWait: 10s
readyTimeout: 90s
${options.topLevel ?? ''}
analysis:
  provider: {type: prometheus, url: ${env.prometheus?.url ?? 'http://127.0.0.1:9'}}
  interval: 2s
  warmup: 2s
  minDuration: ${options.minDuration ?? '6s'}
  maxDuration: ${options.maxDuration ?? '20s'}
${options.analysis ?? ''}
  metrics:
    - {template: http-error-rate}
    - {template: http-latency}
`,
  );
  return file;
}
