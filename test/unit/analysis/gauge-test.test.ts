import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gaugeTest, tMixtureEValue, twoSidedTMixtureEValue } from '../../../src/analysis/gauge-test.ts';
import { logGamma, logStudentTCdf } from '../../../src/analysis/special-functions.ts';
import { falseAlarmBound, normal, prng } from './simulate.ts';

/** The defining integral, by brute-force trapezoid: 2/√(1+n) ∫ v^(n-1) e^(-v²/2) e^(b²/2) Φ(b) dv / (2^(n/2-1) Γ(n/2)). */
function integralEValue(n: number, omega: number): number {
  const beta = omega / Math.sqrt(n + 1);
  const phi = (z: number) => {
    // Φ by Simpson on [-12, z]
    const from = -12;
    const steps = 2000;
    const h = (z - from) / steps;
    let sum = 0;
    for (let i = 0; i <= steps; i++) {
      const x = from + i * h;
      sum += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * Math.exp((-x * x) / 2);
    }
    return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
  };
  const steps = 4000;
  const top = Math.sqrt(n) * 4 + 20;
  const h = top / steps;
  let sum = 0;
  for (let i = 1; i <= steps; i++) {
    const v = i * h;
    const b = v * beta;
    sum += Math.exp((n - 1) * Math.log(v) - (v * v) / 2 + (b * b) / 2) * phi(b);
  }
  return (2 / Math.sqrt(1 + n)) * ((sum * h) / Math.exp((n / 2 - 1) * Math.LN2 + logGamma(n / 2)));
}

describe('scale-invariant t mixture', () => {
  for (const [n, omega] of [
    [3, 0.5],
    [5, 1.8],
    [8, -1],
    [12, 2.5],
  ] as const) {
    test(`closed form matches the integral (n=${n}, ω=${omega})`, () => {
      const closed = tMixtureEValue(n, omega);
      const numeric = integralEValue(n, omega);
      assert.ok(Math.abs(closed - numeric) < 1e-4 * Math.max(1, numeric), `${closed} vs ${numeric}`);
    });
  }

  test('at ω = 0 the e-value is 1/√(1+n) (Φ(0) = ½ and the integral is the normaliser)', () => {
    assert.ok(Math.abs(tMixtureEValue(7, 0) - 1 / Math.sqrt(8)) < 1e-10);
  });

  test('the two one-sided e-values average to the closed-form two-sided one', () => {
    for (const omega of [0.3, 1.7, 2.9]) {
      const average = (tMixtureEValue(9, omega) + tMixtureEValue(9, -omega)) / 2;
      assert.ok(Math.abs(average - twoSidedTMixtureEValue(9, omega)) < 1e-9 * average);
    }
  });

  test('Student-t CDF: t = 1 with 1 dof is 3/4 (Cauchy), and tails are symmetric', () => {
    assert.ok(Math.abs(Math.exp(logStudentTCdf(1, 1)) - 0.75) < 1e-10);
    assert.ok(Math.abs(Math.exp(logStudentTCdf(-2, 5)) + Math.exp(logStudentTCdf(2, 5)) - 1) < 1e-10);
    assert.ok(logStudentTCdf(-200, 30) < -100, 'the far lower tail stays finite and tiny');
  });
});

describe('gauge test', () => {
  const series = (seed: number, canaryScale: number, polls = 20) => {
    const random = prng(seed);
    return Array.from({ length: polls }, (_, i) => ({
      t: 30 * (i + 1),
      canary: canaryScale * (100 + 10 * normal(random)),
      baseline: 100 + 10 * normal(random),
    }));
  };

  test('A/A at tolerance 1: false alarms over 300 seeds stay within α = 0.01', () => {
    let alarms = 0;
    for (let seed = 1; seed <= 300; seed++)
      if (gaugeTest(series(seed, 1), 1, 'increase', 100).maxEvidence >= 100) alarms++;
    assert.ok(alarms <= falseAlarmBound(300, 0.01), `${alarms} false alarms`);
  });

  test('+30% with tolerance 1.1 is detected in most seeds, and bounds cover 1.3', () => {
    let detected = 0;
    let covered = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const outcome = gaugeTest(series(seed, 1.3), 1.1, 'increase', 100);
      if (outcome.maxEvidence >= 100) detected++;
      if (outcome.bounds[0] <= 1.3 && 1.3 <= outcome.bounds[1]) covered++;
    }
    assert.ok(detected >= 80, `${detected}/100 detected`);
    assert.ok(covered >= 98, `${covered}/100 covered`);
  });

  test("direction 'decrease' mirrors the test: a drop is harmful, a rise is not", () => {
    assert.ok(gaugeTest(series(3, 0.7), 1.1, 'decrease', 100).maxEvidence >= 100);
    assert.ok(gaugeTest(series(3, 1.3), 1.1, 'decrease', 100).evidence < 0.1);
  });

  test('estimate is mean canary ÷ mean baseline', () => {
    const outcome = gaugeTest(
      [
        { t: 1, canary: 3, baseline: 2 },
        { t: 2, canary: 5, baseline: 2 },
      ],
      1.2,
      'increase',
      100,
    );
    assert.equal(outcome.estimate, 2);
    assert.equal(outcome.canaryMean, 4);
  });
});
