/**
 * Sequential test for gauges (CPU, memory per request, …) on paired per-poll differences
 * d = canary − τ·baseline (direction 'increase'; d = baseline − τ·canary for 'decrease'), H0 mean(d) ≤ 0.
 *
 * Variance choice: instead of plugging in a running variance (which, simulated at α = 0.01 over 20 polls,
 * raised false alarms to ~12%), the unknown scale is integrated out exactly: the e-value is the
 * scale-invariant Bayes factor (right-Haar prior on σ, half-normal prior of scale √g on the effect size
 * δ = mean/σ), Lai (1976) / Pérez-Ortiz et al. (2024) "anytime-valid t-test". It depends on the data only
 * through n and ω = Σd/√Σd², is a test martingale at δ = 0 for normal differences, and ω is pathwise
 * non-decreasing in δ, so it stays valid for every δ ≤ 0.
 *   E = 2/√(1+ng) · ∫ v^(n-1) e^(-v²/2) e^(b²/2) Φ(b) dv / (2^(n/2-1) Γ(n/2)),  b = vω/√(n + 1/g),
 * which reduces to a Student-t CDF (see tMixtureEValue).
 */
import { logStudentTCdf } from './special-functions.ts';
import type { TrajectoryPoint } from './ratio-test.ts';

export interface GaugePoint {
  t: number;
  canary: number;
  baseline: number;
}

export interface GaugeOutcome {
  evidence: number;
  maxEvidence: number;
  trajectory: TrajectoryPoint[];
  samples: number;
  canaryMean: number;
  baselineMean: number;
  /** mean canary ÷ mean baseline. */
  estimate: number;
  bounds: [number, number];
}

/** Prior variance of the standardised effect per poll. */
export const EFFECT_PRIOR_VARIANCE = 1;

/**
 * One-sided e-value against "mean ≤ 0" from n ≥ 2 differences with ω = Σd/√Σd². The v integral is a
 * Student-t CDF: with a = 1 − β², β = ω/√(n + 1/g),
 *   E = 2 (1 + ng)^(-1/2) a^(-n/2) F_t(n dof)(β√(n/a)).
 */
export function tMixtureEValue(n: number, omega: number, g = EFFECT_PRIOR_VARIANCE): number {
  if (n < 2 || !Number.isFinite(omega)) return 1;
  const beta = omega / Math.sqrt(n + 1 / g);
  const a = 1 - beta * beta;
  return Math.exp(
    Math.LN2 - 0.5 * Math.log1p(n * g) - (n / 2) * Math.log(a) + logStudentTCdf(beta * Math.sqrt(n / a), n),
  );
}

/**
 * The average of the two one-sided e-values (a full normal prior on δ) has a closed form:
 * (1 + ng)^(-1/2) · (1 − ω²/(n + 1/g))^(-n/2).
 */
export function twoSidedTMixtureEValue(n: number, omega: number, g = EFFECT_PRIOR_VARIANCE): number {
  if (n < 2 || !Number.isFinite(omega)) return 1;
  return Math.exp(-0.5 * Math.log1p(n * g) - (n / 2) * Math.log1p(-(omega * omega) / (n + 1 / g)));
}

/** |ω| at which the two-sided e-value reaches the threshold (may exceed √n, the largest |ω| possible). */
function criticalOmegaSquared(n: number, threshold: number, g = EFFECT_PRIOR_VARIANCE): number {
  return (n + 1 / g) * (1 - (threshold * threshold * (1 + n * g)) ** (-1 / n));
}

interface Sums {
  n: number;
  c: number;
  b: number;
  cc: number;
  bb: number;
  cb: number;
}

/** ω for d = canary − θ·baseline from running sums. */
function omegaAt(sums: Sums, theta: number): number {
  const s = sums.c - theta * sums.b;
  const q = sums.cc - 2 * theta * sums.cb + theta * theta * sums.bb;
  return q > 0 ? s / Math.sqrt(q) : NaN;
}

export function gaugeTest(
  points: readonly GaugePoint[],
  tolerance: number,
  direction: 'increase' | 'decrease',
  threshold: number,
): GaugeOutcome {
  const sums: Sums = { n: 0, c: 0, b: 0, cc: 0, bb: 0, cb: 0 };
  // 'decrease' is the mirror image: swap the tracks.
  const swapped: Sums = { n: 0, c: 0, b: 0, cc: 0, bb: 0, cb: 0 };
  const trajectory: TrajectoryPoint[] = [];
  let evidence = 1;
  let maxEvidence = 1;
  for (const point of points) {
    if (!Number.isFinite(point.canary) || !Number.isFinite(point.baseline)) continue;
    const { canary: c, baseline: b } = point;
    sums.n++;
    sums.c += c;
    sums.b += b;
    sums.cc += c * c;
    sums.bb += b * b;
    sums.cb += c * b;
    Object.assign(swapped, { n: sums.n, c: sums.b, b: sums.c, cc: sums.bb, bb: sums.cc, cb: sums.cb });
    evidence = tMixtureEValue(sums.n, omegaAt(direction === 'increase' ? sums : swapped, tolerance));
    maxEvidence = Math.max(maxEvidence, evidence);
    trajectory.push({ t: point.t, evidence, canary: c, baseline: b });
  }
  const canaryMean = sums.n > 0 ? sums.c / sums.n : NaN;
  const baselineMean = sums.n > 0 ? sums.b / sums.n : NaN;
  return {
    evidence,
    maxEvidence,
    trajectory,
    samples: sums.n,
    canaryMean,
    baselineMean,
    estimate: meanRatio(sums),
    bounds: ratioBounds(sums, threshold),
  };
}

function meanRatio(sums: Sums): number {
  if (sums.n === 0) return NaN;
  if (sums.b === 0) return sums.c === 0 ? 1 : Infinity;
  return sums.c / sums.b;
}

/**
 * Confidence sequence for mean canary ÷ mean baseline: {θ : two-sided E(θ) < threshold}, i.e.
 * ω(θ)² < ω*², a quadratic inequality in θ solved exactly.
 */
function ratioBounds(sums: Sums, threshold: number): [number, number] {
  if (sums.n < 2 || !(sums.b > 0)) return [0, Infinity];
  const critical = criticalOmegaSquared(sums.n, threshold);
  if (critical >= sums.n) return [0, Infinity];
  const a = sums.b * sums.b - critical * sums.bb;
  const half = sums.c * sums.b - critical * sums.cb;
  const c = sums.c * sums.c - critical * sums.cc;
  const discriminant = half * half - a * c;
  if (a <= 0 || discriminant < 0) return [0, Infinity];
  const root = Math.sqrt(discriminant);
  return [Math.max(0, (half - root) / a), (half + root) / a];
}
