/** A `ratio` metric: bad events ÷ total events per track, judged by the ratio e-process. */
import type { AssessContext, Assessment } from './assessment.ts';
import { interval, num, percent } from './format.ts';
import { standardGrid } from './grid.ts';
import { ratioFloor, ratioPodTotals, type Floor } from './pod-noise.ts';
import { ratioTest, type RatioPoint, type RatioTestOutcome } from './ratio-test.ts';
import { collect, describeNoData } from './series.ts';
import { toleranceOf } from './spec.ts';
import type { MetricSpec, Observation, Poll, TrackSummary } from './types.ts';

/** A metric whose traffic could not catch twice the tolerance is inconclusive at maxDuration. */
export const DETECTABLE_FACTOR = 2;

export function assessRatio(
  metric: MetricSpec,
  polls: readonly Poll[],
  { threshold, final }: AssessContext,
): Assessment {
  const tolerance = toleranceOf(metric);
  const collected = collect(polls, metric.name, 'ratio');
  const { points, floor } = withPodFloor(collected.points, tolerance);
  const outcome = ratioTest(points, standardGrid(tolerance), threshold, { detectableEffect: final });
  const noData = outcome.exposurePolls === 0;
  const tested = tolerance * outcome.allowance;
  const quiet = noBadEvents(outcome);
  return {
    result: {
      ...ratioResultFields(metric, outcome, threshold),
      ...floorFields(floor),
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls,
    },
    failed: outcome.maxEvidence >= threshold,
    noData,
    withinTolerance: !noData && outcome.bounds[1] < tested,
    ...(quiet ? {} : undetectable(outcome, tested)),
    summary: describeRatio(outcome, tested, threshold) + describeFloor(floor, tolerance),
    failNote: () => describeCrossing(outcome.trajectory, threshold),
    passNote: () => `upper bound ${num(outcome.bounds[1])} < tolerance ${num(tested)}`,
    finalNote: () => finalNote(outcome, threshold),
    noDataNote: () =>
      collected.points.length === 0
        ? describeNoData(collected)
        : describeMissingTraffic(collected.points.map((point) => point.observation)),
  };
}

/**
 * The points with each poll's pod-noise allowance, from the per-pod counts of the polls before it, and
 * the floor in force at the last poll (undefined without per-pod data).
 */
function withPodFloor(
  collected: ReadonlyArray<{ t: number; observation: Extract<Observation, { kind: 'ratio' }> }>,
  tolerance: number,
): { points: RatioPoint[]; floor?: Floor } {
  const totals = ratioPodTotals();
  let floor: Floor | undefined;
  const points = collected.map(({ t, observation: o }) => {
    const point: RatioPoint = {
      t,
      canaryBad: o.canaryBad,
      canaryTotal: o.canaryTotal,
      baselineBad: o.baselineBad,
      baselineTotal: o.baselineTotal,
    };
    floor = ratioFloor(totals, tolerance) ?? floor;
    if (floor) point.allowance = floor.tolerance / tolerance;
    totals.addAll(o.pods);
    return point;
  });
  return floor ? { points, floor } : { points };
}

/** Neither track had a bad event: the ratio cannot be estimated, only the canary's rate bounded. */
function noBadEvents(outcome: RatioTestOutcome): boolean {
  return outcome.exposurePolls > 0 && outcome.canary.bad === 0 && outcome.baseline.bad === 0;
}

/**
 * Anytime-valid upper bound on a rate after zero events in `total` trials: e^(λ·N_t)·1{no event by t} is a
 * martingale under rate λ, so λ is rejected once e^(λ·N) ≥ threshold.
 */
export function zeroEventRateBound(total: number, threshold: number): number {
  return total > 0 ? Math.min(1, Math.log(threshold) / total) : 1;
}

/** What a pass at maxDuration rests on: the upper bound on the ratio, or on the canary's rate without events. */
export function finalNote(outcome: RatioTestOutcome, threshold: number): string {
  if (noBadEvents(outcome)) {
    return (
      `no bad events on either track (canary 0/${num(outcome.canary.total)}, baseline 0/${num(outcome.baseline.total)}): ` +
      `the canary's rate is below ${percent(zeroEventRateBound(outcome.canary.total, threshold))}; no ratio can be estimated`
    );
  }
  return Number.isFinite(outcome.bounds[1])
    ? `no evidence of harm; compatible with ratios up to ${num(outcome.bounds[1])}`
    : 'no evidence of harm, but no upper bound on the ratio either';
}

export function floorFields(floor: Floor | undefined) {
  return floor ? { effectiveTolerance: floor.tolerance, podSpread: { ...floor.spread } } : {};
}

