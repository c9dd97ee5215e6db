import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackOff, backOffSeconds } from '../../sandbox/node/backoff.ts';
import { formatBackOff } from '../../sandbox/node/container-runner.ts';
import { imageIdFor } from '../../sandbox/node/image-pull.ts';

describe('crash back-off', () => {
  test('10 s after the first failure, doubling, capped at 5 minutes', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map(backOffSeconds), [10, 20, 40, 80, 160, 300, 300, 300]);
  });

  test('a long enough run starts the schedule over; reset() too', () => {
    const backOff = new BackOff();
    assert.deepEqual([backOff.fail(1), backOff.fail(30), backOff.fail(599)], [10, 20, 40]);
    assert.equal(backOff.fail(600), 10);
    backOff.fail();
    backOff.reset();
    assert.equal(backOff.fail(), 10);
  });

  test('delays render like the kubelet message (Go durations)', () => {
    assert.deepEqual([10, 40, 80, 160, 300].map(formatBackOff), ['10s', '40s', '1m20s', '2m40s', '5m0s']);
  });
});

describe('imageIdFor', () => {
  test('keeps a digest reference and derives a stable digest for a tag', () => {
    const digest = `ghcr.io/org/web@sha256:${'a'.repeat(64)}`;
    assert.equal(imageIdFor(digest), digest);
    assert.match(
      imageIdFor('registry.local:5000/web:1.2'),
      /^registry\.local:5000\/web@sha256:[0-9a-f]{64}$/,
    );
    assert.equal(imageIdFor('web:1'), imageIdFor('web:1'));
    assert.notEqual(imageIdFor('web:1'), imageIdFor('web:2'));
  });
});
