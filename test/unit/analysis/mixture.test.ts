import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { makeGrid, standardGrid, GRID_STEPS_PER_SIDE } from '../../../src/analysis/grid.ts';
import { confidenceBounds, mixtureEValue, twoSidedEValue } from '../../../src/analysis/mixture.ts';
import { ratioTest } from '../../../src/analysis/ratio-test.ts';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} ≉ ${expected}`,
  );

/** The plain binomial test: the known answers below are worked out by hand without tempering. */
const PLAIN = { dispersion: false } as const;

describe('mixture e-value, known answers', () => {
  // One poll, N_c = N_b = 100, τ = 1, x_c = 3, x_b = 0, so n = 3.
  // p(ρ) = ρN_c/(ρN_c + N_b): p(1) = 1/2, p(2) = 2/3, p(4) = 4/5.
  // L(ρ) = 3·log p(ρ) (x_b = 0), so the likelihood ratio against τ = 1 is (p(ρ)/p(1))³:
  //   ρ = 2: (4/3)³ = 64/27 ≈ 2.370;   ρ = 4: (8/5)³ = 512/125 = 4.096.
  const poll = { t: 30, canaryBad: 3, canaryTotal: 100, baselineBad: 0, baselineTotal: 100 };

  test('two-point grid {1, 2}, all prior mass on ρ = 2: E = 64/27', () => {
    const outcome = ratioTest([poll], makeGrid([1, 2], 0, [1]), 100, PLAIN);
    close(outcome.evidence, 64 / 27);
  });

  test('three-point grid {1, 2, 4}, weights ½ and ½: E = ½·64/27 + ½·512/125', () => {
    const outcome = ratioTest([poll], makeGrid([1, 2, 4], 0, [0.5, 0.5]), 100, PLAIN);
    close(outcome.evidence, 0.5 * (64 / 27) + 0.5 * (512 / 125));
  });

  test('the lower-level mixture works on any log-likelihood vector', () => {
    const logLik = [3 * Math.log(1 / 2), 3 * Math.log(2 / 3), 3 * Math.log(4 / 5)];
    close(mixtureEValue(logLik, 0, [0.5, 0.5], 'above'), 0.5 * (64 / 27) + 0.5 * (512 / 125));
    // Against ρ = 4 from below: d = 1 is ρ = 2 with ratio (5/6)³ = (125/512)·(64/27), d = 2 is ρ = 1 with (5/8)³.
    close(mixtureEValue(logLik, 2, [0.5, 0.5], 'below'), 0.5 * (125 / 512) * (64 / 27) + 0.5 * (125 / 512));
    close(twoSidedEValue(logLik, 1, [1]), 0.5 * ((4 / 5 / (2 / 3)) ** 3 + (1 / 2 / (2 / 3)) ** 3));
  });

  test('two polls add their log-likelihoods: two such polls give (64/27)²', () => {
    const outcome = ratioTest([poll, { ...poll, t: 60 }], makeGrid([1, 2], 0, [1]), 100, PLAIN);
    close(outcome.evidence, (64 / 27) ** 2);
    assert.deepEqual(
      outcome.trajectory.map((p) => p.t),
      [30, 60],
    );
    close(outcome.trajectory[0]!.evidence, 64 / 27);
  });

  test('an unequal split enters through p: N_c = 100, N_b = 300, τ = 1, x_c = 2, x_b = 2', () => {
    // p(1) = 100/400 = 1/4, p(3) = 300/600 = 1/2.
    // LR = (p3/p1)^2 · ((1−p3)/(1−p1))^2 = 2² · (2/3)² = 16/9.
    const outcome = ratioTest(
      [{ t: 1, canaryBad: 2, canaryTotal: 100, baselineBad: 2, baselineTotal: 300 }],
      makeGrid([1, 3], 0, [1]),
      100,
      PLAIN,
    );
    close(outcome.evidence, 16 / 9);
  });

  test('non-integer counts use the continuous extension; negative counts count as 0', () => {
    // x_c = 1.5, n = 1.5, N_c = N_b: LR = (4/3)^1.5
    const outcome = ratioTest(
      [{ t: 1, canaryBad: 1.5, canaryTotal: 99.5, baselineBad: -0.2, baselineTotal: 99.5 }],
      makeGrid([1, 2], 0, [1]),
      100,
      PLAIN,
    );
    close(outcome.evidence, (4 / 3) ** 1.5);
    assert.equal(outcome.baseline.bad, 0);
  });
});

describe('standard grid', () => {
  test('contains the tolerance exactly and has prior weights summing to 1', () => {
    const grid = standardGrid(1.3);
    assert.equal(grid.rho[grid.nullIndex], 1.3);
    assert.equal(grid.rho.length, 2 * GRID_STEPS_PER_SIDE + 1);
    close(
      grid.weights.reduce((sum, w) => sum + w, 0),
      1,
    );
    for (let i = 1; i < grid.weights.length; i++) assert.ok(grid.weights[i]! < grid.weights[i - 1]!);
  });
});

describe('confidence bounds', () => {
  test('flat likelihood (no information) gives [0, ∞]', () => {
    const grid = standardGrid(1);
    assert.deepEqual(confidenceBounds(new Float64Array(grid.rho.length), grid, 100), [0, Infinity]);
  });

  test('a sharp likelihood gives bounds around its peak', () => {
    const grid = standardGrid(1);
    // Gaussian in log ρ centred at log 2 with s.d. 0.05
    const logLik = Float64Array.from(grid.logRho, (l) => -((l - Math.log(2)) ** 2) / (2 * 0.05 ** 2));
    const [lower, upper] = confidenceBounds(logLik, grid, 100);
    assert.ok(lower < 2 && lower > 1.5, `lower ${lower}`);
    assert.ok(upper > 2 && upper < 2.6, `upper ${upper}`);
  });
});
