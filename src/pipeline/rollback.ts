import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import type { TrafficRouter } from '../traffic/router.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { formatDuration } from '../util/durations.ts';
import { BackendError, ConfigError, PermissionError } from '../util/errors.ts';
import { findLiveRelease, isEmpty, type LiveRelease } from './live-release.ts';
import { Annotation, baselineName, canaryName } from './names.ts';
import { routerOf } from './live-router.ts';
import { restorePromotion } from './promotion-state.ts';

export interface RollbackOptions {
  platform: Platform;
  router: TrafficRouter;
  /** How long failed attempts are retried (0: one attempt). */
  deadlineMs?: number;
  clock?: Clock;
  /** What the run knows it created (`Deployment web-canary` …): named as left when the API cannot be read. */
  known?: readonly string[];
  /** A killed promotion (phase promoting) is undone: the stable kept on the canary is applied again. */
  restoreStable?: boolean;
  /** A run rolling back its own release: an object carrying another run's id is left alone. */
  onlyRun?: string;
  /** Done first in every attempt (a promotion marks its canary promoted before removing it). */
  before?: () => Promise<void>;
}

/** The rollback could not finish before its deadline: what is left, for the report and the log. */
export class RollbackIncompleteError extends BackendError {
  constructor(
    readonly left: readonly string[],
    readonly attempts: number,
    cause: unknown,
    /** The stable already runs the new release (its canary could not be removed). */
    readonly promoted = false,
  ) {
    super(
      `the rollback could not finish after ${attempts} attempt(s): ${(cause as Error).message}; left: ${left.join(', ')}`,
      { cause },
    );
  }
}

/** One attempt failed; `left` is what it knows is still there. */
class AttemptError extends Error {
  constructor(
    readonly left: readonly string[] | undefined,
    readonly failure: unknown,
  ) {
    super((failure as Error).message);
  }
}

const describe = (o: KubeObject) => `${o.kind} ${o.metadata.name}`;

/** One pass: traffic back to the stable, a killed promotion undone, then canary, baseline and clones deleted. */
async function rollBackOnce(cluster: Cluster, workload: string, options: RollbackOptions): Promise<boolean> {
  const { platform } = options;
  let live: LiveRelease;
  try {
    await options.before?.();
    const before = await findLiveRelease(cluster, workload);
    await routerOf(before.canary, options.router, { cluster, platform, workload }).reset();
    live = await findLiveRelease(cluster, workload);
  } catch (error) {
    throw new AttemptError(undefined, error);
  }
  if (isEmpty(live)) return false;
  const objects = [live.canary, live.baseline, ...live.clones].filter((o): o is KubeObject => {
    const owner = o?.metadata.annotations?.[Annotation.runId];
    if (!o || !options.onlyRun || !owner || owner === options.onlyRun) return o !== undefined;
    platform.warning(`left ${o.kind} ${o.metadata.name} alone: it belongs to run ${owner}, not to this run`);
    return false;
  });
  if (options.restoreStable && live.canary) {
    try {
      await restorePromotion(cluster, live.canary, platform);
    } catch (error) {
      throw new AttemptError(
        [`Deployment ${workload} (promoted, not yet restored)`, ...objects.map(describe)],
        error,
      );
    }
  }
  const failures: string[] = [];
  const left: string[] = [];
  for (const object of objects) {
    try {
      await cluster.delete({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name });
      platform.info(`deleted ${object.kind} ${object.metadata.name}`);
    } catch (error) {
      left.push(describe(object));
      failures.push(`${describe(object)}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0)
    throw new AttemptError(left, new BackendError(`rollback could not delete ${failures.join('; ')}`));
  return true;
}

/** Bad input or a missing permission: another attempt would fail the same way. */
const hopeless = (error: unknown) => error instanceof ConfigError || error instanceof PermissionError;

/**
 * Sends all traffic back to the stable and deletes the canary, the baseline and the clones, retrying
 * until it succeeds or `deadlineMs` passes; then a RollbackIncompleteError names what is left. The stable
 * is only touched to undo a killed promotion (`restoreStable`). Idempotent.
 */
export async function rollBack(
  cluster: Cluster,
  workload: string,
  options: RollbackOptions,
): Promise<boolean> {
  const { platform, clock = systemClock } = options;
  const deadline = clock.now() + (options.deadlineMs ?? 0);
  const known = options.known ?? [
    `Deployment ${canaryName(workload)}`,
    `Deployment ${baselineName(workload)}`,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      return await rollBackOnce(cluster, workload, options);
    } catch (error) {
      const left = error instanceof AttemptError ? (error.left ?? known) : known;
      const failure = error instanceof AttemptError ? error.failure : error;
      const remaining = deadline - clock.now();
      if (hopeless(failure) || remaining <= 0) throw new RollbackIncompleteError(left, attempt, failure);
      const wait = Math.min(remaining, 15_000, 1000 * 2 ** Math.min(attempt - 1, 4));
      platform.warning(
        `rollback attempt ${attempt} failed (${(failure as Error).message}); retrying in ${formatDuration(wait)}, for up to ${formatDuration(remaining)} more`,
      );
      // Not the run's abort signal: an interrupted run still finishes its rollback.
      await clock.sleep(wait);
    }
  }
}
