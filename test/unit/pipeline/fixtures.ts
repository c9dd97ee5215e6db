import type { KubeObject } from '../../../src/kube/types.ts';

export const NEW_IMAGE = 'localhost:5000/team/web:2.0.0';

export function deployment(options: {
  image: string;
  sidecar?: string;
  labels?: Record<string, string>;
  selector?: Record<string, string>;
  replicas?: number;
  configMap?: string;
  secret?: string;
}): KubeObject {
  const labels = options.labels ?? { app: 'web', track: 'stable' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } },
    spec: {
      replicas: options.replicas ?? 4,
      selector: { matchLabels: options.selector ?? labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image,
              env: [{ name: 'APP_VERSION', value: 'old' }],
              ...(options.configMap ? { envFrom: [{ configMapRef: { name: options.configMap } }] } : {}),
            },
            ...(options.sidecar ? [{ name: 'sidecar', image: options.sidecar }] : []),
          ],
          ...(options.secret ? { volumes: [{ name: 'creds', secret: { secretName: options.secret } }] } : {}),
        },
      },
    },
  };
}

export const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'demo' },
  data,
});

export const RUN = { runId: 'run-1', revision: 'abc123', startedAt: '2025-01-01T00:00:00.000Z' };
