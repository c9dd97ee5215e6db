import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { settingsFromFlags } from '../../../src/cli/settings.ts';
import { ConfigError } from '../../../src/util/errors.ts';

describe('--run-id', () => {
  test('a label value: letters, digits, . _ -, up to 63 characters', () => {
    for (const runId of ['r', 'github-123-1', 'local-m3x.9_a', 'a'.repeat(63)])
      assert.equal(settingsFromFlags('run', { 'run-id': runId }).runId, runId);
  });

  test('anything else is exit 2 naming the flag and the value, on one line', () => {
    const cases: Array<[string, RegExp]> = [
      ['r1\n::error::injected', /^--run-id: expected .*, got "r1\\n::error::injected"$/],
      ['my run / 1', /got "my run \/ 1"$/],
      ['-r', /starting and ending with a letter or digit/],
      ['r'.repeat(300), /got "r{80}"… \(300 characters\)$/],
    ];
    for (const [runId, message] of cases) {
      assert.throws(
        () => settingsFromFlags('cleanup', { 'run-id': runId }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.exitCode === 2 &&
          message.test(error.message) &&
          !error.message.includes('\n'),
        runId,
      );
    }
  });
});
