import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitney, normalCdf, quantile, wilson } from '../../../bench/judge/stats.ts';

const close = (actual: number, expected: number, tolerance = 1e-4) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);

describe('stats', () => {
  test('normalCdf matches tabulated values', () => {
    close(normalCdf(0), 0.5, 1e-7);
    close(normalCdf(1.959964), 0.975, 1e-6);
    close(normalCdf(-2.326348), 0.01, 1e-6);
  });

  test('Wilson intervals match the textbook values', () => {
    const none = wilson(0, 10);
    close(none.low, 0);
    close(none.high, 0.2775);
    const half = wilson(5, 10);
    close(half.low, 0.2366);
    close(half.high, 0.7634);
  });

  test('quantile interpolates between order statistics', () => {
    assert.equal(quantile([3, 1, 2, 4], 0.5), 2.5);
    assert.equal(quantile([10], 0.9), 10);
    assert.equal(quantile([], 0.5), null);
  });

  test('Mann-Whitney exact p-values without ties (as R wilcox.test)', () => {
    // wilcox.test(c(1,2,3), c(4,5,6)): W = 0, p-value = 0.1
    const r = mannWhitney([1, 2, 3], [4, 5, 6]);
    assert.equal(r.u, 0);
    assert.equal(r.exact, true);
    close(r.p, 0.1, 1e-12);
    // wilcox.test(c(1.1,2.2,3.3,4.4), c(0.5,1.5,2.5)): W = 9, p-value = 0.4
    const s = mannWhitney([1.1, 2.2, 3.3, 4.4], [0.5, 1.5, 2.5]);
    assert.equal(s.u, 9);
    close(s.p, 0.4, 1e-12);
  });

  test('Mann-Whitney with ties uses the corrected normal approximation, symmetric in its arguments', () => {
    const x = [1, 2, 2, 3, 3, 3];
    const y = [2, 3, 4, 4, 5, 5];
    const a = mannWhitney(x, y);
    const b = mannWhitney(y, x);
    assert.equal(a.exact, false);
    assert.equal(a.u + b.u, 36);
    close(a.p, b.p, 1e-12);
    assert.ok(a.p > 0.01 && a.p < 0.1, `p ${a.p}`);
  });
});
