import type { Series } from './provider.ts';

/**
 * Re-labels points of backends that time-stamp a GROUP BY/rollup bucket by its start so that each
 * point is stamped with its window's end, as Prometheus does, and keeps only windows ending in
 * [start, end]. Buckets are aligned to multiples of the step since the epoch, so the analysis polls
 * on those multiples too.
 */
export function stampWindowEnds(series: Series[], stepSeconds: number, start: number, end: number): Series[] {
  return series.map((s) => ({
    labels: s.labels,
    points: s.points
      .map(([t, v]): [number, number] => [t + stepSeconds, v])
      .filter(([t]) => t >= start && t <= end),
  }));
}
