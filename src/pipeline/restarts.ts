import type { Cluster, KubeObject } from '../kube/types.ts';
import { baselineName, canaryName } from './names.ts';

/** Container restarts (OOMKills included) of the canary's and the baseline's pods so far. */
export type RestartProbe = () => Promise<{ canary: number; baseline: number } | undefined>;

/**
 * Reads the pods of `<workload>-canary` and `<workload>-baseline` through their Deployments' selectors at every
 * poll, for the restarts guard. A read that fails skips the guard for that poll (it never fails the analysis).
 */
export function restartProbe(cluster: Cluster, workload: string): RestartProbe {
  const restartsOf = async (name: string): Promise<number> => {
    const deployment = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    const matchLabels = (
      deployment?.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined
    )?.selector?.matchLabels;
    if (!matchLabels) return 0;
    const selector = Object.entries(matchLabels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const pods = await cluster.list('v1', 'Pod', selector);
    return pods.reduce((sum, pod) => sum + podRestarts(pod), 0);
  };
  return async () => {
    try {
      const [canary, baseline] = await Promise.all([
        restartsOf(canaryName(workload)),
        restartsOf(baselineName(workload)),
      ]);
      return { canary, baseline };
    } catch {
      return undefined;
    }
  };
}

function podRestarts(pod: KubeObject): number {
  const status = pod.status as
    | {
        containerStatuses?: Array<{ restartCount?: number }>;
        initContainerStatuses?: Array<{ restartCount?: number }>;
      }
    | undefined;
  return [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].reduce(
    (sum, container) => sum + Math.max(0, container.restartCount ?? 0),
    0,
  );
}
