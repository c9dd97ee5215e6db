import type { Bucket, Observation, Poll } from '../../../src/analysis/types.ts';
import { ERRORS_METRIC, LATENCY_METRIC } from '../simulator.ts';

/**
 * `histogram_quantile` as the Prometheus documentation describes it: linear interpolation inside the
 * bucket holding the rank; the lowest bucket starts at 0; a rank in the +Inf bucket returns the
 * highest finite bound. NaN without observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total <= 0) return NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i] as Bucket;
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return buckets[i - 1]?.le ?? NaN;
      const inBucket = bucket.count - lowerCount;
      if (inBucket <= 0) return bucket.le;
      return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return NaN;
}

export interface ArmValues {
  /** Share of requests that failed; NaN without requests. */
  errorRate: number;
  /** p99 latency in seconds from the histogram; NaN without requests. */
  p99: number;
}

export interface PollValues {
  canary: ArmValues;
  baseline: ArmValues;
}

function ratioOf(observation: Observation | undefined) {
  return observation?.kind === 'ratio' ? observation : undefined;
}

/** Per-track values one poll yields the way a PromQL success-rate and p99 query would; undefined on no data. */
export function pollValues(poll: Poll): PollValues | undefined {
  const errors = ratioOf(poll.observations[ERRORS_METRIC]);
  const latency = poll.observations[LATENCY_METRIC];
  if (!errors || latency?.kind !== 'latency') return undefined;
  return {
    canary: {
      errorRate: errors.canaryTotal > 0 ? errors.canaryBad / errors.canaryTotal : NaN,
      p99: histogramQuantile(0.99, latency.canary),
    },
    baseline: {
      errorRate: errors.baselineTotal > 0 ? errors.baselineBad / errors.baselineTotal : NaN,
      p99: histogramQuantile(0.99, latency.baseline),
    },
  };
}
