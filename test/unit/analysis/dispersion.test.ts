import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DispersionTracker, PRIOR_CV, PRIOR_WEIGHT } from '../../../src/analysis/dispersion.ts';
import { standardGrid } from '../../../src/analysis/grid.ts';
import { ratioTest, type RatioPoint } from '../../../src/analysis/ratio-test.ts';
import { normal, poisson, prng } from './simulate.ts';

/** One arm's count for a poll whose rate carries a log-normal factor with the given sd (0: plain Poisson). */
const draw = (random: () => number, mean: number, noise: number) =>
  poisson(random, mean * Math.exp(noise * normal(random) - (noise * noise) / 2));

function overdispersedPoints(
  seed: number,
  polls: number,
  mean: number,
  noise: number,
  ratio = 1,
): RatioPoint[] {
  const random = prng(seed);
  return Array.from({ length: polls }, (_, i) => ({
    t: 30 * (i + 1),
    canaryBad: draw(random, mean * ratio, noise),
    canaryTotal: 10_000,
    baselineBad: draw(random, mean, noise),
    baselineTotal: 10_000,
  }));
}

/** What the tracker says for the poll after `points`. */
function factorAfter(points: readonly RatioPoint[], next: { bad: number; exposure: number }): number {
  const tracker = new DispersionTracker();
  for (const p of points)
    tracker.add(p.canaryBad, p.canaryBad + p.baselineBad, p.canaryTotal / p.baselineTotal);
  return tracker.factor(next.bad, next.exposure);
}

describe('dispersion tracker', () => {
  test('before any poll, the prior: 1 + PRIOR_WEIGHT × 2·PRIOR_CV²·n·p·q, growing with the poll size', () => {
    const tracker = new DispersionTracker();
    // θ is taken as 1 with nothing seen, so p = 1/2 at exposure 1: n·p·q = n/4.
    for (const bad of [4, 40, 400]) {
      const expected = 1 + PRIOR_WEIGHT * 2 * PRIOR_CV * PRIOR_CV * (bad / 4);
      assert.ok(Math.abs(tracker.factor(bad, 1) - expected) < 1e-9, `${bad} bad events`);
    }
  });

  test('plain binomial counts: close to 1 once the prior has faded', () => {
    const factors = Array.from({ length: 200 }, (_, seed) =>
      factorAfter(overdispersedPoints(seed, 20, 30, 0), { bad: 60, exposure: 1 }),
    );
    const mean = factors.reduce((a, b) => a + b, 0) / factors.length;
    assert.ok(mean < 1.5, `mean factor ${mean}`);
    assert.ok(Math.min(...factors) >= 1);
  });

  test('per-arm noise of 30%: measures φ = 1 + 2c²·n·p·q within its sampling error, at any traffic', () => {
    for (const mean of [30, 300]) {
      const factors = Array.from({ length: 200 }, (_, seed) =>
        factorAfter(overdispersedPoints(seed, 20, mean, 0.3), { bad: 2 * mean, exposure: 1 }),
      );
      const average = factors.reduce((a, b) => a + b, 0) / factors.length;
      // Var(log ratio) = 2·(e^0.09 − 1)·… ≈ 0.19 on top of Poisson: φ ≈ 1 + 0.19·(2·mean)/4.
      const truth = 1 + 2 * (Math.exp(0.09) - 1) * ((2 * mean) / 4);
      // Half a standard error (about 0.16·φ after 19 differences) is taken off, by design.
      assert.ok(average > 0.7 * truth && average < 1.6 * truth, `mean ${mean}: ${average} vs ${truth}`);
    }
  });

  test('a change of the ratio mid-run (a late regression) does not pass for noise', () => {
    const before = overdispersedPoints(1, 10, 30, 0);
    const after = overdispersedPoints(2, 10, 30, 0, 3);
    const factor = factorAfter([...before, ...after], { bad: 120, exposure: 1 });
    assert.ok(factor < 2, `factor ${factor} after a level shift`);
  });
});

describe('tempered ratio test under per-arm noise', () => {
  const alarms = (options: { dispersion?: false }, noise: number, mean: number) => {
    let fails = 0;
    for (let seed = 0; seed < 300; seed++) {
      const outcome = ratioTest(overdispersedPoints(seed, 20, mean, noise), standardGrid(1.2), 100, options);
      if (outcome.maxEvidence >= 100) fails++;
    }
    return fails;
  };

  test('A/A with 30% per-arm noise at ~1,000 req/s: the plain binomial test cries wolf, the tempered one does not', () => {
    // 150 bad events per arm per poll (1,000 req/s × 30 s × 0.5%).
    assert.ok(
      alarms({ dispersion: false }, 0.3, 150) > 15,
      'the plain test should fail this A/A in more than 5% of runs',
    );
    assert.ok(alarms({}, 0.3, 150) <= 3, 'tempered false alarms at α = 1%');
  });

  test('A/A with 50% per-arm noise, beyond the prior: still within α', () => {
    assert.ok(alarms({}, 0.5, 150) <= 3);
  });

  test('a 3× regression in the same noise is still caught', () => {
    let detected = 0;
    for (let seed = 0; seed < 100; seed++) {
      const outcome = ratioTest(overdispersedPoints(seed, 20, 150, 0.3, 3), standardGrid(1.2), 100);
      if (outcome.maxEvidence >= 100) detected++;
    }
    assert.ok(detected >= 90, `${detected}/100`);
  });

  test('reports the dispersion each poll was divided by, and the minimum detectable effect at 80% power', () => {
    const outcome = ratioTest(overdispersedPoints(3, 20, 150, 0.3), standardGrid(1.2), 100, {
      detectableEffect: true,
    });
    assert.ok(outcome.trajectory.every((p) => (p.dispersion ?? 1) >= 1));
    assert.ok(outcome.dispersion > 3, `dispersion ${outcome.dispersion}`);
    // Noise makes the same counts less informative: the MDE is larger than the plain test's.
    const plain = ratioTest(overdispersedPoints(3, 20, 150, 0.3), standardGrid(1.2), 100, {
      detectableEffect: true,
      dispersion: false,
    });
    assert.ok(outcome.minimumDetectableEffect! > plain.minimumDetectableEffect!);
  });

  test('the minimum detectable effect is detected in about 80% of runs', () => {
    // Plain Poisson counts, 10 bad events per arm per poll: compute the MDE, then simulate at that ratio.
    const reference = ratioTest(overdispersedPoints(99, 20, 10, 0), standardGrid(1.2), 100, {
      detectableEffect: true,
    });
    const mde = reference.minimumDetectableEffect!;
    let detected = 0;
    for (let seed = 0; seed < 300; seed++) {
      const outcome = ratioTest(overdispersedPoints(seed, 20, 10, 0, mde), standardGrid(1.2), 100);
      if (outcome.maxEvidence >= 100) detected++;
    }
    // The e-process may also cross before the end, so power is at least about 80%.
    assert.ok(detected / 300 > 0.7, `${detected}/300 at ratio ${mde}`);
  });
});
