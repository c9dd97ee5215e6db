/**
 * The only place that knows the order of the phases, and the one place where the release changes the
 * cluster, in this order: preflight → (dry run: show the plan) → lock → clear a live canary → per step:
 * deploy, wait ready, analyse, decide (release-outcome.ts) → promote, hold or roll back. Any failure after
 * the first change ends in a rollback; the stable is only changed by promotion.
 */
import { outcomeOf } from '../report/json.ts';
import type { Lock } from '../kube/types.ts';
import { BackendError, ConfigError, exitCodeOf } from '../util/errors.ts';
import { setLeftover } from '../util/shutdown.ts';
import type { PipelineDeps, ReleaseRequest } from './context.ts';
import { deployStep, recordPhase } from './deploy.ts';
import { advance, leaseLostError, type Progress } from './fencing.ts';
import { keepingWeight } from './keep-weight.ts';
import { isEmpty, stateOf } from './live-release.ts';
import { baselineName, canaryName, lockName } from './names.ts';
import type { ReleasePlan } from './plan.ts';
import { promote } from './promote.ts';
import { afterStep, afterSteps, type FinalMove } from './release-outcome.ts';
import {
  factsSoFar,
  finishRelease,
  prepareRelease,
  showPlan,
  type PipelineResult,
  type ReleaseRun,
} from './release-run.ts';
import { rollBack, RollbackIncompleteError } from './rollback.ts';
import { waitReady } from './wait-ready.ts';

export type { PipelineResult } from './release-run.ts';

/** Renewed every 5 s; a run that could not renew for 40 s stops (lease-time.ts): a 30 s API blip is ridden out. */
export const LEASE_SECONDS = 60;

export async function runPipeline(request: ReleaseRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const release = await prepareRelease(request, deps);
  if (request.dryRun) {
    showPlan(release);
    const reason = 'dry run: nothing was changed';
    return finishRelease(release, { phase: 'planned', outcome: 'planned', exitCode: 0, reason });
  }
  const lock = await acquireReleaseLock(release);
  // From here the run acts only while it holds the Lease: losing it aborts whatever it is doing.
  const fenced: ReleaseRun = {
    ...release,
    deps: { ...deps, signal: AbortSignal.any([deps.signal, lock.lost]) },
  };
  const progress: Progress = { changed: false };
  advance(fenced, progress, {});
  try {
    await fenced.notifier.send('started', factsSoFar(fenced), { signal: fenced.deps.signal });
    await clearLiveCanary(fenced, progress);
    return await walkSteps(fenced, progress);
  } catch (error) {
    if (lock.lost.aborted) throw await leaseLost(fenced, progress, lock.lost.reason);
    const replaced = await failRelease(fenced, progress, error, lock);
    if (lock.lost.aborted) throw await leaseLost(fenced, progress, lock.lost.reason);
    throw replaced ?? error;
  } finally {
    await lock
      .release()
      .catch((error: Error) => deps.platform.warning(`could not release the lock: ${error.message}`));
    setLeftover(undefined);
  }
}

/** The Lease is gone: no rollback (another run may own these objects now), only the report. */
async function leaseLost(release: ReleaseRun, progress: Progress, lost: unknown): Promise<Error> {
  const error = leaseLostError(release, progress, lost);
  await finishRelease(release, {
    phase: progress.phase ?? 'deploying',
    outcome: 'lease-lost',
    exitCode: error.exitCode,
    reason: error.message,
  }).catch(() => undefined);
  return error;
}

function acquireReleaseLock({ request, deps }: ReleaseRun): Promise<Lock> {
  const { cluster, platform, signal } = deps;
  const name = lockName(request.workload);
  return cluster.acquireLock(name, request.lockHolder, {
    leaseSeconds: LEASE_SECONDS,
    waitMs: request.config.lockWaitMs,
    signal,
    onWait: (heldBy) => platform.info(`waiting for the lock ${name}, held by ${heldBy}`),
  });
}

/** A canary left live by an earlier run: restarted in place (same revision) or rolled back first. */
async function clearLiveCanary(release: ReleaseRun, progress: Progress) {
  const { request, deps, pre } = release;
  if (isEmpty(pre.live)) return;
  advance(release, progress, { changed: true });
  const { cluster, platform } = deps;
  const { run, workload } = request;
  const live = pre.live.canary ? stateOf(pre.live.canary) : undefined;
  if (live?.phase === 'promoting')
    throw new ConfigError(
      'workload',
      `the live canary of run ${live.runId} stopped while promoting deployment/${workload}: finish it with "canary-action promote" or undo it with "canary-action rollback" first`,
    );
  if (live?.revision === run.revision) {
    platform.info(
      `restarting the live canary of the same revision ${run.revision} (run ${live.runId}, phase ${live.phase})`,
    );
    return;
  }
  platform.info(
    `rolling back the live canary of ${live ? `revision ${live.revision} (run ${live.runId}, phase ${live.phase})` : 'an earlier run'} first`,
  );
  // An earlier run's leftovers, taken over with its Lease: its run id is not ours, by design.
  await rollBack(cluster, workload, { ...retriedRollback(release), onlyRun: undefined });
}

