/** Small statistics toolkit for the benchmark: normal CDF, Wilson intervals, quantiles, Mann-Whitney U. */
import { normalSurvival } from '../../src/analysis/normal.ts';

/** Standard normal CDF, from the judge's own implementation. */
export function normalCdf(z: number): number {
  return 1 - normalSurvival(z);
}

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for k successes in n trials (95% by default). */
export function wilson(k: number, n: number, z = 1.959964): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Quantile by linear interpolation between order statistics (type 7, as R and numpy default). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[upper] ?? low;
  return low + (high - low) * (position - lower);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export interface MannWhitneyResult {
  /** U statistic of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  exact: boolean;
}

const exactCounts = new Map<string, Float64Array>();

/** Number of arrangements giving each U for sample sizes m and n (no ties). */
function uDistribution(m: number, n: number): Float64Array {
  const key = `${m}x${n}`;
  const cached = exactCounts.get(key);
  if (cached) return cached;
  // counts[i][j] = distribution for sizes (i, j); built row by row: f(i,j,u) = f(i-1,j,u-j) + f(i,j-1,u).
  let previousRow: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const f = new Float64Array(i * j + 1);
      if (i === 0 || j === 0) f[0] = 1;
      else {
        const up = previousRow[j] as Float64Array;
        const left = row[j - 1] as Float64Array;
        for (let u = 0; u < f.length; u++) {
          f[u] =
            (u - j >= 0 && u - j < up.length ? (up[u - j] ?? 0) : 0) + (u < left.length ? (left[u] ?? 0) : 0);
        }
      }
      row.push(f);
    }
    previousRow = row;
  }
  const result = previousRow[n] as Float64Array;
  exactCounts.set(key, result);
  return result;
}

/**
 * Two-sided Wilcoxon-Mann-Whitney rank-sum test as R's wilcox.test documents it: exact null
 * distribution when both samples have fewer than 50 values and there are no ties, otherwise the normal
 * approximation with tie and continuity corrections.
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  const all = [...x.map((v) => ({ v, first: true })), ...y.map((v) => ({ v, first: false }))].sort(
    (a, b) => a.v - b.v,
  );
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const rank = (i + j + 2) / 2;
    const size = j - i + 1;
    tieTerm += size ** 3 - size;
    for (let k = i; k <= j; k++) if ((all[k] as { first: boolean }).first) rankSumX += rank;
    i = j + 1;
  }
  const u = rankSumX - (m * (m + 1)) / 2;
  if (m === 0 || n === 0) return { u, p: 1, exact: false };
  if (tieTerm === 0 && m < 50 && n < 50) {
    const counts = uDistribution(m, n);
    let total = 0;
    let below = 0;
    let above = 0;
    for (let k = 0; k < counts.length; k++) {
      const c = counts[k] ?? 0;
      total += c;
      if (k <= u) below += c;
      if (k >= u) above += c;
    }
    return { u, p: Math.min(1, (2 * Math.min(below, above)) / total), exact: true };
  }
  const centred = u - (m * n) / 2;
  const sigma = Math.sqrt(((m * n) / 12) * (m + n + 1 - tieTerm / ((m + n) * (m + n - 1))));
  if (sigma === 0) return { u, p: 1, exact: false };
  const z = (centred - 0.5 * Math.sign(centred)) / sigma;
  return { u, p: Math.min(1, 2 * Math.min(normalCdf(z), 1 - normalCdf(z))), exact: false };
}
