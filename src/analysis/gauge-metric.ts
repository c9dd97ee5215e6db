/** A `gauge` metric (CPU, memory per request, …): paired per-poll values, advisory unless blocking. */
import type { AssessContext, Assessment } from './assessment.ts';
import { interval, num } from './format.ts';
import { gaugeTest } from './gauge-test.ts';
import { describeCrossing } from './ratio-metric.ts';
import { collect, describeNoData } from './series.ts';
import { toleranceOf } from './spec.ts';
import type { MetricSpec, Poll } from './types.ts';

export function assessGauge(
  metric: MetricSpec,
  polls: readonly Poll[],
  { threshold }: AssessContext,
): Assessment {
  const tolerance = toleranceOf(metric);
  const direction = metric.direction ?? 'increase';
  const collected = collect(polls, metric.name, 'gauge');
  const outcome = gaugeTest(
    collected.points.map(({ t, observation }) => ({
      t,
      canary: observation.canary,
      baseline: observation.baseline,
    })),
    tolerance,
    direction,
    threshold,
  );
  const noData = outcome.samples === 0;
  const [lower, upper] = outcome.bounds;
  const withinTolerance =
    outcome.samples >= 2 && (direction === 'increase' ? upper < tolerance : lower > 1 / tolerance);
  const limit =
    direction === 'increase' ? `≤ ${num(tolerance)}` : `≥ 1/${num(tolerance)} = ${num(1 / tolerance)}`;
  return {
    result: {
      name: metric.name,
      kind: metric.kind,
      blocking: metric.blocking,
      canary: Number.isNaN(outcome.canaryMean) ? {} : { value: outcome.canaryMean },
      baseline: Number.isNaN(outcome.baselineMean) ? {} : { value: outcome.baselineMean },
      ...(noData ? {} : { estimate: outcome.estimate }),
      bounds: outcome.bounds,
      evidence: outcome.evidence,
      threshold,
      trajectory: outcome.trajectory,
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls,
    },
    failed: outcome.maxEvidence >= threshold,
    noData,
    withinTolerance,
    summary:
      `mean canary ${num(outcome.canaryMean)} vs baseline ${num(outcome.baselineMean)} over ${outcome.samples} paired poll(s); ` +
      `ratio ${num(outcome.estimate)}, bounds ${interval(outcome.bounds)}, acceptable ${limit} (harmful direction: ${direction}); ` +
      `e-value ${num(outcome.evidence)} (fails at ${num(threshold)})`,
    failNote: () => describeCrossing(outcome.trajectory, threshold),
    passNote: () =>
      direction === 'increase'
        ? `upper bound ${num(upper)} < tolerance ${num(tolerance)}`
        : `lower bound ${num(lower)} > 1/tolerance ${num(1 / tolerance)}`,
    finalNote: () =>
      direction === 'increase'
        ? `no evidence of harm; compatible with ratios up to ${num(upper)}`
        : `no evidence of harm; compatible with ratios down to ${num(lower)}`,
    noDataNote: () => describeNoData(collected),
  };
}
