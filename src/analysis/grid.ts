/**
 * The fixed grid of rate ratios ρ on which the ratio e-processes keep their log-likelihood, and the
 * prior weights of the mixture. Both are chosen once, before any data, which is what keeps the mixture
 * a valid e-process however often it is peeked at.
 */

export interface LogGrid {
  /** Rate ratios, increasing; uniform in log ρ for the standard grid. */
  rho: Float64Array;
  logRho: Float64Array;
  /** Index of the null value (the tolerance τ), which is on the grid exactly. */
  nullIndex: number;
  /** weights[d - 1] is the prior mass of the alternative d grid steps away from the tested value; sums to ≤ 1. */
  weights: Float64Array;
  /** log(1 + ρ_j·r) for recently seen exposure ratios r: the judge is re-run on the whole history after every poll. */
  logTermCache: Map<number, Float64Array>;
}

const LOG_TERM_CACHE_SIZE = 4096;

/** log(1 + ρ_j·r) for every grid point; memoised by value, so results never depend on the cache. */
export function logTerms(grid: LogGrid, r: number): Float64Array {
  let terms = grid.logTermCache.get(r);
  if (!terms) {
    terms = new Float64Array(grid.rho.length);
    for (let j = 0; j < terms.length; j++) terms[j] = Math.log1p(grid.rho[j]! * r);
    if (grid.logTermCache.size >= LOG_TERM_CACHE_SIZE) grid.logTermCache.clear();
    grid.logTermCache.set(r, terms);
  }
  return terms;
}

/**
 * Grid half-width in log ρ (ρ ∈ [τ/20, 20τ]) and steps per side (0.05 in log ρ, so bounds are rounded
 * outwards by at most 5%). The prior puts 99.7% of its mass inside; a wider grid costs time on every
 * poll and changes nothing but bounds beyond 20τ, which are reported as ∞ (or 0) instead.
 */
export const GRID_HALF_WIDTH = 3;
export const GRID_STEPS_PER_SIDE = 60;
/** Scale of the half-normal prior on log(ρ/τ): alternatives up to ~e·τ carry most of the mass. */
export const PRIOR_SCALE = 1;

const cache = new Map<number, LogGrid>();

/** τ·exp(linspace(-3, 3, 121)) with half-normal weights on the offset in log ρ. */
export function standardGrid(tolerance: number): LogGrid {
  let grid = cache.get(tolerance);
  if (!grid) {
    const step = GRID_HALF_WIDTH / GRID_STEPS_PER_SIDE;
    const logRho = Array.from(
      { length: 2 * GRID_STEPS_PER_SIDE + 1 },
      (_, i) => Math.log(tolerance) + (i - GRID_STEPS_PER_SIDE) * step,
    );
    const raw = Array.from({ length: GRID_STEPS_PER_SIDE }, (_, i) =>
      Math.exp(-(((i + 1) * step) ** 2) / 2 / PRIOR_SCALE ** 2),
    );
    const total = raw.reduce((sum, w) => sum + w, 0);
    grid = makeGrid(
      logRho.map((l, i) => (i === GRID_STEPS_PER_SIDE ? tolerance : Math.exp(l))),
      GRID_STEPS_PER_SIDE,
      raw.map((w) => w / total),
    );
    if (cache.size > 64) cache.clear();
    cache.set(tolerance, grid);
  }
  return grid;
}

/** Any grid (tests build two- or three-point grids to check the arithmetic by hand). */
export function makeGrid(rho: readonly number[], nullIndex: number, weights: readonly number[]): LogGrid {
  return {
    rho: Float64Array.from(rho),
    logRho: Float64Array.from(rho, Math.log),
    nullIndex,
    weights: Float64Array.from(weights),
    logTermCache: new Map(),
  };
}
