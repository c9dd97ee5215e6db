/**
 * Mixture likelihood-ratio e-values and the confidence sequence they induce, from a log-likelihood kept
 * on a LogGrid. The tested value is a grid index; alternatives are the other grid points, weighted by
 * their distance (in grid steps) from it.
 */
import type { LogGrid } from './grid.ts';

/**
 * Σ_d w_d · exp(L[i ± d] − L[i]) over the alternatives on one side of index i: the mixture
 * likelihood ratio against "ρ = ρ_i" (and, with a monotone likelihood ratio, against every ρ on the
 * other side). Alternatives past the grid's edge are dropped, which only makes it smaller.
 */
export function mixtureEValue(
  logLik: ArrayLike<number>,
  index: number,
  weights: ArrayLike<number>,
  side: 'above' | 'below',
): number {
  const base = logLik[index] ?? 0;
  const direction = side === 'above' ? 1 : -1;
  const reach = side === 'above' ? logLik.length - 1 - index : index;
  const count = Math.min(weights.length, reach);
  let sum = 0;
  let previous = -Infinity;
  let peak = -Infinity;
  for (let d = 1; d <= count; d++) {
    const exponent = (logLik[index + direction * d] ?? 0) - base;
    // L is concave: once the exponent falls, the remaining terms shrink faster than geometrically.
    if (exponent < previous && exponent < Math.max(peak, 0) - NEGLIGIBLE) break;
    sum += (weights[d - 1] ?? 0) * Math.exp(exponent);
    previous = exponent;
    if (exponent > peak) peak = exponent;
  }
  return sum;
}

/** Terms below e^-40 of max(largest term, 1) cannot move an e-value that is compared with thresholds ≥ 1. */
const NEGLIGIBLE = 40;

/** Average of the two one-sided mixtures: an e-value against "ρ = ρ_i" exactly. */
export function twoSidedEValue(logLik: ArrayLike<number>, index: number, weights: ArrayLike<number>): number {
  return (
    (mixtureEValue(logLik, index, weights, 'above') + mixtureEValue(logLik, index, weights, 'below')) / 2
  );
}

/**
 * Anytime-valid confidence sequence {ρ0 : E_two-sided(ρ0) < threshold}, rounded outwards to grid points:
 * the upper bound is the first rejected grid point above the maximum-likelihood point (Infinity when none
 * is), the lower bound the last rejected one below it (0 when none is). The log-likelihood is concave in
 * log ρ, so rejection is (up to the bounded opposite-side term) monotone away from the maximum and a
 * bisection finds the edge.
 */
export function confidenceBounds(
  logLik: ArrayLike<number>,
  grid: LogGrid,
  threshold: number,
): [number, number] {
  let top = 0;
  for (let i = 1; i < logLik.length; i++) if ((logLik[i] ?? 0) > (logLik[top] ?? 0)) top = i;
  const rejected = (i: number): boolean => twoSidedEValue(logLik, i, grid.weights) >= threshold;
  const last = logLik.length - 1;

  let upper = Infinity;
  if (top < last && rejected(last)) {
    let inside = top;
    let outside = last;
    while (outside - inside > 1) {
      const mid = (inside + outside) >> 1;
      if (rejected(mid)) outside = mid;
      else inside = mid;
    }
    upper = grid.rho[outside] ?? Infinity;
  }
  let lower = 0;
  if (top > 0 && rejected(0)) {
    let inside = top;
    let outside = 0;
    while (inside - outside > 1) {
      const mid = (inside + outside) >> 1;
      if (rejected(mid)) outside = mid;
      else inside = mid;
    }
    lower = grid.rho[outside] ?? 0;
  }
  return [lower, upper];
}
