/**
 * Bonferroni split of the false-alarm budget: every blocking statistical metric and every active
 * statistical guard gets alpha / (their number). Non-blocking metrics are tested at the same level
 * but never decide; threshold metrics and the restarts guard are not statistical tests and take none.
 */
import type { JudgeSpec, MetricSpec } from './types.ts';

export function consumesAlpha(metric: MetricSpec): boolean {
  return metric.blocking && metric.kind !== 'threshold';
}

export function activeStatisticalGuards(spec: JudgeSpec): number {
  return spec.trafficShare ? 1 : 0;
}

export function metricAlpha(spec: JudgeSpec): number {
  const tests = spec.metrics.filter(consumesAlpha).length + activeStatisticalGuards(spec);
  return spec.alpha / Math.max(1, tests);
}
