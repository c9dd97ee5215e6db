import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import { createRouter } from '../traffic/registry.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { RouterAnnotation } from '../traffic/weights.ts';

const ACCEPT_TIMEOUT_MS = 60_000;

/**
 * The router that placed a live canary, from the annotations it recorded (a `rollback` or `cleanup` from
 * another job, without the run's config), else `fallback`.
 */
export function routerOf(
  canary: KubeObject | undefined,
  fallback: TrafficRouter,
  context: { cluster: Cluster; platform: Platform; workload: string },
): TrafficRouter {
  const annotations = canary?.metadata.annotations ?? {};
  const name = annotations[RouterAnnotation.router];
  if (!name || name === fallback.name) return fallback;
  const route = annotations[RouterAnnotation.route];
  const service = annotations[RouterAnnotation.service];
  return createRouter(name, {
    ...context,
    acceptTimeoutMs: ACCEPT_TIMEOUT_MS,
    traffic: {
      router: name as 'gateway-api',
      steps: [],
      baseline: true,
      ...(route ? { route } : {}),
      ...(service ? { service } : {}),
    },
  });
}
