/**
 * A `latency` metric from per-poll histogram bucket increases. Two or three bucket bounds T near the
 * baseline's p50/p90/p99 are chosen once, from the baseline's accumulated buckets as soon as it has
 * enough observations, and then fixed; only polls after that choice are tested, so the choice cannot
 * bias the test. At each T, "slower than T" is a ratio metric; the metric's e-value is the average of
 * the per-bound e-values (an average of e-values is an e-value). Quantiles are never compared.
 */
import type { AssessContext, Assessment } from './assessment.ts';
import { num } from './format.ts';
import { standardGrid } from './grid.ts';
import {
  describeCrossing,
  describeFloor,
  describeRatio,
  floorFields,
  ratioResultFields,
  undetectable,
} from './ratio-metric.ts';
import { latencyFloors, latencyPodTotals, type PodSpread } from './pod-noise.ts';
import { ratioTest, type RatioPoint, type RatioTestOutcome, type TrajectoryPoint } from './ratio-test.ts';
import { collect, describeNoData } from './series.ts';
import { toleranceOf } from './spec.ts';
import type { Bucket, MetricSpec, PodBreakdown, PodBuckets, Poll } from './types.ts';

export const LATENCY_QUANTILES = [0.5, 0.9, 0.99] as const;
/** Baseline observations needed before the bounds are chosen (p99 then rests on at least one request). */
export const MIN_BASELINE_OBSERVATIONS = 100;
export const MIN_SLOWER_OBSERVATIONS = 5;

/** Count at bound `le` (Infinity for +Inf), or undefined when the histogram has no such bucket. */
export function bucketCount(buckets: readonly Bucket[], le: number): number | undefined {
  for (const bucket of buckets) {
    if (bucket.le === le || (Number.isFinite(le) && Math.abs(bucket.le - le) <= 1e-9 * le))
      return bucket.count;
  }
  return undefined;
}

/**
 * For each quantile, of the two finite bucket bounds around it, the one whose cumulative share is
 * nearer the quantile; deduplicated, ascending. Bounds are Prometheus `le` values, in seconds. Only
 * bounds that at least MIN_SLOWER_OBSERVATIONS baseline requests exceeded are eligible (a bound almost
 * nobody exceeds cannot bound a ratio, which would hold off an early pass), unless none is, when the
 * smallest bound is the only way left to see the canary slow down.
 */
export function chooseBounds(accumulated: readonly Bucket[]): number[] {
  const total = bucketCount(accumulated, Infinity) ?? 0;
  const sorted = accumulated.filter((bucket) => Number.isFinite(bucket.le)).sort((a, b) => a.le - b.le);
  if (total <= 0 || sorted.length === 0) return [];
  const exceeded = sorted.filter((bucket) => total - bucket.count >= MIN_SLOWER_OBSERVATIONS);
  const finite = exceeded.length > 0 ? exceeded : sorted.slice(0, 1);
  const bounds = new Set<number>();
  for (const quantile of LATENCY_QUANTILES) {
    const above = finite.findIndex((bucket) => bucket.count >= quantile * total);
    const below = (above < 0 ? finite.length : above) - 1;
    const candidates = [finite[below], finite[above]].filter((bucket) => bucket !== undefined);
    const nearest = candidates.reduce<Bucket | undefined>(
      (best, bucket) =>
        best === undefined ||
        Math.abs(bucket.count / total - quantile) < Math.abs(best.count / total - quantile)
          ? bucket
          : best,
      undefined,
    );
    if (nearest) bounds.add(nearest.le);
  }
  return [...bounds].sort((a, b) => a - b);
}

export interface LatencyOutcome {
  bounds: number[];
  /** t of the poll whose accumulated baseline fixed the bounds. */
  chosenAt?: number;
  baselineObservations: number;
  perBound: RatioTestOutcome[];
  evidence: number;
  maxEvidence: number;
  trajectory: TrajectoryPoint[];
  /** Pod-noise floor at the last tested poll: tolerance per bound and the spread it rests on. */
  floor?: { tolerances: number[]; spread: PodSpread };
}

export interface LatencyPoint {
  t: number;
  canary: readonly Bucket[];
  baseline: readonly Bucket[];
  pods?: PodBreakdown<PodBuckets>;
}