/** How the run's rollbacks retry: up to rollbackDeadline; what it created named if the API cannot say. */
function retriedRollback({ request, deps, firstPlan }: ReleaseRun) {
  const known = [firstPlan.canary, firstPlan.baseline, ...firstPlan.clones]
    .filter((o) => o !== undefined)
    .map((o) => `${o.kind} ${o.metadata.name}`);
  return {
    platform: deps.platform,
    router: deps.router,
    clock: deps.clock,
    deadlineMs: request.config.rollbackDeadlineMs,
    known,
    onlyRun: request.run.runId,
  };
}

/** The step loop: each traffic weight deployed and analysed, then the move release-outcome.ts decides. */
async function walkSteps(release: ReleaseRun, progress: Progress): Promise<PipelineResult> {
  const { request, deps, steps } = release;
  let plan = release.firstPlan;
  for (const [index, weight] of steps.entries()) {
    plan = index === 0 ? release.firstPlan : release.planFor(weight);
    advance(release, progress, { changed: true, phase: 'deploying' });
    await deployAndWait(release, plan, index, weight);
    if (request.deployOnly) {
      await recordPhase(deps.cluster, plan, 'deployed', index);
      const reason = 'canary and baseline are ready and left live';
      return await finishRelease(release, { phase: 'deployed', outcome: 'deployed', exitCode: 0, reason });
    }
    advance(release, progress, { phase: 'analysing' });
    const next = await analyseStep(release, plan, index, weight);
    if (next.move !== 'next') return await carryOut(release, next, plan, index, 'Roll back', progress);
    await release.notifier.send('step', factsSoFar(release), { signal: deps.signal });
  }
  const aa = request.aa === true;
  const last = afterSteps({ aa, hold: request.hold, workload: request.workload, image: release.image });
  return await carryOut(release, last, plan, steps.length - 1, 'Roll back (A/A run)', progress);
}

async function deployAndWait(release: ReleaseRun, plan: ReleasePlan, index: number, weight: number) {
  const { request, deps, steps, stableReplicas } = release;
  const { cluster, platform, router, signal } = deps;
  const routing = router.route({ weight, stableReplicas });
  await platform.group(
    `Deploy step ${index + 1}/${steps.length}: ${weight}% (${routing.replicas} replica(s) each)`,
    async () => {
      release.notifier.stamp(plan.canary);
      await deployStep(cluster, plan, routing.objects, platform);
      const names = [
        canaryName(request.workload),
        ...(plan.baseline ? [baselineName(request.workload)] : []),
      ];
      await waitReady(cluster, names, { timeoutMs: request.config.readyTimeoutMs, signal, platform });
      await router.setWeight(weight);
    },
  );
}

/** One step's analysis, carrying the earlier steps' evidence; its verdict logged and kept for the report. */
async function analyseStep(release: ReleaseRun, plan: ReleasePlan, index: number, weight: number) {
  const { request, deps, steps } = release;
  const { platform, signal } = deps;
  const policy = request.config.analysis.onInconclusive;
  await recordPhase(deps.cluster, plan, 'analysing', index);
  const analysis = await platform.group(`Analysis step ${index + 1}/${steps.length}: ${weight}%`, () =>
    keepingWeight(
      deps,
      { signal, intervalMs: request.config.analysis.intervalMs },
      (stepSignal) =>
        deps.analyse({ index, weight, signal: stepSignal, history: release.lastAnalysis?.polls ?? [] }),
      () => (release.reassertions[index] = (release.reassertions[index] ?? 0) + 1),
    ),
  );
  release.lastAnalysis = analysis;
  const { reason } = analysis.decision;
  const verdict = analysis.decision.verdict === 'continue' ? 'inconclusive' : analysis.decision.verdict;
  const reasserted = release.reassertions[index] ?? 0;
  release.results.push({
    weight,
    verdict,
    reason,
    ...(deps.router.weighted ? { reassertions: reasserted } : {}),
  });
  const { outcome, exitCode } = outcomeOf(verdict, policy);
  const say = verdict === 'fail' ? platform.error : exitCode === 0 ? platform.info : platform.warning;
  say(`step ${index + 1} (${weight}%): ${verdict} (${outcome}) — ${reason}`);
  return afterStep({ verdict, reason, policy, aa: request.aa === true });
}

