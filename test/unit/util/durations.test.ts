import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../../src/util/durations.ts';
import { ConfigError } from '../../../src/util/errors.ts';

describe('durations', () => {
  for (const [text, ms] of [
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
  ] as const) {
    test(`parses ${text}`, () => assert.equal(parseDuration(text, 'x'), ms));
  }
  for (const bad of ['', '30', '30 s', 's', '1d', '-1s', '0s', 30]) {
    test(`rejects ${JSON.stringify(bad)} naming the field`, () => {
      assert.throws(
        () => parseDuration(bad, 'analysis.interval'),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /^analysis.interval: expected a duration/);
          return true;
        },
      );
    });
  }
  test('formats for range selectors', () => {
    assert.deepEqual([30_000, 120_000, 90_000, 3_600_000, 250].map(formatDuration), [
      '30s',
      '2m',
      '1m30s',
      '1h',
      '250ms',
    ]);
  });
});
