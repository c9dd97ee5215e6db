import type { Cluster, RolloutProgress } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';

/** Waits for every Deployment to be rolled out; the cluster layer fails fast on crash loops and pull errors. */
export async function waitReady(
  cluster: Cluster,
  names: readonly string[],
  options: { timeoutMs: number; signal: AbortSignal; platform: Platform },
): Promise<void> {
  const last = new Map<string, string>();
  const onProgress = (progress: RolloutProgress) => {
    const line = `${progress.name}: ${progress.ready}/${progress.desired} ready — ${progress.message}`;
    if (last.get(progress.name) === line) return;
    last.set(progress.name, line);
    options.platform.info(line);
  };
  await Promise.all(
    names.map((name) =>
      cluster.waitForRollout(name, { timeoutMs: options.timeoutMs, signal: options.signal, onProgress }),
    ),
  );
  options.platform.info(`ready: ${names.join(', ')}`);
}
