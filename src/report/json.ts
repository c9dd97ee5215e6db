import type { MetricResult, Verdict } from '../analysis/types.ts';
import type { AnalysisRun } from '../analysis/run.ts';
import type { InconclusivePolicy } from '../analysis/types.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface AnalysisReport {
  schemaVersion: number;
  verdict: Verdict;
  reason: string;
  /** What the verdict means under `onInconclusive` (an inconclusive verdict may be treated as pass or held). */
  outcome: 'passed' | 'failed' | 'inconclusive' | 'held';
  exitCode: number;
  startedAt: string;
  decidedAt: string;
  polls: number;
  metrics: Array<{
    name: string;
    type: MetricResult['kind'];
    blocking: boolean;
    verdict: MetricResult['verdict'];
    reason: string;
    canary: MetricResult['canary'];
    baseline: MetricResult['baseline'];
    estimate: number | null;
    bounds: [number | null, number | null] | null;
    evidence: number;
    threshold: number;
    minimumDetectableEffect: number | null;
    testedBounds?: number[];
    failures?: number;
    /** The tolerance tested after the pod-to-pod noise floor, when per-pod data was available. */
    effectiveTolerance?: number;
    podSpread?: MetricResult['podSpread'];
    /** Extra-binomial dispersion the last poll's evidence was divided by (absent: 1). */
    dispersion?: number;
    queries: Record<string, string>;
    samples: number;
    noDataPolls: number;
    trajectory: MetricResult['trajectory'];
  }>;
  guards: AnalysisRun['decision']['guards'];
  /** How the false-alarm budget was spent: alpha split once over the blocking tests, for the whole release. */
  alpha: AnalysisRun['decision']['alpha'];
}

/** JSON has no Infinity: unbounded values are written as null. */
const finite = (value: number | undefined): number | null =>
  value === undefined || !Number.isFinite(value) ? null : value;

export function outcomeOf(
  verdict: Verdict,
  policy: InconclusivePolicy,
): { outcome: AnalysisReport['outcome']; exitCode: number } {
  if (verdict === 'pass') return { outcome: 'passed', exitCode: 0 };
  if (verdict === 'fail') return { outcome: 'failed', exitCode: 1 };
  if (policy === 'pass') return { outcome: 'passed', exitCode: 0 };
  if (policy === 'hold') return { outcome: 'held', exitCode: 0 };
  return { outcome: 'inconclusive', exitCode: 3 };
}

export function buildReport(run: AnalysisRun, policy: InconclusivePolicy): AnalysisReport {
  const verdict = run.decision.verdict === 'continue' ? 'inconclusive' : run.decision.verdict;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict,
    reason: run.decision.reason,
    ...outcomeOf(verdict, policy),
    startedAt: run.startedAt.toISOString(),
    decidedAt: run.decidedAt.toISOString(),
    polls: run.polls.length,
    metrics: run.decision.metrics.map((m) => ({
      name: m.name,
      type: m.kind,
      blocking: m.blocking,
      verdict: m.verdict,
      reason: m.reason,
      canary: m.canary,
      baseline: m.baseline,
      estimate: finite(m.estimate),
      bounds: m.bounds ? [finite(m.bounds[0]), finite(m.bounds[1])] : null,
      evidence: m.evidence,
      threshold: m.threshold,
      minimumDetectableEffect: finite(m.minimumDetectableEffect),
      ...(m.testedBounds ? { testedBounds: m.testedBounds } : {}),
      ...(m.failures === undefined ? {} : { failures: m.failures }),
      ...(m.effectiveTolerance === undefined ? {} : { effectiveTolerance: m.effectiveTolerance }),
      ...(m.podSpread ? { podSpread: m.podSpread } : {}),
      ...(m.dispersion === undefined ? {} : { dispersion: m.dispersion }),
      queries: run.queries[m.name] ?? {},
      samples: m.samples,
      noDataPolls: m.noDataPolls,
      trajectory: m.trajectory,
    })),
    guards: run.decision.guards,
    alpha: run.decision.alpha,
  };
}
