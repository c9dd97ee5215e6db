/**
 * The judge: a pure, deterministic function of the spec and every poll so far (DESIGN.md §3).
 * The caller runs it after each poll with the whole history; it stays cheap because each test keeps
 * only sums on a fixed grid. Polls of earlier release steps stay in the history: the evidence, and the
 * alpha it is judged against, belong to the release; minDuration and maxDuration count per step.
 */
import { alphaSpending } from './alpha.ts';
import type { AssessContext, Assessment } from './assessment.ts';
import { assessGauge } from './gauge-metric.ts';
import { evaluateGuards } from './guards.ts';
import { assessLatency } from './latency.ts';
import { assessRatio } from './ratio-metric.ts';
import { validateSpec } from './spec.ts';
import { assessThreshold } from './threshold.ts';
import type { Decision, JudgeSpec, MetricSpec, Poll } from './types.ts';
import { decide } from './verdict.ts';

export function evaluate(spec: JudgeSpec, polls: Poll[]): Decision {
  validateSpec(spec);
  const last = polls.at(-1);
  const steps = new Set(polls.map((poll) => poll.step ?? 0)).size;
  const alpha = alphaSpending(spec, Math.max(1, steps));
  const threshold = 1 / alpha.perTest;
  const elapsed = last ? (last.elapsed ?? last.t) : 0;
  const context: AssessContext = { threshold, final: elapsed >= spec.maxDurationSeconds };
  const assessments = spec.metrics.map((metric) => assess(metric, polls, context));
  return decide(spec, assessments, evaluateGuards(spec, polls, threshold), elapsed, alpha);
}

function assess(metric: MetricSpec, polls: readonly Poll[], context: AssessContext): Assessment {
  switch (metric.kind) {
    case 'ratio':
      return assessRatio(metric, polls, context);
    case 'latency':
      return assessLatency(metric, polls, context);
    case 'gauge':
      return assessGauge(metric, polls, context);
    case 'threshold':
      return assessThreshold(metric, polls);
  }
}
