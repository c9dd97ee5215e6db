/**
 * Sequential test of H0 "canary rate ≤ τ × baseline rate" (DESIGN.md §3, Lindon & Malek 2022).
 *
 * Per poll, conditional on n = x_c + x_b bad events, x_c ~ Binomial(n, p(ρ)) with
 * p(ρ) = ρN_c / (ρN_c + N_b) and ρ the true rate ratio: exposures enter only through N_c/N_b, so an
 * unequal or drifting split and a drifting base rate do not bias it. The log-likelihood
 *   L(ρ) = Σ x_c log p + (n − x_c) log(1 − p) = X_c log ρ − Σ_k n_k log(1 + ρ r_k) + const,  r_k = N_c/N_b,
 * is summed on a fixed grid of ρ; the e-value is the prior mixture of L(ρ_j) − L(τ) over ρ_j > τ.
 * Non-integer counts (Prometheus `increase` extrapolates) use this continuous extension as is.
 */
import { logTerms, type LogGrid } from './grid.ts';
import { confidenceBounds, mixtureEValue } from './mixture.ts';

export interface RatioPoint {
  t: number;
  canaryBad: number;
  canaryTotal: number;
  baselineBad: number;
  baselineTotal: number;
  /**
   * Multiplies the tested tolerance for this poll (≥ 1, default 1): the pod-noise floor. It enters as the
   * exposure ratio r = allowance·N_c/N_b, which turns the test into one of "ratio ≤ allowance·τ" for this poll.
   */
  allowance?: number;
}

export interface TrajectoryPoint {
  t: number;
  evidence: number;
  canary?: number;
  baseline?: number;
}

export interface Counts {
  bad: number;
  total: number;
}

export interface RatioTestOutcome {
  /** E-value after the last point, and the largest it has been (rejecting at the first crossing is valid). */
  evidence: number;
  maxEvidence: number;
  trajectory: TrajectoryPoint[];
  canary: Counts;
  baseline: Counts;
  /** The last poll's allowance: bounds and minimum detectable effect are scaled by it (exact when it is constant). */
  allowance: number;
  /** Pooled ratio (Σx_c/ΣN_c)/(Σx_b/ΣN_b); Infinity when only the canary had bad events, 1 when neither had. */
  estimate: number;
  bounds: [number, number];
  /** Smallest grid ρ whose expected data would reach the threshold (only when asked for); undefined when no bad events were seen at all. */
  minimumDetectableEffect?: number;
  /** Polls where both tracks had traffic; of those, polls with at least one bad event. */
  exposurePolls: number;
  informativePolls: number;
  /** Polls where the canary had traffic and the baseline had none (no information, but worth saying). */
  baselineMissingPolls: number;
}

const clamp = (value: number): number => (Number.isFinite(value) && value > 0 ? value : 0);

