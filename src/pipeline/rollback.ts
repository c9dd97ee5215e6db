import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { BackendError } from '../util/errors.ts';
import { findLiveRelease, isEmpty } from './live-release.ts';
import { Annotation } from './names.ts';

/**
 * Sends all traffic back to the stable and deletes the canary, the baseline and the clones. The
 * stable is never touched. Idempotent; every deletion is attempted even when one fails. With `onlyRun`
 * (a run rolling back its own release), an object carrying another run's id is left alone.
 */
export async function rollBack(
  cluster: Cluster,
  workload: string,
  options: { platform: Platform; router: TrafficRouter; onlyRun?: string },
): Promise<boolean> {
  const { platform } = options;
  for (const object of options.router.reset()) await cluster.apply(object);
  const live = await findLiveRelease(cluster, workload);
  if (isEmpty(live)) return false;
  const objects = [live.canary, live.baseline, ...live.clones].filter((o): o is KubeObject => {
    const owner = o?.metadata.annotations?.[Annotation.runId];
    if (!o || !options.onlyRun || !owner || owner === options.onlyRun) return o !== undefined;
    platform.warning(`left ${o.kind} ${o.metadata.name} alone: it belongs to run ${owner}, not to this run`);
    return false;
  });
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
