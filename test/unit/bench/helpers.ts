import type { Bucket, Poll } from '../../../src/analysis/types.ts';
import { PROMETHEUS_DEFAULT_BUCKETS } from '../../../bench/judge/simulator.ts';

export interface ArmSpec {
  total: number;
  bad: number;
  /** Requests slower than 0.5 s (placed in the 1 s bucket); the rest sit in the 0.1 s bucket. */
  slow?: number;
}

export function buckets({ total, slow = 0 }: ArmSpec): Bucket[] {
  return PROMETHEUS_DEFAULT_BUCKETS.map((le) => ({
    le,
    count: le < 0.1 ? 0 : le < 1 ? total - slow : total,
  }));
}

/** A hand-made poll at `t` seconds. */
export function poll(t: number, canary: ArmSpec, baseline: ArmSpec = { total: canary.total, bad: 0 }): Poll {
  return {
    t,
    observations: {
      errors: {
        kind: 'ratio',
        canaryBad: canary.bad,
        canaryTotal: canary.total,
        baselineBad: baseline.bad,
        baselineTotal: baseline.total,
      },
      latency: { kind: 'latency', canary: buckets(canary), baseline: buckets(baseline) },
    },
    traffic: { canary: canary.total, baseline: baseline.total },
  };
}

export function noData(t: number): Poll {
  const nodata = { kind: 'nodata', reason: 'missing scrape' } as const;
  return { t, observations: { errors: nodata, latency: nodata } };
}

/** One poll a minute from the given arm specs. */
export function minutely(arms: ArmSpec[]): Poll[] {
  return arms.map((arm, i) => poll(60 * (i + 1), arm));
}

export const HEALTHY: ArmSpec = { total: 1000, bad: 5 };
/** 98 % success: fails a 99 % success-rate check. */
export const ERRORING: ArmSpec = { total: 1000, bad: 20 };
/** 2 % of requests over 0.5 s: p99 in the 0.5–1 s bucket, fails a 500 ms p99 check. */
export const SLOW: ArmSpec = { total: 1000, bad: 5, slow: 20 };
