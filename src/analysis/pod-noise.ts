/**
 * Pod-noise floor for the tolerance (issue 7). Pods of one image differ (node, neighbours, cache), so
 * even an A/A canary's pods differ from the baseline's: the canary÷baseline ratio carries a placement
 * factor whose spread is measurable on the stable image's pods (the baseline's, plus the stable
 * Deployment's when the per-pod breakdown includes them). The tested tolerance is
 *   max(tolerance, placement factor at PLACEMENT_Z standard deviations),
 * so a difference that pod placement alone would produce is never called a regression, and the user's
 * tolerance is kept whenever the fleet is quieter than that. The floor for poll k comes from polls
 * before k only (predictable), so the e-process stays valid for the per-poll null "ratio ≤ tolerance_k".
 */
import { normalQuantile, normalSurvival } from './normal.ts';
import type { PodBreakdown } from './types.ts';

/** Standard deviations of the canary-vs-baseline placement difference the floor covers (one-sided 0.13 %). */
export const PLACEMENT_Z = 2.5;

export type StableGroup = 'baseline' | 'stable';

/** A per-pod statistic of the stable image with its sampling variance. */
export interface PodSample {
  group: StableGroup;
  value: number;
  variance: number;
}

export interface PodSpread {
  /** Between-pod standard deviation of the statistic, sampling noise removed (0 when not measurable). */
  sd: number;
  /** Stable-image pods it rests on. */
  pods: number;
}

/** The spread counts only when the pods' heterogeneity test (Cochran's Q) rejects "no spread" at this level. */
export const SPREAD_SIGNIFICANCE = 0.05;

/**
 * Between-pod spread of a per-pod statistic, with sampling noise removed and only when it is significant.
 * Each group (baseline, stable Deployment: they differ in age and traffic) is centred on its own
 * precision-weighted mean; Cochran's Q = Σ (value − group mean)² / variance has a χ² distribution with
 * pods − groups degrees of freedom when pods differ by sampling noise alone. A quiet fleet (Q below its 95 %
 * quantile) has no spread; otherwise the DerSimonian–Laird estimate τ² = (Q − dof) / (Σw − Σ_g Σw²/Σw), which
 * shrinks the raw spread by the sampling noise each pod carries.
 */
export function podSpread(samples: readonly PodSample[]): PodSpread | undefined {
  const groups = new Map<StableGroup, PodSample[]>();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value) || !(sample.variance > 0) || !Number.isFinite(sample.variance))
      continue;
    groups.set(sample.group, [...(groups.get(sample.group) ?? []), sample]);
  }
  let q = 0;
  let weights = 0;
  let weightsSquaredShare = 0;
  let pods = 0;
  for (const members of groups.values()) {
    const w = members.map((s) => 1 / s.variance);
    const total = w.reduce((sum, x) => sum + x, 0);
    const mean = members.reduce((sum, s, i) => sum + w[i]! * s.value, 0) / total;
    members.forEach((s, i) => (q += w[i]! * (s.value - mean) ** 2));
    weights += total;
    weightsSquaredShare += w.reduce((sum, x) => sum + x * x, 0) / total;
    pods += members.length;
  }
  const dof = pods - groups.size;
  if (dof < 1) return undefined;
  if (q <= chiSquareQuantile(1 - SPREAD_SIGNIFICANCE, dof)) return { sd: 0, pods };
  const variance = (q - dof) / (weights - weightsSquaredShare);
  return { sd: Math.sqrt(Math.max(0, variance)), pods };
}

/** χ² quantile by the Wilson–Hilferty cube approximation (within 1 % for dof ≥ 1 at the levels used here). */
export function chiSquareQuantile(p: number, dof: number): number {
  const z = normalQuantile(p);
  const a = 2 / (9 * dof);
  return dof * (1 - a + z * Math.sqrt(a)) ** 3;
}

/**
 * Standard deviation of (canary pods' traffic-weighted mean − baseline pods' mean) per unit of pod sd, for a
 * canary laid out like the baseline: √(2·Σw_b²). The canary's own pods never enter, so an unevenly loaded
 * (or crashing) canary cannot loosen its own test.
 */
export function placementScale(baselineWeights: readonly number[]): number {
  const total = baselineWeights.reduce((sum, w) => sum + Math.max(0, w), 0);
  if (!(total > 0)) return NaN;
  const squares = baselineWeights.reduce((sum, w) => sum + (Math.max(0, w) / total) ** 2, 0);
  return Math.sqrt(2 * squares);
}

export type Track = keyof PodBreakdown<unknown>;
export const TRACKS: readonly Track[] = ['canary', 'baseline', 'stable'];

/** Per-pod running sums of each track, keyed by pod name (pods keep their names across polls). */
export class PodTotals<I extends { pod: string }, T> {
  readonly tracks: Record<Track, Map<string, T>> = {
    canary: new Map(),
    baseline: new Map(),
    stable: new Map(),
  };

  constructor(
    private readonly empty: () => T,
    private readonly add: (sum: T, item: I) => void,
  ) {}

  addAll(breakdown: PodBreakdown<I> | undefined): void {
    if (!breakdown) return;
    for (const track of TRACKS) {
      for (const item of breakdown[track] ?? []) {
        const map = this.tracks[track];
        let sum = map.get(item.pod);
        if (sum === undefined) {
          sum = this.empty();
          map.set(item.pod, sum);
        }
        this.add(sum, item);
      }
    }
  }
}

/** Pods with fewer bad events than this say too little about their own rate to enter the spread. */
export const MIN_POD_EVENTS = 10;

