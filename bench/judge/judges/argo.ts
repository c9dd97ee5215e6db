import type { Poll } from '../../../src/analysis/types.ts';
import { pollValues } from './measurements.ts';
import type { BenchJudge, Outcome } from './types.ts';

/**
 * An Argo Rollouts AnalysisTemplate, from its documentation (argo-rollouts.readthedocs.io, "Analysis
 * & Progressive Delivery"): two metrics on the canary alone, each measured every `interval` for
 * `count` measurements — success-rate with `successCondition: result[0] >= 0.99` and p99 latency with
 * `successCondition: result[0] <= 0.5`. A measurement whose successCondition is false is Failed; a
 * metric fails when its failed measurements exceed `failureLimit` (the documentation's example uses
 * 3), and the AnalysisRun fails as soon as any metric fails. A query that returns no data is an
 * Error; more than `consecutiveErrorLimit` (default 4) consecutive errors fail the run too. The run
 * succeeds when every metric completed its `count` measurements.
 */
export interface ArgoSettings {
  intervalSeconds: number;
  count: number;
  failureLimit: number;
  consecutiveErrorLimit: number;
  minSuccessRate: number;
  maxP99Seconds: number;
}

export const ARGO_DEFAULTS: ArgoSettings = {
  intervalSeconds: 60,
  count: 10,
  failureLimit: 3,
  consecutiveErrorLimit: 4,
  minSuccessRate: 0.99,
  maxP99Seconds: 0.5,
};

export function argoJudge(settings: ArgoSettings = ARGO_DEFAULTS): BenchJudge {
  const { intervalSeconds, count, failureLimit, consecutiveErrorLimit, minSuccessRate, maxP99Seconds } =
    settings;
  return {
    id: 'argo',
    configuration:
      `interval ${intervalSeconds}s, count ${count}, failureLimit ${failureLimit} per metric, ` +
      `consecutiveErrorLimit ${consecutiveErrorLimit}; canary success rate ≥ ${minSuccessRate}, canary p99 ≤ ${maxP99Seconds} s`,
    intervalSeconds,
    horizonSeconds: intervalSeconds * count,
    decide(polls: readonly Poll[]): Outcome {
      const failures = { successRate: 0, p99: 0 };
      let consecutiveErrors = 0;
      let measured = 0;
      let last = 0;
      for (const poll of polls) {
        last = poll.t;
        measured++;
        const values = pollValues(poll);
        if (!values) {
          consecutiveErrors++;
          if (consecutiveErrors > consecutiveErrorLimit) {
            return {
              verdict: 'fail',
              t: poll.t,
              reason: `${consecutiveErrors} consecutive measurement errors`,
            };
          }
        } else {
          consecutiveErrors = 0;
          if (!(1 - values.canary.errorRate >= minSuccessRate)) failures.successRate++;
          if (!(values.canary.p99 <= maxP99Seconds)) failures.p99++;
          for (const [metric, failed] of Object.entries(failures)) {
            if (failed > failureLimit) {
              return {
                verdict: 'fail',
                t: poll.t,
                reason: `${metric}: ${failed} failed measurements > failureLimit`,
              };
            }
          }
        }
        if (measured >= count)
          return { verdict: 'pass', t: poll.t, reason: `${count} measurements completed` };
      }
      return { verdict: 'inconclusive', t: last, reason: 'ran out of polls' };
    },
  };
}
