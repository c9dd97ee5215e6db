import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/util/errors.ts';
import { checkExpansion, loadYamlChecked, readLimited } from '../../../src/util/yaml.ts';

const bomb = (levels: number, width: number) => {
  const lines = ['a0: &a0 x'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
};

describe('YAML limits', () => {
  test('an alias bomb is refused, naming the field', () => {
    assert.throws(
      () => loadYamlChecked(bomb(9, 9), 'kubeconfig', 'kc'),
      (error: unknown) =>
        error instanceof ConfigError && /^kubeconfig: expands to more than/.test(error.message),
    );
  });
  test('aliases that expand a little are fine', () => {
    assert.doesNotThrow(() => loadYamlChecked(bomb(3, 3), 'x', 'x'));
    assert.throws(() => checkExpansion({ a: [1, 2, 3] }, 'x', 3), ConfigError);
  });
  test('a file past the limit is refused without reading it all (an endless device too)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yaml-limit-'));
    const file = path.join(dir, 'big.yaml');
    await writeFile(file, 'a: 1\n'.repeat(1000));
    assert.equal(readLimited(file, 5000, '--config').length, 5000);
    assert.throws(
      () => readLimited(file, 4999, '--config'),
      /--config: ".*big.yaml" is too large: expected at most 4999 bytes/,
    );
    assert.throws(
      () => readLimited('/dev/zero', 1024 * 1024, '--kubeconfig'),
      /--kubeconfig: "\/dev\/zero" is too large: expected at most 1 MB/,
    );
    assert.throws(() => readLimited(dir, 10, '--config'), /--config: cannot read/);
  });
});
