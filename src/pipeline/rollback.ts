import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { BackendError } from '../util/errors.ts';
import { findLiveRelease, isEmpty } from './live-release.ts';
import { routerOf } from './live-router.ts';

/**
 * Sends all traffic back to the stable (the router the live canary recorded, else the given one), then
 * deletes the canary, the baseline and the clones. The stable is never touched. Idempotent; every deletion is attempted even when one fails.
 */
export async function rollBack(
  cluster: Cluster,
  workload: string,
  options: { platform: Platform; router: TrafficRouter },
): Promise<boolean> {
  const { platform } = options;
  const before = await findLiveRelease(cluster, workload);
  await routerOf(before.canary, options.router, { cluster, platform, workload }).reset();
  const live = await findLiveRelease(cluster, workload);
  if (isEmpty(live)) return false;
  const objects = [live.canary, live.baseline, ...live.clones].filter(
    (o): o is KubeObject => o !== undefined,
  );
  const failures: string[] = [];
  for (const object of objects) {
    try {
      await cluster.delete({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name });
      platform.info(`deleted ${object.kind} ${object.metadata.name}`);
    } catch (error) {
      failures.push(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new BackendError(`rollback could not delete ${failures.join('; ')}`);
  return true;
}