export function latencyTest(
  points: readonly LatencyPoint[],
  tolerance: number,
  threshold: number,
  detectableEffect = false,
): LatencyOutcome {
  const accumulated = new Map<number, number>();
  let chosen = -1;
  let bounds: number[] = [];
  for (let i = 0; i < points.length && chosen < 0; i++) {
    for (const bucket of points[i]!.baseline) {
      accumulated.set(bucket.le, (accumulated.get(bucket.le) ?? 0) + Math.max(0, bucket.count || 0));
    }
    if ((accumulated.get(Infinity) ?? 0) >= MIN_BASELINE_OBSERVATIONS) {
      chosen = i;
      bounds = chooseBounds([...accumulated].map(([le, count]) => ({ le, count })));
    }
  }
  const baselineObservations = accumulated.get(Infinity) ?? 0;
  const tested = chosen < 0 ? [] : points.slice(chosen + 1);
  // Simultaneous bounds over the tested T's: each per-bound sequence runs at threshold × (number of bounds).
  const perBoundThreshold = threshold * Math.max(1, bounds.length);
  const grid = standardGrid(tolerance);
  const { allowances, floor } = podAllowances(points, chosen, bounds, tolerance);
  const perBound = bounds.map((bound, b) =>
    ratioTest(
      tested.map((p, k) => ({ ...slowerThan(bound, p), allowance: allowances[k]?.[b] ?? 1 })),
      grid,
      perBoundThreshold,
      { detectableEffect },
    ),
  );

  const trajectory: TrajectoryPoint[] = points
    .slice(0, chosen < 0 ? points.length : chosen + 1)
    .map(({ t }) => ({
      t,
      evidence: 1,
    }));
  const reporting = reportingBound(perBound);
  let maxEvidence = 1;
  tested.forEach(({ t }, k) => {
    const evidence =
      perBound.reduce((sum, outcome) => sum + outcome.trajectory[k]!.evidence, 0) / perBound.length;
    maxEvidence = Math.max(maxEvidence, evidence);
    const shown = reporting === undefined ? undefined : perBound[reporting]!.trajectory[k];
    trajectory.push({ ...shown, t, evidence });
  });
  return {
    bounds,
    ...(chosen < 0 ? {} : { chosenAt: points[chosen]!.t }),
    baselineObservations,
    perBound,
    evidence: trajectory.at(-1)?.evidence ?? 1,
    maxEvidence,
    trajectory,
    ...(floor ? { floor } : {}),
  };
}

/**
 * For each tested poll (after `chosen`), the allowance per bound from the per-pod histograms of the polls
 * before it (predictable: the e-process stays valid), and the floor in force at the last one.
 */
function podAllowances(
  points: readonly LatencyPoint[],
  chosen: number,
  bounds: readonly number[],
  tolerance: number,
): { allowances: Array<number[] | undefined>; floor?: { tolerances: number[]; spread: PodSpread } } {
  const totals = latencyPodTotals();
  const allowances: Array<number[] | undefined> = [];
  let floor: { tolerances: number[]; spread: PodSpread } | undefined;
  points.forEach((point, i) => {
    if (chosen >= 0 && i > chosen) {
      const floors = latencyFloors(totals, tolerance, bounds);
      if (floors) floor = { tolerances: floors.floors, spread: floors.spread };
      allowances.push(floor?.tolerances.map((t) => t / tolerance));
    }
    totals.addAll(point.pods);
  });
  return floor ? { allowances, floor } : { allowances };
}

function slowerThan(
  bound: number,
  point: { t: number; canary: readonly Bucket[]; baseline: readonly Bucket[] },
): RatioPoint {
  const canaryTotal = bucketCount(point.canary, Infinity);
  const canaryFast = bucketCount(point.canary, bound);
  const baselineTotal = bucketCount(point.baseline, Infinity);
  const baselineFast = bucketCount(point.baseline, bound);
  if (
    canaryTotal === undefined ||
    canaryFast === undefined ||
    baselineTotal === undefined ||
    baselineFast === undefined
  ) {
    return { t: point.t, canaryBad: 0, canaryTotal: 0, baselineBad: 0, baselineTotal: 0 };
  }
  return {
    t: point.t,
    canaryBad: canaryTotal - canaryFast,
    canaryTotal,
    baselineBad: baselineTotal - baselineFast,
    baselineTotal,
  };
}

/** The bound that currently carries the most evidence (the first on ties): its counts are the ones shown. */
function reportingBound(perBound: readonly RatioTestOutcome[]): number | undefined {
  let best: number | undefined;
  perBound.forEach((outcome, i) => {
    if (best === undefined || outcome.evidence > perBound[best]!.evidence) best = i;
  });
  return best;
}

