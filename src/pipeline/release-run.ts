/**
 * One release as its phases see it: what preflight found, the planner bound to it, and the steps' results
 * so far; and the two ends every path shares — the plan shown by a dry run and the report it finishes with.
 */
import { dump } from 'js-yaml';
import type { AnalysisRun } from '../analysis/run.ts';
import type { KubeObject } from '../kube/types.ts';
import { eventForRelease, type ReleaseFacts } from '../notify/index.ts';
import { buildReport } from '../report/json.ts';
import { ConfigError } from '../util/errors.ts';
import type { PipelineDeps, ReleaseRequest } from './context.ts';
import { stepObjects } from './deploy.ts';
import { stateOf } from './live-release.ts';
import { canaryName } from './names.ts';
import { notifierForRelease, type ReleaseNotifier } from './notify.ts';
import { planRelease, type ReleasePlan } from './plan.ts';
import { checkOwnership, preflight, type PreflightResult } from './preflight.ts';
import { secretValues, withSecretsRedacted } from './secret-objects.ts';
import {
  releaseReport,
  writeReleaseReport,
  type ReleaseOutcome,
  type ReleaseReport,
} from './release-report.ts';

export interface ReleaseRun {
  request: ReleaseRequest;
  deps: PipelineDeps;
  /** The traffic weights to walk (only the first for `deploy`). */
  steps: readonly number[];
  pre: PreflightResult;
  stableReplicas: number;
  /** The image the canary runs (an A/A run: the stable's own). */
  image: string;
  firstPlan: ReleasePlan;
  planFor(weight: number): ReleasePlan;
  /** Each analysed step's verdict, and the last analysis, as the report shows them. */
  results: ReleaseReport['steps'];
  /** Times a weighted router had to put the step's weight back, per step index. */
  reassertions: number[];
  lastAnalysis?: AnalysisRun;
  notifier: ReleaseNotifier;
}

/** Preflight (access, manifests, the stable, a live canary) and the first step's plan; changes nothing. */
export async function prepareRelease(request: ReleaseRequest, deps: PipelineDeps): Promise<ReleaseRun> {
  const { cluster, platform, router } = deps;
  const { config, workload } = request;
  const pre = await platform.group('Preflight', async () => {
    const found = await preflight({
      cluster,
      platform,
      workload,
      manifestPaths: request.manifestPaths,
      requiredAccess: [...deps.requiredAccess, ...router.access],
    });
    await router.prepare();
    if (!request.dryRun) await deps.checkAnalysis?.(deps.signal);
    return found;
  });
  secretValues([...pre.manifests, ...pre.liveConfigs]).forEach((value) => platform.addSecret(value));
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
      run: request.run,
      replicas: router.route({ weight, stableReplicas }).replicas,
      baseline: config.traffic.baseline,
      podLabels: (track, labels) => router.podLabels(track, labels),
      routerAnnotations: router.annotations,
    });
  const steps = request.deployOnly ? config.traffic.steps.slice(0, 1) : config.traffic.steps;
  const firstPlan = planFor(steps[0] ?? 100);
  if (firstPlan.selectorOverlap) platform.info(firstPlan.selectorOverlap);
  await checkOwnership(cluster, [
    firstPlan.canary,
    ...(firstPlan.baseline ? [firstPlan.baseline] : []),
    ...firstPlan.clones,
  ]);
  const notifier = notifierForRelease(config, platform, request.run, workload, cluster.namespace);
  return {
    request,
    deps,
    steps,
    pre,
    stableReplicas,
    image,
    firstPlan,
    planFor,
    results: [],
    reassertions: [],
    notifier,
  };
}

/** A dry run: the first step's changes and objects, printed. */
export function showPlan(release: ReleaseRun): void {
  const { platform, router } = release.deps;
  const { steps, pre, firstPlan, stableReplicas } = release;
  const firstStep = steps[0] ?? 100;
  const live = pre.live.canary ? stateOf(pre.live.canary) : undefined;
  if (live)
    platform.info(
      `would first roll back or restart the live canary (revision ${live.revision}, phase ${live.phase})`,
    );
  platform.info(`dry run — planned changes (step 1 of ${steps.length}, ${firstStep}%):`);
  firstPlan.changes.forEach((line) => platform.info(`  ${line}`));
  const objects = stepObjects(firstPlan, router.route({ weight: firstStep, stableReplicas }).objects);
  const shown = objects.map((o) => dump(withSecretsRedacted(o), { lineWidth: 120, noRefs: true }));
  platform.info(shown.join('---\n'));
}

export interface PipelineResult {
  exitCode: number;
  report: ReleaseReport;
}

/** The release report: handed to the edge, written to --report, and the step's outputs set from it. */
export async function finishRelease(
  release: ReleaseRun,
  end: {
    phase: ReleaseReport['phase'];
    outcome: ReleaseOutcome;
    exitCode: number;
    reason: string;
    left?: string[];
  },
): Promise<PipelineResult> {
  const { request, deps, image } = release;
  const { platform } = deps;
  const { run, workload } = request;
  const report = releaseReport({
    base: {
      canary: canaryName(workload),
      image,
      digest: run.digest ?? null,
      revision: run.revision,
      runId: run.runId,
    },
    ...end,
    steps: release.results,
    ...(release.lastAnalysis ? { lastAnalysis: release.lastAnalysis } : {}),
    policy: request.config.analysis.onInconclusive,
  });
  // After the cluster work (a rollback is never waited for a message); bounded by the notify deadline.
  const decision = eventForRelease(report);
  if (decision) await release.notifier.send(decision, report);
  if (release.notifier.enabled) report.notifications = [...release.notifier.results];
  deps.onReport?.(report);
  // The release has decided: a file that cannot be written is a warning, never another outcome.
  try {
    if (request.reportFile) {
      await writeReleaseReport(platform, request.reportFile, report);
      platform.info(`report written to ${request.reportFile}`);
      platform.setOutput('report', request.reportFile);
    }
  } catch (error) {
    platform.warning(`could not write the report ${request.reportFile}: ${(error as Error).message}`);
  }
  try {
    platform.setOutput('outcome', end.outcome);
    platform.setOutput('phase', end.phase);
    platform.setOutput('canary', canaryName(workload));
    platform.setOutput('image', image);
    platform.setOutput('digest', run.digest ?? '');
    if (report.verdict) platform.setOutput('verdict', report.verdict);
  } catch (error) {
    platform.warning(`could not set the step outputs: ${(error as Error).message}`);
  }
  return { exitCode: end.exitCode, report };
}

/** What a notification says about the release so far: its identity, the steps and the last analysis. */
export function factsSoFar(release: ReleaseRun): ReleaseFacts {
  const { run, config } = release.request;
  const analysis = release.lastAnalysis
    ? buildReport(release.lastAnalysis, config.analysis.onInconclusive)
    : undefined;
  return {
    runId: run.runId,
    revision: run.revision,
    image: release.image,
    digest: run.digest ?? null,
    steps: release.results,
    ...(analysis
      ? {
          verdict: analysis.verdict,
          reason: analysis.reason,
          metrics: analysis.metrics,
          decidedAt: analysis.decidedAt,
        }
      : {}),
  };
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
