import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { afterStep, afterSteps } from '../../../src/pipeline/release-outcome.ts';

describe('what a release does next (pure)', () => {
  test('after a step: a pass goes on; a fail rolls back with exit 1; inconclusive follows onInconclusive', () => {
    const step = { reason: 'why', aa: false };
    assert.deepEqual(afterStep({ ...step, verdict: 'pass', policy: 'fail' }), { move: 'next' });
    assert.deepEqual(afterStep({ ...step, verdict: 'fail', policy: 'pass' }), {
      move: 'roll-back',
      exitCode: 1,
      reason: 'fail: why',
    });
    assert.deepEqual(afterStep({ ...step, verdict: 'inconclusive', policy: 'fail' }), {
      move: 'roll-back',
      exitCode: 3,
      reason: 'inconclusive: why',
    });
    assert.deepEqual(afterStep({ ...step, verdict: 'inconclusive', policy: 'pass' }), { move: 'next' });
    assert.deepEqual(afterStep({ ...step, verdict: 'inconclusive', policy: 'hold' }), {
      move: 'hold',
      reason: 'inconclusive, held by onInconclusive: hold — why',
    });
    assert.match(
      JSON.stringify(afterStep({ ...step, aa: true, verdict: 'fail', policy: 'fail' })),
      /A\/A run \(a fail here is a false alarm\): fail: why/,
    );
  });

  test('after every step: A/A rolls back with exit 0, --hold holds, else promote', () => {
    const end = { workload: 'web', image: 'r/web:2' };
    assert.deepEqual(afterSteps({ ...end, aa: true, hold: true }), {
      move: 'roll-back',
      exitCode: 0,
      reason: 'A/A run passed: no false alarm; nothing was promoted',
    });
    assert.equal(afterSteps({ ...end, aa: false, hold: true }).move, 'hold');
    assert.deepEqual(afterSteps({ ...end, aa: false, hold: false }), {
      move: 'promote',
      reason: 'every step passed; deployment/web runs r/web:2',
    });
  });
});
