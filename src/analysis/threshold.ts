/**
 * A `threshold` metric (Flagger/Argo style): each poll's canary value is checked against min/max; a
 * value out of bounds (or not a number) is a failed measurement, and the metric fails when the failures
 * reach failureLimit. It is not a statistical test and takes no share of alpha: its "evidence" is the
 * failure count and its "threshold" the failure limit.
 */
import type { Assessment } from './assessment.ts';
import { num } from './format.ts';
import { collect, describeNoData } from './series.ts';
import { failureLimitOf } from './spec.ts';
import type { MetricSpec, Poll } from './types.ts';

export function isFailedMeasurement(
  value: number,
  min: number | undefined,
  max: number | undefined,
): boolean {
  return !Number.isFinite(value) || (min !== undefined && value < min) || (max !== undefined && value > max);
}

export function assessThreshold(metric: MetricSpec, polls: readonly Poll[]): Assessment {
  const limit = failureLimitOf(metric);
  const collected = collect(polls, metric.name, 'threshold');
  let failures = 0;
  const trajectory = collected.points.map(({ t, observation }) => {
    if (isFailedMeasurement(observation.value, metric.min, metric.max)) failures++;
    return { t, evidence: failures, canary: observation.value };
  });
  const last = collected.points.at(-1)?.observation.value;
  const range = [
    metric.min === undefined ? undefined : `min ${num(metric.min)}`,
    metric.max === undefined ? undefined : `max ${num(metric.max)}`,
  ]
    .filter(Boolean)
    .join(', ');
  const failedAt = trajectory.find((point) => point.evidence >= limit);
  return {
    result: {
      name: metric.name,
      kind: metric.kind,
      blocking: metric.blocking,
      canary: last === undefined ? {} : { value: last },
      baseline: {},
      ...(last === undefined ? {} : { estimate: last }),
      evidence: failures,
      threshold: limit,
      trajectory,
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls,
      failures,
    },
    failed: failures >= limit,
    noData: collected.points.length === 0,
    withinTolerance: collected.points.length > 0 && failures < limit,
    summary: `last value ${num(last)} (${range}); ${failures} failed measurement(s) of ${collected.points.length}, limit ${limit}`,
    failNote: () =>
      failedAt ? `failure ${failures} of limit ${limit} reached at t=${num(failedAt.t)}s` : '',
    passNote: () => `${failures} failed measurement(s), below the limit of ${limit}`,
    finalNote: () => `${failures} failed measurement(s), below the limit of ${limit}`,
    noDataNote: () => describeNoData(collected),
  };
}
