/**
 * Bonferroni split of the false-alarm budget: every blocking statistical metric and the traffic-share guard,
 * when blocking, get alpha / (their number). Non-blocking metrics and an advisory guard are tested at the same
 * level but never decide; threshold metrics and the restarts guard are not statistical tests and take none.
 * The split is made once per release: every test is one e-process over all the release's steps.
 */
import type { AlphaSpending, JudgeSpec, MetricSpec } from './types.ts';

export function consumesAlpha(metric: MetricSpec): boolean {
  return metric.blocking && metric.kind !== 'threshold';
}

export function alphaSpending(spec: JudgeSpec, steps: number): AlphaSpending {
  const tests = [
    ...spec.metrics.filter(consumesAlpha).map((metric) => metric.name),
    ...(spec.trafficShare?.blocking ? ['guard traffic-share'] : []),
  ];
  return { total: spec.alpha, perTest: spec.alpha / Math.max(1, tests.length), tests, steps };
}

export function metricAlpha(spec: JudgeSpec): number {
  return alphaSpending(spec, 1).perTest;
}
