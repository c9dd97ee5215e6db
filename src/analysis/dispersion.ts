/**
 * Extra-binomial dispersion of a conditional-binomial count, estimated from past polls only (issue 10).
 *
 * The ratio test treats the canary's share x_c of a poll's n bad events as Binomial(n, p). Real traffic is
 * noisier: each arm's rate moves from poll to poll on its own (client mix, sticky connections, a busy node),
 * and Prometheus' `increase()` extrapolates counts from part of the window. Both inflate Var(x_c | n) beyond
 * n·p·q by a factor φ ≥ 1. Noise on each arm's rate with squared coefficient of variation c² gives
 * φ = 1 + κ·n·p·q with κ ≈ 2c², growing with traffic (at 1,000 req/s and 30 % noise φ is in the tens);
 * coarser count units give a constant φ (2 for counts extrapolated from half the window), which the same fit
 * absorbs as κ ≈ (φ − 1)/(n·p·q) at the poll's typical size.
 *
 * The factor for poll k uses the polls before k only, so the tempered test stays predictable:
 *   φ_k = max(1, measured_k, prior_k)
 * - measured: κ from the squared differences of consecutive standardised residuals z_i = (x_c − n·p̂)/√(n·p̂·q̂)
 *   around the pooled ratio: E[(z_i − z_{i−1})²] = φ_i + φ_{i−1}, and a change of the ratio mid-run (a late
 *   regression) moves one difference, not all of them. Less SHRINK standard errors (the floor at 1 would
 *   otherwise bias a quiet stream upwards), multiplied by 1 + INFLATION/f^1.5 for its sampling error with f
 *   differences;
 * - prior: until the run has measured its own noise, polls are tempered as if each arm's rate varied with
 *   squared coefficient of variation PRIOR_WEIGHT × PRIOR_CV² (κ = 2 × that), the excess fading linearly to
 *   nothing after PRIOR_POLLS differences. Without it the first polls, with nothing to learn from, would take
 *   any burst for a regression. Poisson noise needs no prior: at low counts the factor stays near 1.
 * What it cannot see: noise that persists from one poll to the next (it cancels in the differences). A lasting
 * difference between the arms' pods is placement, which the pod-noise floor and A/A runs address.
 */

/** Per-arm coefficient of variation assumed before the run has measured its own. */
export const PRIOR_CV = 0.3;
/** The prior's excess is PRIOR_WEIGHT times PRIOR_CV's: it covers noise up to about √PRIOR_WEIGHT × PRIOR_CV. */
export const PRIOR_WEIGHT = 3;
/** Differences after which the prior no longer counts. */
export const PRIOR_POLLS = 8;
/** The measured factor is multiplied by 1 + INFLATION/f^1.5 (f differences): an upper estimate. */
export const INFLATION = 1;
/** Standard errors taken off the measured κ before the floor at 1 (see `factor`). */
export const SHRINK = 0.5;

interface Seen {
  canaryBad: number;
  bad: number;
  /** Exposure ratio of the poll (canary÷baseline events, times any allowance). */
  exposure: number;
}

/** Per-poll factors φ_k ≥ 1 for one stream of conditional-binomial counts. */
export class DispersionTracker {
  private readonly seen: Seen[] = [];

  /**
   * `differences` (metrics): blind to noise that persists from poll to poll, but a real change of the ratio
   * mid-run is not taken for noise. `pooled` (the traffic-share guard): a share that wanders for minutes (a heavy
   * keep-alive client stuck to one pod) counts as noise, and a steady wrong split still shows.
   */
  constructor(private readonly mode: 'differences' | 'pooled' = 'differences') {}

  private canaryBad = 0;
  private weightedBaselineBad = 0;
  private exposures = 0;

  /** φ for a poll with `bad` events at exposure ratio `exposure`, from the polls added so far. */
  factor(bad: number, exposure: number): number {
    const theta = this.pooledRatio(exposure);
    const share = (r: number) => (theta * r) / (1 + theta * r);
    const binomialVariance = (n: number, r: number) => n * share(r) * (1 - share(r));
    const h = binomialVariance(bad, exposure);
    const { squares, weight, units, freedom } = this.residuals(share, binomialVariance);
    const prior = 1 + PRIOR_WEIGHT * 2 * PRIOR_CV * PRIOR_CV * h * Math.max(0, 1 - freedom / PRIOR_POLLS);
    if (freedom === 0 || !(weight > 0)) return Math.max(1, prior);
    // squares ≈ units + κ·weight (E[z²] = φ = 1 + κ·h per unit). Half a standard error is taken off: max(1, ·)
    // would otherwise bias a quiet stream's factor upwards by about that much.
    const standardError = (Math.sqrt(2 / freedom) * squares) / weight;
    const kappa = Math.max(0, (squares - units) / weight - SHRINK * standardError);
    const measured = (1 + kappa * h) * (1 + INFLATION / freedom ** 1.5);
    return Math.max(1, measured, prior);
  }

  /**
   * The squared standardised residuals z = (x_c − n·p̂)/√(n·p̂·q̂) of the polls so far, as "squares ≈ units + κ·weight"
   * with `freedom` degrees of freedom: of consecutive differences (E[(z_i − z_{i−1})²] = φ_i + φ_{i−1}), or of the
   * residuals themselves around the pooled ratio (E[Σz²] ≈ (m − 1)/m·Σφ_i).
   */
  private residuals(
    share: (r: number) => number,
    variance: (n: number, r: number) => number,
  ): { squares: number; weight: number; units: number; freedom: number } {
    const z = this.seen.map((point) => {
      const v = variance(point.bad, point.exposure);
      return { z: (point.canaryBad - point.bad * share(point.exposure)) / Math.sqrt(v), v };
    });
    if (this.mode === 'pooled') {
      const m = z.length;
      const freedom = Math.max(0, m - 1);
      const raw = z.reduce((sum, p) => sum + p.z * p.z, 0);
      const weight = z.reduce((sum, p) => sum + p.v, 0);
      return { squares: freedom > 0 ? (raw * m) / freedom : 0, weight, units: m, freedom };
    }
    let squares = 0;
    let weight = 0;
    for (let i = 1; i < z.length; i++) {
      squares += (z[i]!.z - z[i - 1]!.z) ** 2;
      weight += z[i]!.v + z[i - 1]!.v;
    }
    const freedom = Math.max(0, z.length - 1);
    return { squares, weight, units: 2 * freedom, freedom };
  }

  /** Records a poll with bad events (polls without any say nothing about dispersion). */
  add(canaryBad: number, bad: number, exposure: number): void {
    if (!(bad > 0) || !(exposure > 0)) return;
    this.seen.push({ canaryBad, bad, exposure });
    this.canaryBad += canaryBad;
    this.weightedBaselineBad += (bad - canaryBad) * exposure;
    this.exposures += exposure;
  }

  /**
   * Canary÷baseline rate ratio over the polls so far, in exposure units, with half an event added to each side
   * (never 0 or ∞; the baseline's half scaled by the mean exposure, so scaling every exposure scales only θ).
   */
  private pooledRatio(current: number): number {
    const meanExposure = this.seen.length > 0 ? this.exposures / this.seen.length : current;
    return (this.canaryBad + 0.5) / (this.weightedBaselineBad + 0.5 * meanExposure);
  }
}
