import type { Bucket, Observation } from '../analysis/types.ts';
import type { MetricConfig } from '../config/types.ts';
import type { MetricsProvider, Series } from './provider.ts';
import { QueryError } from '../util/errors.ts';
import { renderQuery, type QueryVariables } from './query.ts';
import { podBuckets, podCounts, podRole } from './pod-breakdown.ts';

export type Track = 'canary' | 'baseline';

/** Everything needed to turn a metric definition into queries for one track. */
export interface TrackContext {
  selector: string;
  variables: QueryVariables;
  /** The poll window (`{{interval}}` is the same, written as a duration). */
  intervalMs: number;
}

/** The two arms, and optionally the stable fleet, whose pods only feed the judge's pod-noise floor. */
export type Tracks = Record<Track, TrackContext> & { stable?: TrackContext };
type AnyTrack = Track | 'stable';

export interface Measurement {
  observation: Observation;
  /** The exact queries sent, by role (e.g. `canary.bad`). */
  queries: Record<string, string>;
  /** Requests per track in this window, when the metric can tell (ratio totals, histogram counts). */
  traffic?: { canary: number; baseline: number };
  /** The backend did not answer (the observation is no data). */
  unanswered?: true;
}

/**
 * The queries a metric sends for each track, rendered with that track's variables; ratio and latency
 * metrics add per-pod variants (`<role>.pods`) where the provider can write them, and the stable
 * fleet's when its selector is known.
 */
export function metricQueries(
  metric: MetricConfig,
  provider: MetricsProvider,
  tracks: Tracks,
): Record<string, string> {
  const queries: Record<string, string> = {};
  const add = (track: AnyTrack, context: TrackContext, withAggregate: boolean) => {
    const render = (query: string) =>
      renderQuery(query, context.variables, (value) => provider.escapeValue(value));
    const roles: Record<string, string> =
      metric.type === 'ratio'
        ? { bad: render(metric.bad ?? ''), total: render(metric.total ?? '') }
        : metric.type === 'latency'
          ? {
              histogram: provider.histogramQuery(
                metric.histogram ?? '',
                context.selector,
                context.intervalMs,
              ),
            }
          : { value: render(metric.query ?? '') };
    for (const [role, query] of Object.entries(roles)) {
      if (withAggregate) queries[`${track}.${role}`] = query;
      const perPod =
        metric.type === 'ratio' || metric.type === 'latency' ? provider.byPod?.(query) : undefined;
      if (perPod) queries[podRole(`${track}.${role}`)] = perPod;
    }
  };
  add('canary', tracks.canary, true);
  if (metric.type !== 'threshold') add('baseline', tracks.baseline, true);
  if (tracks.stable && (metric.type === 'ratio' || metric.type === 'latency'))
    add('stable', tracks.stable, false);
  return queries;
}

/** Runs one metric's queries for the poll window ending at `at` (unix seconds) and builds the judge's observation. */
export async function measure(
  metric: MetricConfig,
  provider: MetricsProvider,
  tracks: Tracks,
  at: number,
  stepSeconds: number,
  signal?: AbortSignal,
): Promise<Measurement> {
  const queries = metricQueries(metric, provider, tracks);
  const results = Object.fromEntries(
    await Promise.all(
      Object.entries(queries).map(async ([role, query]) => {
        try {
          const range = { query, start: at, end: at, stepSeconds, ...(signal ? { signal } : {}) };
          return [role, await provider.queryRange(range)] as const;
        } catch (error) {
          if (!(error instanceof QueryError)) throw error;
          const message = error.message.slice(0, error.message.lastIndexOf('\n  query: '));
          throw new QueryError(query, `metric ${JSON.stringify(metric.name)} (${role} query): ${message}`, {
            cause: error,
          });
        }
      }),
    ),
  ) as Record<string, Series[]>;
  return { ...toObservation(metric, results, at), queries };
}

function toObservation(
  metric: MetricConfig,
  results: Record<string, Series[]>,
  at: number,
): Omit<Measurement, 'queries'> {
  const count = (role: string) => valueAt(results[role] ?? [], at, true);
  const value = (role: string) => valueAt(results[role] ?? [], at, false);
  const noData = (role: string): Omit<Measurement, 'queries'> => ({
    observation: { kind: 'nodata', reason: `no series for ${role.replace('.', ' ')}` },
  });
  switch (metric.type) {
    case 'ratio': {
      const canaryTotal = count('canary.total');
      const baselineTotal = count('baseline.total');
      if (canaryTotal === undefined) return noData('canary.total');
      if (baselineTotal === undefined) return noData('baseline.total');
      // No series for the bad events while the totals exist means none happened (no 5xx series yet).
      const pods = podCounts(results, at, (series, t) => valueAt([series], t, true));
      return {
        observation: {
          kind: 'ratio',
          canaryBad: count('canary.bad') ?? 0,
          canaryTotal,
          baselineBad: count('baseline.bad') ?? 0,
          baselineTotal,
          ...(pods ? { pods } : {}),
        },
        traffic: { canary: canaryTotal, baseline: baselineTotal },
      };
    }
    case 'latency': {
      const canary = buckets(results['canary.histogram'] ?? [], at);
      const baseline = buckets(results['baseline.histogram'] ?? [], at);
      if (canary.length === 0) return noData('canary.histogram');
      if (baseline.length === 0) return noData('baseline.histogram');
      const requests = (list: Bucket[]) => list[list.length - 1]?.count ?? 0;
      const pods = podBuckets(results, at, (series, t) => valueAt([series], t, true), buckets);
      return {
        observation: { kind: 'latency', canary, baseline, ...(pods ? { pods } : {}) },
        traffic: { canary: requests(canary), baseline: requests(baseline) },
      };
    }
    case 'gauge': {
      const canary = value('canary.value');
      const baseline = value('baseline.value');
      if (canary === undefined) return noData('canary.value');
      if (baseline === undefined) return noData('baseline.value');
      return { observation: { kind: 'gauge', canary, baseline } };
    }
    case 'threshold': {
      const canary = value('canary.value');
      if (canary === undefined) return noData('canary.value');
      return { observation: { kind: 'threshold', value: canary } };
    }
  }
}

/**
 * Sum over series of each series' point at `at` (or its last point); undefined when no series has one.
 * Counts are clamped at zero: an extrapolated `increase` can dip below it around a counter reset.
 */
function valueAt(series: Series[], at: number, isCount: boolean): number | undefined {
  let sum: number | undefined;
  for (const s of series) {
    const point = s.points.find(([t]) => t === at) ?? s.points[s.points.length - 1];
    if (point) sum = (sum ?? 0) + (isCount ? Math.max(0, point[1]) : point[1]);
  }
  return sum;
}

/** Cumulative buckets by upper bound from series labelled `le`, summing series that share a bound. */
function buckets(series: Series[], at: number): Bucket[] {
  const byBound = new Map<number, number>();
  for (const s of series) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const bound = le === '+Inf' || le === 'inf' || le === 'Inf' ? Infinity : Number(le);
    const value = valueAt([s], at, true);
    if (Number.isNaN(bound) || value === undefined) continue;
    byBound.set(bound, (byBound.get(bound) ?? 0) + value);
  }
  if (!byBound.has(Infinity)) return [];
  return [...byBound.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}