/** Carries out a decided move: hold the canary, roll it back, or promote it. */
async function carryOut(
  release: ReleaseRun,
  next: FinalMove,
  plan: ReleasePlan,
  index: number,
  rollBackTitle: string,
  progress: Progress,
): Promise<PipelineResult> {
  const { request, deps, pre } = release;
  const { cluster, platform, router, signal } = deps;
  const { workload } = request;
  switch (next.move) {
    case 'hold':
      await recordPhase(cluster, plan, 'held', index);
      platform.warning(
        `canary ${canaryName(workload)} is left live: run "canary-action promote" or "canary-action rollback" --workload deployment/${workload}`,
      );
      return finishRelease(release, { phase: 'held', outcome: 'held', exitCode: 0, reason: next.reason });
    case 'roll-back':
      await platform.group(rollBackTitle, () => rollBack(cluster, workload, retriedRollback(release)));
      return finishRelease(release, { phase: 'rolled-back', outcome: 'rolled-back', ...next });
    case 'promote':
      advance(release, progress, { phase: 'promoting' });
      await platform.group('Promote', () =>
        promote(cluster, plan.promotion, {
          workload,
          canary: plan.canary,
          stableBefore: pre.stable,
          configsBefore: pre.liveConfigs,
          timeoutMs: request.config.readyTimeoutMs,
          rollbackDeadlineMs: request.config.rollbackDeadlineMs,
          clock: deps.clock,
          signal,
          platform,
          router,
        }),
      );
      return finishRelease(release, {
        phase: 'promoted',
        outcome: 'promoted',
        exitCode: 0,
        reason: next.reason,
      });
  }
}

/** A failure or an interruption: roll back whatever changed, and still write the report. */
async function failRelease(
  release: ReleaseRun,
  progress: Progress,
  error: unknown,
  lock: Lock,
): Promise<Error | undefined> {
  const { cluster, platform, signal } = release.deps;
  const changed = progress.changed;
  const why = signal.aborted
    ? String((signal.reason as Error)?.message ?? 'interrupted')
    : (error as Error).message;
  let incomplete = error instanceof RollbackIncompleteError ? error : undefined;
  if (changed && !incomplete) {
    platform.warning(`rolling back: ${why}`);
    advance(release, progress, { phase: 'rolling-back' });
    await rollBack(cluster, release.request.workload, retriedRollback(release)).catch((failure: unknown) => {
      incomplete = failure instanceof RollbackIncompleteError ? failure : undefined;
      if (!incomplete) platform.error(`rollback failed: ${(failure as Error).message}`);
    });
  }
  if (incomplete) {
    const { left, reason } = await incompleteReason(release, incomplete, why, lock);
    platform.error(reason);
    const end = { phase: 'rolling-back' as const, outcome: 'rollback-incomplete' as const, exitCode: 4 };
    await finishRelease(release, { ...end, reason, left }).catch(() => undefined);
    return new BackendError(reason, { cause: incomplete });
  }
  if (lock.lost.aborted) return undefined;
  await finishRelease(release, {
    phase: changed ? 'rolled-back' : 'deploying',
    outcome: changed ? 'rolled-back' : 'failed',
    exitCode: signal.aborted ? 130 : exitCodeOf(error),
    reason: why,
  }).catch(() => undefined);
  return undefined;
}

/** What is left after a rollback that could not finish (the Lease too, when it cannot be released) and the command that finishes it. */
async function incompleteReason(
  release: ReleaseRun,
  incomplete: RollbackIncompleteError,
  why: string,
  lock: Lock,
): Promise<{ left: string[]; reason: string }> {
  const { request, deps } = release;
  const { workload, run } = request;
  const leaseLeft = await lock.release().then(
    () => false,
    () => true,
  );
  const left = [...incomplete.left, ...(leaseLeft ? [`Lease ${lockName(workload)}`] : [])];
  const target = `--namespace ${deps.cluster.namespace} --workload deployment/${workload}`;
  const canaryLeft = left.includes(`Deployment ${canaryName(workload)}`);
  const finish =
    incomplete.promoted && canaryLeft
      ? `canary-action promote ${target}`
      : `canary-action cleanup ${target} --run-id ${run.runId} --all`;
  const restoring = left.some((o) => o.startsWith(`Deployment ${workload} `));
  const stable = incomplete.promoted
    ? `deployment/${workload} runs ${release.image}`
    : restoring
      ? `deployment/${workload} may still run ${release.image} (the command below restores it)`
      : `deployment/${workload} is as it was before the run`;
  return {
    left,
    reason: `rollback incomplete (${why}): ${stable}; left: ${left.join(', ')} — finish it with: ${finish}`,
  };
}
