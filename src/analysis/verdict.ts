/**
 * From the per-metric assessments and the guards to a Decision (DESIGN.md §3): fail as soon as a
 * blocking metric or a guard says so; pass early once every blocking metric is bounded inside its
 * tolerance; at maxDuration pass, unless a blocking metric never had data or had too little traffic
 * to catch a regression (inconclusive; the caller applies onInconclusive).
 */
import type { Assessment } from './assessment.ts';
import { num } from './format.ts';
import type {
  AlphaSpending,
  Decision,
  GuardResult,
  InconclusivePolicy,
  JudgeSpec,
  MetricResult,
} from './types.ts';

const POLICY_LABEL: Record<InconclusivePolicy, string> = {
  fail: 'policy onInconclusive=fail: treated as a failure',
  pass: 'policy onInconclusive=pass: promoted anyway',
  hold: 'policy onInconclusive=hold: the canary is held for a manual decision',
};

export function metricVerdict(assessment: Assessment, t: number, spec: JudgeSpec): MetricResult {
  const { result, summary } = assessment;
  const finished = t >= spec.maxDurationSeconds;
  if (assessment.failed)
    return { ...result, verdict: 'fail', reason: `fail: ${assessment.failNote()}; ${summary}` };
  if (assessment.noData)
    return { ...result, verdict: 'nodata', reason: `no data: ${assessment.noDataNote()}` };
  if (finished && assessment.undetectable) {
    return {
      ...result,
      verdict: 'inconclusive',
      reason: `inconclusive: ${assessment.undetectable}; ${summary}`,
    };
  }
  if (finished) return { ...result, verdict: 'pass', reason: `pass: ${assessment.finalNote()}; ${summary}` };
  if (assessment.withinTolerance && t >= spec.minDurationSeconds) {
    return { ...result, verdict: 'pass', reason: `pass: ${assessment.passNote()}; ${summary}` };
  }
  return { ...result, verdict: 'running', reason: `running: ${summary}` };
}

export function decide(
  spec: JudgeSpec,
  assessments: readonly Assessment[],
  guards: GuardResult[],
  t: number,
  alpha: AlphaSpending,
): Decision {
  const metrics = assessments.map((assessment) => metricVerdict(assessment, t, spec));
  const blocking = assessments.filter((a) => a.result.blocking);
  const decision = (verdict: Decision['verdict'], reason: string): Decision => ({
    verdict,
    reason,
    metrics,
    guards,
    alpha,
  });

  const failures = [
    ...blocking.filter((a) => a.failed).map((a) => `${a.result.name}: ${a.failNote()}`),
    ...guards.filter((g) => g.tripped && g.blocking).map((g) => `guard ${g.name}: ${g.reason}`),
  ];
  if (failures.length > 0) return decision('fail', `regression detected: ${failures.join('; ')}`);

  if (t >= spec.maxDurationSeconds) {
    const problems = [
      ...blocking.filter((a) => a.noData).map((a) => `no data for ${a.result.name} (${a.noDataNote()})`),
      ...blocking
        .filter((a) => !a.noData && a.undetectable)
        .map((a) => `${a.result.name}: ${a.undetectable}`),
    ];
    if (problems.length > 0) {
      return decision(
        'inconclusive',
        `inconclusive at t=${num(t)}s: ${problems.join('; ')} (${POLICY_LABEL[spec.onInconclusive]})`,
      );
    }
    return decision(
      'pass',
      blocking.length === 0
        ? `analysis reached maxDuration (${num(spec.maxDurationSeconds)}s); no blocking metrics`
        : `no evidence of harm in ${num(t)}s: ${blocking.map((a) => `${a.result.name} ${a.finalNote()}`).join('; ')}`,
    );
  }

  const statistical = blocking.filter((a) => a.result.kind !== 'threshold');
  const waiting = blocking.filter((a) => !a.withinTolerance);
  if (t >= spec.minDurationSeconds && statistical.length > 0 && waiting.length === 0) {
    return decision(
      'pass',
      `every blocking metric is within tolerance at t=${num(t)}s: ${blocking.map((a) => `${a.result.name} ${a.passNote()}`).join('; ')}`,
    );
  }
  if (t < spec.minDurationSeconds) {
    return decision(
      'continue',
      `collecting: t=${num(t)}s, an early pass is possible from ${num(spec.minDurationSeconds)}s`,
    );
  }
  return decision(
    'continue',
    waiting.length > 0
      ? `waiting for ${waiting.map((a) => a.result.name).join(', ')} to be bounded within tolerance (analysis ends at ${num(spec.maxDurationSeconds)}s)`
      : `waiting for the end of the analysis at ${num(spec.maxDurationSeconds)}s (no blocking ratio, latency or gauge metric allows an early pass)`,
  );
}