export function assessLatency(
  metric: MetricSpec,
  polls: readonly Poll[],
  { threshold, final }: AssessContext,
): Assessment {
  const tolerance = toleranceOf(metric);
  const collected = collect(polls, metric.name, 'latency');
  const outcome = latencyTest(
    collected.points.map(({ t, observation }) => ({
      t,
      canary: observation.canary,
      baseline: observation.baseline,
      ...(observation.pods ? { pods: observation.pods } : {}),
    })),
    tolerance,
    threshold,
    final,
  );
  const testedTolerance = (outcome: RatioTestOutcome) => tolerance * outcome.allowance;
  const floor = outcome.floor && {
    tolerance: Math.max(...outcome.floor.tolerances),
    spread: outcome.floor.spread,
  };
  const reporting = reportingBound(outcome.perBound);
  const shown = reporting === undefined ? undefined : outcome.perBound[reporting];
  const exposed = outcome.perBound.some((o) => o.exposurePolls > 0);
  const canaryObservations = collected.points.reduce(
    (sum, { observation }) => sum + Math.max(0, bucketCount(observation.canary, Infinity) || 0),
    0,
  );
  const noData =
    collected.points.length === 0 || outcome.baselineObservations === 0 || canaryObservations === 0;
  const upper = Math.max(...outcome.perBound.map((o) => o.bounds[1]));
  const mdes = outcome.perBound.map((o) => o.minimumDetectableEffect ?? Infinity);
  const best = mdes.indexOf(Math.min(...mdes));
  const boundsText = `tested bounds ${outcome.bounds.map((b) => `${num(b)}s`).join(', ') || 'none yet'}`;
  return {
    result: {
      ...(shown
        ? ratioResultFields(metric, shown, threshold)
        : {
            name: metric.name,
            kind: metric.kind,
            blocking: metric.blocking,
            canary: {},
            baseline: {},
            threshold,
          }),
      ...(shown
        ? {
            estimate: Math.max(...outcome.perBound.map((o) => o.estimate)),
            bounds: [Math.max(...outcome.perBound.map((o) => o.bounds[0])), upper] as [number, number],
          }
        : {}),
      ...(best >= 0 && outcome.perBound[best]!.minimumDetectableEffect !== undefined
        ? { minimumDetectableEffect: mdes[best]! }
        : {}),
      evidence: outcome.evidence,
      trajectory: outcome.trajectory,
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls,
      testedBounds: outcome.bounds,
      ...floorFields(floor),
    },
    failed: outcome.maxEvidence >= threshold,
    noData,
    withinTolerance: exposed && outcome.perBound.every((o) => o.bounds[1] < testedTolerance(o)),
    ...(noData
      ? {}
      : outcome.chosenAt === undefined
        ? {
            undetectable: `too little traffic: the baseline recorded ${num(outcome.baselineObservations)} observations, ${MIN_BASELINE_OBSERVATIONS} are needed to choose the bucket bounds`,
          }
        : !exposed
          ? {
              undetectable: `too little traffic: no poll after the bounds were chosen (t=${num(outcome.chosenAt)}s) had observations on both tracks`,
            }
          : undetectable(outcome.perBound[best]!, testedTolerance(outcome.perBound[best]!))),
    summary: shown
      ? `${boundsText}; slower than ${num(outcome.bounds[reporting!])}s: ${describeRatio(shown, testedTolerance(shown))}; averaged e-value ${num(outcome.evidence)} (fails at ${num(threshold)})${describeFloor(floor, tolerance)}`
      : `${boundsText}; baseline observations so far ${num(outcome.baselineObservations)} (bounds are chosen at ${MIN_BASELINE_OBSERVATIONS})`,
    failNote: () => describeCrossing(outcome.trajectory, threshold),
    passNote: () =>
      `upper bound ${num(upper)} < tolerance ${num(floor?.tolerance ?? tolerance)} at every tested bound`,
    finalNote: () =>
      Number.isFinite(upper)
        ? `no evidence of harm; compatible with exceedance ratios up to ${num(upper)} at the tested bounds`
        : 'no evidence of harm, but no upper bound on the exceedance ratio at every tested bound either',
    noDataNote: () =>
      collected.points.length === 0
        ? describeNoData(collected)
        : `the ${outcome.baselineObservations === 0 ? 'baseline' : 'canary'} histogram recorded no observations in ${collected.points.length} poll(s)`,
  };
}
