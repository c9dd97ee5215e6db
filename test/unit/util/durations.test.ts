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

describe('duration bounds', () => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    assert.fail('no error');
  };
  test('refuses what a timer cannot hold, naming the limit', () => {
    assert.match(
      message(() => parseDuration('600h', 'lockWait')),
      /^lockWait: expected at most 596h31m.*"600h"/,
    );
    assert.equal(parseDuration('596h', 'x'), 596 * 3_600_000);
  });
  test('refuses less than the minimum: a millisecond, or the given one', () => {
    assert.match(
      message(() => parseDuration('0.5ms', 'x')),
      /expected at least 1ms, got "0.5ms"/,
    );
    assert.match(
      message(() => parseDuration('500ms', 'analysis.interval', { minMs: 1000 })),
      /^analysis.interval: expected at least 1s, got "500ms"/,
    );
  });
  test('a huge value is echoed cut short', () => {
    assert.ok(message(() => parseDuration('1'.repeat(100_000), 'x')).length < 200);
  });
});
