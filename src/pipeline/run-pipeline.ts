import { dump } from 'js-yaml';
import { outcomeOf } from '../report/json.ts';
import type { KubeObject } from '../kube/types.ts';
import { ConfigError, exitCodeOf } from '../util/errors.ts';
import type { AnalysisRun } from '../analysis/run.ts';
import type { PipelineDeps, ReleaseRequest } from './context.ts';
import { deployStep, recordPhase, stepObjects } from './deploy.ts';
import { isEmpty, stateOf } from './live-release.ts';
import { baselineName, canaryName, lockName, type Phase } from './names.ts';
import { planRelease, type ReleasePlan } from './plan.ts';
import { preflight } from './preflight.ts';
import { promote } from './promote.ts';
import {
  releaseReport,
  writeReleaseReport,
  type ReleaseOutcome,
  type ReleaseReport,
} from './release-report.ts';
import { rollBack } from './rollback.ts';
import { waitReady } from './wait-ready.ts';

export interface PipelineResult {
  exitCode: number;
  report: ReleaseReport;
}

const LEASE_SECONDS = 30;

/**
 * The only place that knows the order of the phases:
 * preflight → lock → (per step) deploy → wait ready → analyse → promote, or roll back.
 * Any failure after the first change ends in a rollback; the stable is only changed by promotion.
 */
