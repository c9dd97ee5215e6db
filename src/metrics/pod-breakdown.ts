import type { Bucket, PodBreakdown, PodBuckets, PodCounts } from '../analysis/types.ts';
import type { Series } from './provider.ts';

/** The tracks whose pods the judge's noise floor reads: the stable fleet is optional. */
export type PodTrack = keyof PodBreakdown<unknown>;
export const POD_TRACKS: readonly PodTrack[] = ['canary', 'baseline', 'stable'];

/** Role of the per-pod variant of a track query, e.g. `baseline.total.pods`. */
export const podRole = (role: string) => `${role}.pods`;

type ValueAt = (series: Series, at: number) => number | undefined;

/** Per-pod bad/total counts of each track whose series carry a `pod` label; undefined when none has. */
export function podCounts(
  results: Record<string, Series[]>,
  at: number,
  valueAt: ValueAt,
): PodBreakdown<PodCounts> | undefined {
  const breakdown: PodBreakdown<PodCounts> = {};
  for (const track of POD_TRACKS) {
    const totals = results[podRole(`${track}.total`)];
    if (!totals) continue;
    const bad = byPod(results[podRole(`${track}.bad`)] ?? [], at, valueAt);
    const pods = [...byPod(totals, at, valueAt)].map(([pod, total]) => ({
      pod,
      total,
      bad: bad.get(pod) ?? 0,
    }));
    if (pods.length > 0) breakdown[track] = pods;
  }
  return Object.keys(breakdown).length > 0 ? breakdown : undefined;
}

/** Per-pod cumulative buckets of each track that has per-pod results; undefined when none has. */
export function podBuckets(
  results: Record<string, Series[]>,
  at: number,
  valueAt: ValueAt,
  toBuckets: (series: Series[], at: number) => Bucket[],
): PodBreakdown<PodBuckets> | undefined {
  const breakdown: PodBreakdown<PodBuckets> = {};
  for (const track of POD_TRACKS) {
    const series = results[podRole(`${track}.histogram`)];
    if (!series) continue;
    const pods = new Map<string, Series[]>();
    for (const s of series) {
      const pod = s.labels.pod;
      if (pod !== undefined) pods.set(pod, [...(pods.get(pod) ?? []), s]);
    }
    const withBuckets = [...pods]
      .map(([pod, list]) => ({ pod, buckets: toBuckets(list, at) }))
      .filter((p) => p.buckets.length > 0);
    if (withBuckets.length > 0) breakdown[track] = withBuckets;
  }
  return Object.keys(breakdown).length > 0 ? breakdown : undefined;
}

function byPod(series: Series[], at: number, valueAt: ValueAt): Map<string, number> {
  const values = new Map<string, number>();
  for (const s of series) {
    const pod = s.labels.pod;
    const value = valueAt(s, at);
    if (pod !== undefined && value !== undefined) values.set(pod, (values.get(pod) ?? 0) + value);
  }
  return values;
}