/** Runs the test over all points; `threshold` is 1/α for this test (rejection and confidence level). */
export function ratioTest(
  points: readonly RatioPoint[],
  grid: LogGrid,
  threshold: number,
  options: { detectableEffect?: boolean } = {},
): RatioTestOutcome {
  const size = grid.rho.length;
  const nul = grid.nullIndex;
  const { logRho } = grid;
  // S_j = Σ n_k log(1 + ρ_j r_k)
  const s = new Float64Array(size);
  const logLik = new Float64Array(size);
  const canary = { bad: 0, total: 0 };
  const baseline = { bad: 0, total: 0 };
  const trajectory: TrajectoryPoint[] = [];
  let exposurePolls = 0;
  let informativePolls = 0;
  let baselineMissingPolls = 0;
  let evidence = 1;
  let maxEvidence = 1;
  let allowance = 1;

  for (const point of points) {
    const xc = clamp(point.canaryBad);
    const nc = clamp(point.canaryTotal);
    const xb = clamp(point.baselineBad);
    const nb = clamp(point.baselineTotal);
    if (nc > 0 && nb > 0) {
      exposurePolls++;
      canary.bad += xc;
      canary.total += nc;
      baseline.bad += xb;
      baseline.total += nb;
      allowance = point.allowance !== undefined && point.allowance > 1 ? point.allowance : 1;
      const r = (allowance * nc) / nb;
      const n = xc + xb;
      const terms = logTerms(grid, r);
      if (n > 0) {
        informativePolls++;
        for (let j = 0; j < nul; j++) s[j]! += n * terms[j]!;
      }
      const canaryBad = canary.bad;
      for (let j = nul; j < size; j++) {
        const term = terms[j]!;
        const sum = s[j]! + n * term;
        s[j] = sum;
        logLik[j] = canaryBad * logRho[j]! - sum;
      }
      // Each term is a likelihood ratio of ρ_j > τ against τ, whose mean under any ρ ≤ τ is ≤ 1 (monotone likelihood ratio in p).
      evidence = mixtureEValue(logLik, nul, grid.weights, 'above');
      maxEvidence = Math.max(maxEvidence, evidence);
    } else if (nc > 0) {
      baselineMissingPolls++;
    }
    const step: TrajectoryPoint = { t: point.t, evidence };
    if (nc > 0) step.canary = xc / nc;
    if (nb > 0) step.baseline = xb / nb;
    trajectory.push(step);
  }

  for (let j = 0; j < size; j++) logLik[j] = canary.bad * logRho[j]! - s[j]!;
  const mde = options.detectableEffect
    ? minimumDetectableEffect(canary, baseline, grid, threshold, allowance)
    : undefined;
  const bounds: [number, number] =
    exposurePolls > 0 ? confidenceBounds(logLik, grid, threshold) : [0, Infinity];
  return {
    evidence,
    maxEvidence,
    trajectory,
    canary,
    baseline,
    estimate: pooledRatio(canary, baseline),
    bounds: [bounds[0] * allowance, bounds[1] * allowance],
    allowance,
    ...(mde === undefined ? {} : { minimumDetectableEffect: mde }),
    exposurePolls,
    informativePolls,
    baselineMissingPolls,
  };
}

export function pooledRatio(canary: Counts, baseline: Counts): number {
  if (canary.total === 0 || baseline.total === 0) return NaN;
  if (baseline.bad === 0) return canary.bad === 0 ? 1 : Infinity;
  return canary.bad / canary.total / (baseline.bad / baseline.total);
}

/**
 * Expected data under ρ' at the observed exposures (pooled into one poll at the overall split r̄, exact
 * for a steady split), the baseline keeping its observed rate q: x_c = qρ'ΣN_c, n = q(ρ'ΣN_c + ΣN_b).
 * L(ρ_j) − L(τ) = x_c·log(ρ_j/τ) − n·log((1 + ρ_j r̄)/(1 + τ r̄)) increases with ρ' (ρ_j/τ exceeds
 * (1 + ρ_j r̄)/(1 + τ r̄)), so the smallest detectable ρ' is found by bisection.
 */
function minimumDetectableEffect(
  canary: Counts,
  baseline: Counts,
  grid: LogGrid,
  threshold: number,
  allowance: number,
): number | undefined {
  const rate =
    baseline.bad > 0
      ? baseline.bad / baseline.total
      : (canary.bad + baseline.bad) / (canary.total + baseline.total || 1);
  if (!(rate > 0)) return undefined;
  const { rho, logRho, nullIndex: nul, weights } = grid;
  const last = rho.length - 1;
  const split = (allowance * canary.total) / baseline.total;
  const terms = new Float64Array(rho.length);
  for (let j = nul; j <= last; j++) terms[j] = Math.log1p(rho[j]! * split);
  const expected = new Float64Array(rho.length);
  const expectedEValue = (alternative: number): number => {
    const canaryBad = rate * alternative * allowance * canary.total;
    const bad = canaryBad + rate * baseline.total;
    for (let j = nul; j <= last; j++) {
      expected[j] = canaryBad * (logRho[j]! - logRho[nul]!) - bad * (terms[j]! - terms[nul]!);
    }
    return mixtureEValue(expected, nul, weights, 'above');
  };
  if (nul >= last || expectedEValue(rho[last]!) < threshold) return Infinity;
  let below = nul;
  let reaches = last;
  while (reaches - below > 1) {
    const mid = (below + reaches) >> 1;
    if (expectedEValue(rho[mid]!) >= threshold) reaches = mid;
    else below = mid;
  }
  return rho[reaches]! * allowance;
}