export async function runPipeline(request: ReleaseRequest, deps: PipelineDeps): Promise<PipelineResult> {
  const { cluster, platform, router, signal } = deps;
  const { config, workload, run } = request;
  const policy = config.analysis.onInconclusive;
  const steps = request.deployOnly ? config.traffic.steps.slice(0, 1) : config.traffic.steps;
  const stepResults: ReleaseReport['steps'] = [];
  let lastAnalysis: AnalysisRun | undefined;

  const finish = async (
    phase: ReleaseReport['phase'],
    outcome: ReleaseOutcome,
    exitCode: number,
    reason: string,
  ) => {
    const report = releaseReport({
      base: {
        canary: canaryName(workload),
        image,
        digest: run.digest ?? null,
        revision: run.revision,
        runId: run.runId,
      },
      phase,
      outcome,
      exitCode,
      reason,
      steps: stepResults,
      ...(lastAnalysis ? { lastAnalysis } : {}),
      policy,
    });
    deps.onReport?.(report);
    if (request.reportFile) {
      await writeReleaseReport(request.reportFile, report);
      platform.info(`report written to ${request.reportFile}`);
      platform.setOutput('report', request.reportFile);
    }
    platform.setOutput('outcome', outcome);
    platform.setOutput('phase', phase);
    platform.setOutput('canary', canaryName(workload));
    platform.setOutput('image', image);
    platform.setOutput('digest', run.digest ?? '');
    if (report.verdict) platform.setOutput('verdict', report.verdict);
    return { exitCode, report };
  };

  const pre = await platform.group('Preflight', () =>
    preflight({
      cluster,
      platform,
      workload,
      manifestPaths: request.manifestPaths,
      requiredAccess: deps.requiredAccess,
    }),
  );
  const stableReplicas = (pre.stable.spec as { replicas?: number }).replicas ?? 1;
  const aa = request.aa === true;
  const manifests = aa ? [asManifest(pre.stable)] : pre.manifests;
  const image = aa ? firstImage(pre.stable) : request.image;
  if (aa)
    platform.info(
      `A/A run: canary and baseline both run the stable template (${image}); nothing will be promoted`,
    );
  const planFor = (weight: number): ReleasePlan =>
    planRelease({
      workload,
      namespace: cluster.namespace,
      stable: pre.stable,
      manifests,
      liveConfigs: pre.liveConfigs,
      image,
      run,
      replicas: router.route({ weight, stableReplicas }).replicas,
      baseline: config.traffic.baseline,
    });
  const firstStep = steps[0] ?? 100;
  const firstPlan = planFor(firstStep);
  if (firstPlan.selectorOverlap) throw new ConfigError('workload', firstPlan.selectorOverlap);

  if (request.dryRun) {
    const live = pre.live.canary ? stateOf(pre.live.canary) : undefined;
    if (live)
      platform.info(
        `would first roll back or restart the live canary (revision ${live.revision}, phase ${live.phase})`,
      );
    platform.info(`dry run — planned changes (step 1 of ${steps.length}, ${firstStep}%):`);
    firstPlan.changes.forEach((line) => platform.info(`  ${line}`));
    const objects = stepObjects(firstPlan, router.route({ weight: firstStep, stableReplicas }).objects);
    platform.info(objects.map((o) => dump(o, { lineWidth: 120, noRefs: true })).join('---\n'));
    return finish('planned', 'planned', 0, 'dry run: nothing was changed');
  }

  const lock = await cluster.acquireLock(lockName(workload), request.lockHolder, {
    leaseSeconds: LEASE_SECONDS,
    waitMs: config.lockWaitMs,
    signal,
    onWait: (heldBy) => platform.info(`waiting for the lock ${lockName(workload)}, held by ${heldBy}`),
  });
  let changed = false;
  try {
    if (!isEmpty(pre.live)) {
      changed = true;
      const live = pre.live.canary ? stateOf(pre.live.canary) : undefined;
      if (live?.revision === run.revision) {
        platform.info(
          `restarting the live canary of the same revision ${run.revision} (run ${live.runId}, phase ${live.phase})`,
        );
      } else {
        platform.info(
          `rolling back the live canary of ${live ? `revision ${live.revision} (run ${live.runId}, phase ${live.phase})` : 'an earlier run'} first`,
        );
        await rollBack(cluster, workload, { platform, router });
      }
    }
    let plan = firstPlan;
    for (const [index, weight] of steps.entries()) {
      plan = index === 0 ? firstPlan : planFor(weight);
      const routing = router.route({ weight, stableReplicas });
      changed = true;
      await platform.group(
        `Deploy step ${index + 1}/${steps.length}: ${weight}% (${routing.replicas} replica(s) each)`,
        async () => {
          await deployStep(cluster, plan, routing.objects, platform);
          const names = [canaryName(workload), ...(plan.baseline ? [baselineName(workload)] : [])];
          await waitReady(cluster, names, { timeoutMs: config.readyTimeoutMs, signal, platform });
        },
      );
      if (request.deployOnly) {
        await recordPhase(cluster, plan, 'deployed', index);
        return await finish('deployed', 'deployed', 0, 'canary and baseline are ready and left live');
      }
      await recordPhase(cluster, plan, 'analysing', index);
      const analysis = await platform.group(`Analysis step ${index + 1}/${steps.length}: ${weight}%`, () =>
        deps.analyse({ index, weight, signal, history: lastAnalysis?.polls ?? [] }),
      );
      lastAnalysis = analysis;
      const verdict = analysis.decision.verdict === 'continue' ? 'inconclusive' : analysis.decision.verdict;
      stepResults.push({ weight, verdict, reason: analysis.decision.reason });
      const { outcome, exitCode } = outcomeOf(verdict, policy);
      const say = verdict === 'fail' ? platform.error : exitCode === 0 ? platform.info : platform.warning;
      say(`step ${index + 1} (${weight}%): ${verdict} (${outcome}) — ${analysis.decision.reason}`);
      if (outcome === 'held')
        return await hold(
          plan,
          index,
          `inconclusive, held by onInconclusive: hold — ${analysis.decision.reason}`,
        );
      if (exitCode !== 0) {
        await platform.group('Roll back', () => rollBack(cluster, workload, { platform, router }));
        return await finish(
          'rolled-back',
          'rolled-back',
          exitCode,
          `${aa ? 'A/A run (a fail here is a false alarm): ' : ''}${verdict}: ${analysis.decision.reason}`,
        );
      }
    }
    if (aa) {
      await platform.group('Roll back (A/A run)', () => rollBack(cluster, workload, { platform, router }));
      return await finish(
        'rolled-back',
        'rolled-back',
        0,
        'A/A run passed: no false alarm; nothing was promoted',
      );
    }
    if (request.hold)
      return await hold(plan, steps.length - 1, 'passed; held by --hold for a manual promote');
    await recordPhase(cluster, plan, 'promoting');
    await platform.group('Promote', () =>
      promote(cluster, plan.promotion, {
        workload,
        stableBefore: pre.stable,
        configsBefore: pre.liveConfigs,
        timeoutMs: config.readyTimeoutMs,
        signal,
        platform,
        router,
      }),
    );
    return await finish('promoted', 'promoted', 0, `every step passed; deployment/${workload} runs ${image}`);
  } catch (error) {
    const why = signal.aborted
      ? String((signal.reason as Error)?.message ?? 'interrupted')
      : (error as Error).message;
    if (changed) {
      platform.warning(`rolling back: ${why}`);
      await rollBack(cluster, workload, { platform, router }).catch((failure: Error) =>
        platform.error(`rollback failed: ${failure.message}`),
      );
    }
    await finish(
      changed ? 'rolled-back' : 'deploying',
      changed ? 'rolled-back' : 'failed',
      signal.aborted ? 130 : exitCodeOf(error),
      why,
    ).catch(() => undefined);
    throw error;
  } finally {
    await lock
      .release()
      .catch((error: Error) => platform.warning(`could not release the lock: ${error.message}`));
  }

  async function hold(plan: ReleasePlan, index: number, reason: string): Promise<PipelineResult> {
    await recordPhase(cluster, plan, 'held' satisfies Phase, index);
    platform.warning(
      `canary ${canaryName(workload)} is left live: run "canary-action promote" or "canary-action rollback" --workload deployment/${workload}`,
    );
    return finish('held', 'held', 0, reason);
  }
}

/** The live stable as a manifest the planner can take its template from (an A/A run's "new" release). */
function asManifest(stable: KubeObject): KubeObject {
  const { name, namespace, labels, annotations } = stable.metadata;
  return {
    apiVersion: stable.apiVersion,
    kind: stable.kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    spec: stable.spec,
  };
}

function firstImage(stable: KubeObject): string {
  const containers = (stable.spec as { template?: { spec?: { containers?: Array<{ image?: string }> } } })
    .template?.spec?.containers;
  const image = containers?.[0]?.image;
  if (!image)
    throw new ConfigError('workload', 'the stable Deployment has no container image to run an A/A test with');
  return image;
}