export function describeFloor(floor: Floor | undefined, tolerance: number): string {
  if (!floor) return '';
  const raised = floor.tolerance > tolerance;
  return (
    `; pod-to-pod spread ${num(floor.spread.sd)} over ${floor.spread.pods} stable pod(s)` +
    (raised ? `: tolerance raised from ${num(tolerance)} to ${num(floor.tolerance)}` : `, tolerance kept`)
  );
}

/** The MetricResult fields shared by `ratio` and `latency`. */
export function ratioResultFields(metric: MetricSpec, outcome: RatioTestOutcome, threshold: number) {
  return {
    name: metric.name,
    kind: metric.kind,
    blocking: metric.blocking,
    canary: track(outcome.canary, threshold),
    baseline: track(outcome.baseline, threshold),
    estimate: outcome.estimate,
    bounds: outcome.bounds,
    evidence: outcome.evidence,
    threshold,
    trajectory: outcome.trajectory,
    ...(outcome.dispersion > 1 ? { dispersion: outcome.dispersion } : {}),
    ...(outcome.minimumDetectableEffect === undefined
      ? {}
      : { minimumDetectableEffect: outcome.minimumDetectableEffect }),
  };
}

function track(counts: { bad: number; total: number }, threshold: number): TrackSummary {
  return {
    bad: counts.bad,
    total: counts.total,
    ...(counts.total > 0 ? { rate: counts.bad / counts.total } : {}),
    ...(counts.total > 0 && counts.bad === 0
      ? { rateUpper: zeroEventRateBound(counts.total, threshold) }
      : {}),
  };
}

export function undetectable(outcome: RatioTestOutcome, tolerance: number): { undetectable?: string } {
  const mde = outcome.minimumDetectableEffect;
  if (mde === undefined || mde <= DETECTABLE_FACTOR * tolerance) return {};
  return {
    undetectable:
      `too little traffic: the smallest ratio it would detect with 80% power is ${num(mde)}, above ${DETECTABLE_FACTOR}×tolerance ` +
      `(${num(DETECTABLE_FACTOR * tolerance)}), after ${num(outcome.canary.total)} canary and ` +
      `${num(outcome.baseline.total)} baseline events`,
  };
}

/** The numbers of one ratio test; the e-value clause only when `threshold` is given. */
export function describeRatio(outcome: RatioTestOutcome, tolerance: number, threshold?: number): string {
  const { canary, baseline } = outcome;
  const rate = (c: { bad: number; total: number }) =>
    `${percent(c.total > 0 ? c.bad / c.total : undefined)} (${num(c.bad)}/${num(c.total)})`;
  const notes: string[] = [];
  if (canary.total > 0 && baseline.total > 0 && canary.bad === 0 && baseline.bad === 0) {
    notes.push('no bad events on either track');
  } else if (baseline.bad === 0 && canary.bad > 0) {
    notes.push('the baseline had no bad events, so the ratio is ∞');
  }
  if (outcome.baselineMissingPolls > 0) {
    notes.push(
      `the baseline had no traffic in ${outcome.baselineMissingPolls} poll(s) where the canary had some`,
    );
  }
  if (outcome.exposurePolls === 0) {
    return `canary ${rate(canary)} vs baseline ${rate(baseline)}; no poll had traffic on both tracks yet`;
  }
  return (
    `canary ${rate(canary)} vs baseline ${rate(baseline)}; ratio ${num(outcome.estimate)}, ` +
    `bounds ${interval(outcome.bounds)}, tolerance ${num(tolerance)}` +
    (threshold === undefined ? '' : `; e-value ${num(outcome.evidence)} (fails at ${num(threshold)})`) +
    (outcome.dispersion > 1 ? `; evidence tempered for noise (dispersion ${num(outcome.dispersion)})` : '') +
    notes.map((note) => `; ${note}`).join('')
  );
}

export function describeCrossing(
  trajectory: ReadonlyArray<{ t: number; evidence: number }>,
  threshold: number,
): string {
  const crossing = trajectory.find((point) => point.evidence >= threshold);
  return crossing
    ? `e-value ${num(crossing.evidence)} reached ${num(threshold)} at t=${num(crossing.t)}s`
    : `e-value stayed below ${num(threshold)}`;
}

function describeMissingTraffic(
  observations: ReadonlyArray<{ canaryTotal: number; baselineTotal: number }>,
): string {
  const sum = (pick: (o: { canaryTotal: number; baselineTotal: number }) => number) =>
    observations.reduce((total, o) => total + Math.max(0, pick(o) || 0), 0);
  return (
    `no poll where both tracks had traffic (${observations.length} poll(s) with observations: ` +
    `canary total ${num(sum((o) => o.canaryTotal))}, baseline total ${num(sum((o) => o.baselineTotal))})`
  );
}
