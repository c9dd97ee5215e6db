import type { Poll } from '../../../src/analysis/types.ts';
import { pollValues } from './measurements.ts';
import type { BenchJudge, Outcome } from './types.ts';

/**
 * Flagger's canary analysis, from its documentation (docs.flagger.app, "How it works" and "Metrics
 * Analysis"): every `interval` the built-in checks run on the canary alone — request-success-rate
 * (non-5xx share, %) with `thresholdRange.min: 99` and request-duration (P99, ms) with
 * `thresholdRange.max: 500`. A check that fails (or returns no data) increments the failed-checks
 * counter; "threshold: max number of failed metric checks before rollback" — the canary is rolled
 * back once failed checks reach it. Each passing iteration advances the weight by `stepWeight`;
 * after `maxWeight / stepWeight` passing iterations the canary is promoted.
 */
export interface FlaggerSettings {
  intervalSeconds: number;
  threshold: number;
  /** maxWeight / stepWeight: 50 / 5 = 10 in the documentation's example. */
  iterations: number;
  minSuccessRatePercent: number;
  maxP99Milliseconds: number;
}

export const FLAGGER_DEFAULTS: FlaggerSettings = {
  intervalSeconds: 60,
  threshold: 5,
  iterations: 10,
  minSuccessRatePercent: 99,
  maxP99Milliseconds: 500,
};

export function flaggerJudge(settings: FlaggerSettings = FLAGGER_DEFAULTS): BenchJudge {
  const { intervalSeconds, threshold, iterations, minSuccessRatePercent, maxP99Milliseconds } = settings;
  return {
    id: 'flagger',
    configuration:
      `interval ${intervalSeconds}s, threshold ${threshold} failed checks (cumulative), promote after ${iterations} ` +
      `passing iterations (maxWeight 50 / stepWeight 5), canary success rate ≥ ${minSuccessRatePercent}%, ` +
      `canary p99 ≤ ${maxP99Milliseconds} ms; no data fails the check`,
    intervalSeconds,
    horizonSeconds: intervalSeconds * (iterations + threshold - 1),
    decide(polls: readonly Poll[]): Outcome {
      let failed = 0;
      let passed = 0;
      let last = 0;
      for (const poll of polls) {
        last = poll.t;
        const values = pollValues(poll);
        const successPercent = values ? 100 * (1 - values.canary.errorRate) : NaN;
        const p99Ms = values ? 1000 * values.canary.p99 : NaN;
        const ok = successPercent >= minSuccessRatePercent && p99Ms <= maxP99Milliseconds;
        if (ok) passed++;
        else failed++;
        if (failed >= threshold) {
          return {
            verdict: 'fail',
            t: poll.t,
            reason: `${failed} failed checks reached threshold ${threshold}`,
          };
        }
        if (passed >= iterations)
          return { verdict: 'pass', t: poll.t, reason: `${passed} passing iterations` };
      }
      return { verdict: 'inconclusive', t: last, reason: 'ran out of polls' };
    },
  };
}
