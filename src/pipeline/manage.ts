import type { AccessCheck, Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { ConfigError } from '../util/errors.ts';
import { findLiveRelease, isEmpty, stateOf, type LiveRelease, type LiveState } from './live-release.ts';
import { canaryName, lockName } from './names.ts';
import { routerOf } from './live-router.ts';
import type { LiveNotify } from './notify.ts';
import { checkPermissions } from './preflight.ts';
import { promote, promotionFromCluster } from './promote.ts';
import { recordedStable } from './promotion-state.ts';
import { rollBack } from './rollback.ts';

/** What `promote`, `rollback` and `cleanup` share: the workload, the cluster and how long to wait. */
export interface ManageOptions {
  cluster: Cluster;
  platform: Platform;
  router: TrafficRouter;
  workload: string;
  requiredAccess: readonly AccessCheck[];
  lockHolder: string;
  lockWaitMs: number;
  readyTimeoutMs: number;
  rollbackDeadlineMs: number;
  signal: AbortSignal;
  /** Sends the decision about the live canary once the cluster work is done (config with notify:). */
  notify?: LiveNotify;
}

async function withLock<T>(options: ManageOptions, fn: () => Promise<T>): Promise<T> {
  const { cluster, platform, workload } = options;
  await cluster.version();
  // The router that will move traffic is the one the live canary recorded (else the config's): its rights too.
  const canary = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: canaryName(workload) });
  const router = routerOf(canary, options.router, { cluster, platform, workload });
  await checkPermissions(cluster, [...options.requiredAccess, ...router.access]);
  const lock = await cluster.acquireLock(lockName(workload), options.lockHolder, {
    leaseSeconds: 30,
    waitMs: options.lockWaitMs,
    signal: options.signal,
    onWait: (heldBy) => platform.info(`waiting for the lock ${lockName(workload)}, held by ${heldBy}`),
  });
  try {
    return await fn();
  } finally {
    await lock
      .release()
      .catch((error: Error) => platform.warning(`could not release the lock: ${error.message}`));
  }
}

export function describeLive(release: LiveRelease): string[] {
  if (isEmpty(release)) return ['no canary is live'];
  const lines: string[] = [];
  for (const deployment of [release.canary, release.baseline]) {
    if (!deployment) continue;
    const state = stateOf(deployment);
    const status = (deployment.status ?? {}) as { readyReplicas?: number; replicas?: number };
    const desired = (deployment.spec as { replicas?: number }).replicas ?? 1;
    lines.push(
      `${deployment.metadata.name}: phase ${state.phase}, revision ${state.revision}, image ${state.image}, ` +
        `${status.readyReplicas ?? 0}/${desired} ready, run ${state.runId}${state.runUrl ? ` (${state.runUrl})` : ''}, started ${state.startedAt}`,
    );
  }
  for (const clone of release.clones) lines.push(`${clone.kind} ${clone.metadata.name}`);
  return lines;
}

/** `status`: the live canary's state, read-only. */
export async function liveStatus(
  cluster: Cluster,
  workload: string,
): Promise<{ state?: LiveState; lines: string[] }> {
  const release = await findLiveRelease(cluster, workload);
  return { ...(release.canary ? { state: stateOf(release.canary) } : {}), lines: describeLive(release) };
}

/** `promote`: promotes the live canary (held, deployed or analysing); exit 0, or an error. */
export async function promoteLive(options: ManageOptions): Promise<string> {
  const { cluster, platform, workload } = options;
  const { image, canary } = await withLock(options, async () => {
    const release = await findLiveRelease(cluster, workload);
    if (!release.canary) {
      throw new ConfigError(
        'workload',
        `no live canary for deployment/${workload} in namespace "${cluster.namespace}": nothing to promote`,
      );
    }
    const state = stateOf(release.canary);
    platform.info(
      `promoting ${release.canary.metadata.name}: revision ${state.revision}, image ${state.image} (phase ${state.phase})`,
    );
    const promotion = promotionFromCluster(release.canary, release.clones);
    // A promotion tried again: the stable it recorded, not the live one (which may already be promoted).
    const stableBefore =
      recordedStable(release.canary)?.deployment ??
      (await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: workload }));
    if (!stableBefore)
      throw new ConfigError(
        'workload',
        `deployment/${workload} was not found in namespace "${cluster.namespace}"`,
      );
    const configsBefore = (
      await Promise.all(
        promotion.configs.map((c) => cluster.get({ apiVersion: 'v1', kind: c.kind, name: c.metadata.name })),
      )
    ).filter((o): o is KubeObject => o !== undefined);
    await promote(cluster, promotion, {
      workload,
      canary: release.canary,
      stableBefore,
      configsBefore,
      timeoutMs: options.readyTimeoutMs,
      rollbackDeadlineMs: options.rollbackDeadlineMs,
      signal: options.signal,
      platform,
      router: options.router,
    });
    return { image: state.image, canary: release.canary };
  });
  await options.notify?.('promoted', canary, `promoted by hand: deployment/${workload} runs ${image}`);
  return image;
}

/**
 * `rollback` (and `cleanup`): deletes what a run left. `onlyRun` limits it to one run id; `keepHeld`
 * leaves a canary held or deployed on purpose (a cancelled job's cleanup must not undo a manual hold).
 */
export async function rollbackLive(
  options: ManageOptions & { onlyRun?: string; keepHeld?: boolean; reason?: string },
): Promise<'rolled-back' | 'nothing' | 'skipped'> {
  const { cluster, platform, workload } = options;
  let removed: KubeObject | undefined;
  const result = await withLock(options, async () => {
    const release = await findLiveRelease(cluster, workload);
    if (isEmpty(release)) {
      platform.info(`no canary of deployment/${workload} is live: nothing to roll back`);
      return 'nothing' as const;
    }
    const state = release.canary ? stateOf(release.canary) : undefined;
    if (options.onlyRun && state && state.runId !== options.onlyRun) {
      platform.info(`the live canary belongs to run ${state.runId}, not ${options.onlyRun}: left alone`);
      return 'skipped' as const;
    }
    if (options.keepHeld && state && (state.phase === 'held' || state.phase === 'deployed')) {
      platform.info(`the live canary is ${state.phase} on purpose: left alone (use rollback to remove it)`);
      return 'skipped' as const;
    }
    const restores = release.canary !== undefined && recordedStable(release.canary) !== undefined;
    await rollBack(cluster, workload, {
      platform,
      router: options.router,
      deadlineMs: options.rollbackDeadlineMs,
      restoreStable: true,
    });
    platform.info(
      restores
        ? `rolled back: the interrupted promotion undone (deployment/${workload} as before), canary removed`
        : `rolled back: deployment/${workload} untouched, canary removed`,
    );
    removed = release.canary;
    return 'rolled-back' as const;
  });
  if (removed) await options.notify?.('rolled-back', removed, options.reason ?? 'rolled back by hand');
  return result;
}