export interface Floor {
  /** Tolerance actually tested (≥ the metric's tolerance). */
  tolerance: number;
  spread: PodSpread;
}

/** The tolerance floor from a between-pod sd (in the statistic's units) turned into a ratio by `toRatio`. */
export function floorFrom(
  tolerance: number,
  spread: PodSpread,
  scale: number,
  toRatio: (shift: number) => number,
): Floor {
  const shift = PLACEMENT_Z * spread.sd * scale;
  return { tolerance: Math.max(tolerance, Number.isFinite(shift) ? toRatio(shift) : tolerance), spread };
}

const weightsOf = <T extends { total: number }>(map: Map<string, T>) => [...map.values()].map((s) => s.total);

/**
 * `ratio` metrics: the statistic is each stable pod's log rate, log(bad/total), with sampling variance
 * 1/bad (Poisson); placement multiplies the ratio by exp(shift).
 */
export function ratioFloor(
  totals: PodTotals<{ pod: string; bad: number; total: number }, { bad: number; total: number }>,
  tolerance: number,
): Floor | undefined {
  const samples: PodSample[] = [];
  for (const group of ['baseline', 'stable'] as const) {
    for (const { bad, total } of totals.tracks[group].values()) {
      if (bad >= MIN_POD_EVENTS && total > 0) {
        samples.push({ group, value: Math.log(bad / total), variance: 1 / bad });
      }
    }
  }
  const spread = podSpread(samples);
  if (!spread) return undefined;
  const scale = placementScale(weightsOf(totals.tracks.baseline));
  return floorFrom(tolerance, spread, scale, Math.exp);
}

export function ratioPodTotals() {
  return new PodTotals<{ pod: string; bad: number; total: number }, { bad: number; total: number }>(
    () => ({ bad: 0, total: 0 }),
    (sum, item) => {
      sum.bad += Math.max(0, item.bad || 0);
      sum.total += Math.max(0, item.total || 0);
    },
  );
}

/** Pods with fewer observations than this are left out of the latency spread. */
export const MIN_POD_OBSERVATIONS = 50;

type Histogram = Map<number, number>;

export function latencyPodTotals() {
  return new PodTotals<{ pod: string; buckets: ReadonlyArray<{ le: number; count: number }> }, Histogram>(
    () => new Map(),
    (sum, item) => {
      for (const { le, count } of item.buckets) sum.set(le, (sum.get(le) ?? 0) + Math.max(0, count || 0));
    },
  );
}

type LatencyTotals = ReturnType<typeof latencyPodTotals>;

/** Share of a histogram at or below `le` (observations ≤ le ÷ all), clamped half an observation inside (0, 1). */
function shareBelow(histogram: Histogram, le: number): { share: number; total: number } | undefined {
  const total = histogram.get(Infinity) ?? 0;
  const below = histogram.get(le);
  if (!(total > 0) || below === undefined) return undefined;
  const half = 0.5 / total;
  return { share: Math.min(1 - half, Math.max(half, below / total)), total };
}

function pooledBaseline(totals: LatencyTotals): Histogram {
  const pooled: Histogram = new Map();
  for (const histogram of totals.tracks.baseline.values()) {
    for (const [le, count] of histogram) pooled.set(le, (pooled.get(le) ?? 0) + count);
  }
  return pooled;
}

/**
 * `latency` metrics: pods of one image differ mostly by a shift of their latency distribution, which in
 * probit units, Φ⁻¹(share ≤ T), is the same at every bound T for a log-normal-like shape. The spread is
 * measured at the bucket bound nearest the stable pods' median (where it is measured best), and placement
 * by `shift` probits multiplies the exceedance at a tested bound T by S(z_T − shift)/S(z_T), z_T the
 * baseline's probit at T: large in the tail, which is where pod noise used to raise false alarms.
 */
export function latencyFloors(
  totals: LatencyTotals,
  tolerance: number,
  bounds: readonly number[],
): { floors: number[]; spread: PodSpread } | undefined {
  const pooled = pooledBaseline(totals);
  const finite = [...pooled.keys()].filter((le) => Number.isFinite(le));
  const reference = finite.reduce<{ le: number; distance: number } | undefined>((best, le) => {
    const distance = Math.abs((shareBelow(pooled, le)?.share ?? 0) - 0.5);
    return best === undefined || distance < best.distance ? { le, distance } : best;
  }, undefined);
  if (!reference) return undefined;
  const samples: PodSample[] = [];
  for (const group of ['baseline', 'stable'] as const) {
    for (const histogram of totals.tracks[group].values()) {
      const below = shareBelow(histogram, reference.le);
      if (!below || below.total < MIN_POD_OBSERVATIONS) continue;
      const z = normalQuantile(below.share);
      const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      samples.push({
        group,
        value: z,
        variance: (below.share * (1 - below.share)) / (below.total * density * density),
      });
    }
  }
  const spread = podSpread(samples);
  if (!spread) return undefined;
  const total = (map: Map<string, Histogram>) => [...map.values()].map((h) => h.get(Infinity) ?? 0);
  const scale = placementScale(total(totals.tracks.baseline));
  const floors = bounds.map((bound) => {
    const below = shareBelow(pooled, bound);
    if (!below) return tolerance;
    const z = normalQuantile(below.share);
    return floorFrom(tolerance, spread, scale, (shift) => normalSurvival(z - shift) / normalSurvival(z))
      .tolerance;
  });
  return { floors, spread };
}
