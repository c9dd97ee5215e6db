/**
 * The ReleaseEvent, built with one pure call from what the pipeline already has: the release report
 * (src/pipeline/release-report.ts), an analysis report (src/report/json.ts) with the release's identity,
 * or — in a post step or cleanup — the identity read back from the canary's annotations.
 */
import type { Verdict } from '../analysis/types.ts';
import type { AnalysisReport } from '../report/json.ts';
import type { MetricOutcome, NotifyEventName, ReleaseEvent, ReleaseStep } from './types.ts';
import { DECISION_EVENTS } from './types.ts';

type ReportMetric = AnalysisReport['metrics'][number];

/**
 * What is known about the release. A ReleaseReport fits as it is; so does an AnalysisReport spread over the
 * release's identity (`{...identity, ...analysisReport, steps}`), or the live state of a canary.
 */
export interface ReleaseFacts {
  runId: string;
  revision: string;
  image: string;
  digest?: string | null;
  phase?: string;
  /** The release outcome (promoted, rolled-back, rollback-incomplete, lease-lost, held, deployed, planned, failed). */
  outcome?: string;
  /** What the last verdict meant under onInconclusive (passed, failed, inconclusive, held). */
  analysisOutcome?: string;
  verdict?: Verdict;
  reason?: string;
  steps?: readonly ReleaseStep[];
  metrics?: ReadonlyArray<
    Pick<
      ReportMetric,
      'name' | 'type' | 'blocking' | 'verdict' | 'reason' | 'canary' | 'baseline' | 'estimate' | 'bounds'
    > & { effectiveTolerance?: number }
  >;
  /** When the last analysis decided. */
  decidedAt?: string;
}

export interface ReleaseEventInput {
  event: NotifyEventName;
  release: ReleaseFacts;
  /** The stable Deployment's name; a `deployment/` prefix is dropped. */
  workload: string;
  namespace: string;
  /** When the release started (ISO 8601): the Grafana region starts here. */
  startedAt: string;
  /** When this event happened. */
  time: Date | string;
  /** Overrides the release's reason, e.g. "job cancelled" from a post step. */
  reason?: string;
  /** How many traffic steps the release has, for "step 1 of 2". */
  stepCount?: number;
  links?: { job?: string; report?: string };
  /** The configured metrics, for their tolerance (ratio, latency, gauge) and bounds (threshold). */
  metricSpecs?: ReadonlyArray<{ name: string; tolerance?: number; min?: number; max?: number }>;
}

/** The decision event a finished release sends; undefined for a dry run (nothing to tell). */
export function eventForRelease(
  release: Pick<ReleaseFacts, 'outcome' | 'verdict' | 'analysisOutcome'>,
): NotifyEventName | undefined {
  switch (release.outcome) {
    case 'promoted':
      return 'promoted';
    case 'held':
    case 'deployed':
      return 'held';
    // rollback-incomplete and lease-lost: someone must act; the reason names what is left.
    case 'failed':
    case 'rollback-incomplete':
    case 'lease-lost':
      return 'failed';
    case 'rolled-back':
      if (release.verdict === 'fail') return 'failed';
      if (release.verdict === 'inconclusive' && release.analysisOutcome === 'inconclusive')
        return 'inconclusive';
      return 'rolled-back';
    default:
      return undefined;
  }
}

const DEFAULT_PHASE: Record<NotifyEventName, string> = {
  started: 'deploying',
  step: 'analysing',
  failed: 'rolled-back',
  'rolled-back': 'rolled-back',
  promoted: 'promoted',
  held: 'held',
  inconclusive: 'rolled-back',
};

const DEFAULT_REASON: Record<NotifyEventName, string> = {
  started: 'canary starting',
  step: 'step passed',
  failed: 'the canary failed',
  'rolled-back': 'rolled back',
  promoted: 'promoted',
  held: 'held for a manual decision',
  inconclusive: 'the analysis was inconclusive',
};

const iso = (time: Date | string) => (typeof time === 'string' ? time : time.toISOString());

/** Pure: the same input gives the same event. */
export function releaseEvent(input: ReleaseEventInput): ReleaseEvent {
  const { release, event } = input;
  const steps = (release.steps ?? []).map(({ weight, verdict, reason }) => ({ weight, verdict, reason }));
  const last = steps[steps.length - 1];
  const time = iso(input.time);
  const specs = new Map((input.metricSpecs ?? []).map((spec) => [spec.name, spec]));
  return {
    event,
    runId: release.runId,
    workload: input.workload.replace(/^deployment\//, ''),
    namespace: input.namespace,
    revision: release.revision,
    image: release.image,
    digest: release.digest || null,
    // A report's phase is where the release ended; a live state's (a post step) is where it was before this event.
    phase:
      release.phase !== undefined && (release.outcome !== undefined || !DECISION_EVENTS.includes(event))
        ? release.phase
        : DEFAULT_PHASE[event],
    verdict: event === 'started' ? null : (release.verdict ?? null),
    reason: input.reason ?? release.reason ?? DEFAULT_REASON[event],
    step:
      event === 'step' && last
        ? { number: steps.length, count: input.stepCount ?? null, weight: last.weight }
        : null,
    steps,
    metrics: event === 'started' ? [] : (release.metrics ?? []).map((metric) => outcomeOf(metric, specs)),
    startedAt: input.startedAt,
    time,
    decidedAt: DECISION_EVENTS.includes(event) ? time : event === 'step' ? (release.decidedAt ?? time) : null,
    links: { job: input.links?.job || null, report: input.links?.report || null },
  };
}

function outcomeOf(
  metric: NonNullable<ReleaseFacts['metrics']>[number],
  specs: Map<string, { tolerance?: number; min?: number; max?: number }>,
): MetricOutcome {
  const spec = specs.get(metric.name);
  const finite = (value: number | null | undefined) =>
    value === undefined || value === null || !Number.isFinite(value) ? null : value;
  return {
    name: metric.name,
    type: metric.type,
    blocking: metric.blocking,
    verdict: metric.verdict,
    reason: metric.reason,
    canary: { ...metric.canary },
    baseline: { ...metric.baseline },
    estimate: finite(metric.estimate),
    bounds: metric.bounds ? [finite(metric.bounds[0]), finite(metric.bounds[1])] : null,
    tolerance: metric.type === 'threshold' ? null : finite(spec?.tolerance),
    effectiveTolerance: finite(metric.effectiveTolerance),
    min: metric.type === 'threshold' ? finite(spec?.min) : null,
    max: metric.type === 'threshold' ? finite(spec?.max) : null,
  };
}
