/**
 * The only place that knows the order of the phases, and the one place where the release changes the
 * cluster, in this order: preflight → (dry run: show the plan) → lock → clear a live canary → per step:
 * deploy, wait ready, analyse, decide (release-outcome.ts) → promote, hold or roll back. Any failure after
 * the first change ends in a rollback; the stable is only changed by promotion.
 */
import { outcomeOf } from '../report/json.ts';
import type { Lock } from '../kube/types.ts';
import { exitCodeOf } from '../util/errors.ts';
import type { PipelineDeps, ReleaseRequest } from './context.ts';
import { deployStep, recordPhase } from './deploy.ts';
import { isEmpty, stateOf } from './live-release.ts';
import { baselineName, canaryName, lockName } from './names.ts';
import type { ReleasePlan } from './plan.ts';
import { promote } from './promote.ts';
import { afterStep, afterSteps, type FinalMove } from './release-outcome.ts';
import {
  finishRelease,
  prepareRelease,
  showPlan,
  type PipelineResult,
  type ReleaseRun,
} from './release-run.ts';
import { rollBack } from './rollback.ts';
import { waitReady } from './wait-ready.ts';

export type { PipelineResult } from './release-run.ts';

const LEASE_SECONDS = 30;

export async function runPipeline(request: ReleaseRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const release = await prepareRelease(request, deps);
  if (request.dryRun) {
    showPlan(release);
    const reason = 'dry run: nothing was changed';
    return finishRelease(release, { phase: 'planned', outcome: 'planned', exitCode: 0, reason });
  }
  const lock = await acquireReleaseLock(release);
  const progress = { changed: false };
  try {
    await clearLiveCanary(release, progress);
    return await walkSteps(release, progress);
  } catch (error) {
    await failRelease(release, progress.changed, error);
    throw error;
  } finally {
    await lock
      .release()
      .catch((error: Error) => deps.platform.warning(`could not release the lock: ${error.message}`));
  }
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
async function clearLiveCanary({ request, deps, pre }: ReleaseRun, progress: { changed: boolean }) {
  if (isEmpty(pre.live)) return;
  progress.changed = true;
  const { cluster, platform, router } = deps;
  const { run, workload } = request;
  const live = pre.live.canary ? stateOf(pre.live.canary) : undefined;
  if (live?.revision === run.revision) {
    platform.info(
      `restarting the live canary of the same revision ${run.revision} (run ${live.runId}, phase ${live.phase})`,
    );
    return;
  }
  platform.info(
    `rolling back the live canary of ${live ? `revision ${live.revision} (run ${live.runId}, phase ${live.phase})` : 'an earlier run'} first`,
  );
  await rollBack(cluster, workload, { platform, router });
}

/** The step loop: each traffic weight deployed and analysed, then the move release-outcome.ts decides. */
async function walkSteps(release: ReleaseRun, progress: { changed: boolean }): Promise<PipelineResult> {
  const { request, deps, steps } = release;
  let plan = release.firstPlan;
  for (const [index, weight] of steps.entries()) {
    plan = index === 0 ? release.firstPlan : release.planFor(weight);
    progress.changed = true;
    await deployAndWait(release, plan, index, weight);
    if (request.deployOnly) {
      await recordPhase(deps.cluster, plan, 'deployed', index);
      const reason = 'canary and baseline are ready and left live';
      return await finishRelease(release, { phase: 'deployed', outcome: 'deployed', exitCode: 0, reason });
    }
    const next = await analyseStep(release, plan, index, weight);
    if (next.move !== 'next') return await carryOut(release, next, plan, index, 'Roll back');
  }
  const aa = request.aa === true;
  const last = afterSteps({ aa, hold: request.hold, workload: request.workload, image: release.image });
  return await carryOut(release, last, plan, steps.length - 1, 'Roll back (A/A run)');
}

async function deployAndWait(release: ReleaseRun, plan: ReleasePlan, index: number, weight: number) {
  const { request, deps, steps, stableReplicas } = release;
  const { cluster, platform, router, signal } = deps;
  const routing = router.route({ weight, stableReplicas });
  await platform.group(
    `Deploy step ${index + 1}/${steps.length}: ${weight}% (${routing.replicas} replica(s) each)`,
    async () => {
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
    keepingWeight(release, index, () =>
      deps.analyse({ index, weight, signal, history: release.lastAnalysis?.polls ?? [] }),
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

/**
 * Runs a step's analysis while a weighted router puts the step's weight back at every poll interval
 * (a GitOps tool or a person may revert it); each time is counted for the report.
 */
async function keepingWeight<T>(release: ReleaseRun, index: number, analyse: () => Promise<T>): Promise<T> {
  const { router, platform } = release.deps;
  if (!router.weighted) return analyse();
  const stop = new AbortController();
  const every = release.request.config.analysis.intervalMs;
  const loop = (async () => {
    while (!stop.signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, every);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (stop.signal.aborted) return;
      const again = await router.reassert().catch((error: Error) => {
        platform.warning(`could not re-assert the step's weight: ${error.message}`);
        return false;
      });
      if (again) release.reassertions[index] = (release.reassertions[index] ?? 0) + 1;
    }
  })();
  try {
    return await analyse();
  } finally {
    stop.abort();
    await loop;
  }
}

/** Carries out a decided move: hold the canary, roll it back, or promote it. */
async function carryOut(
  release: ReleaseRun,
  next: FinalMove,
  plan: ReleasePlan,
  index: number,
  rollBackTitle: string,
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
      await platform.group(rollBackTitle, () => rollBack(cluster, workload, { platform, router }));
      return finishRelease(release, { phase: 'rolled-back', outcome: 'rolled-back', ...next });
    case 'promote':
      await recordPhase(cluster, plan, 'promoting');
      await platform.group('Promote', () =>
        promote(cluster, plan.promotion, {
          workload,
          stableBefore: pre.stable,
          configsBefore: pre.liveConfigs,
          timeoutMs: request.config.readyTimeoutMs,
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
async function failRelease(release: ReleaseRun, changed: boolean, error: unknown): Promise<void> {
  const { cluster, platform, router, signal } = release.deps;
  const why = signal.aborted
    ? String((signal.reason as Error)?.message ?? 'interrupted')
    : (error as Error).message;
  if (changed) {
    platform.warning(`rolling back: ${why}`);
    await rollBack(cluster, release.request.workload, { platform, router }).catch((failure: Error) =>
      platform.error(`rollback failed: ${failure.message}`),
    );
  }
  await finishRelease(release, {
    phase: changed ? 'rolled-back' : 'deploying',
    outcome: changed ? 'rolled-back' : 'failed',
    exitCode: signal.aborted ? 130 : exitCodeOf(error),
    reason: why,
  }).catch(() => undefined);
}
