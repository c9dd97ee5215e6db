import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkOutputPaths, outputPaths } from '../../../src/platform/output-paths.ts';
import { ConfigError } from '../../../src/util/errors.ts';

describe('output paths checked before a command starts', () => {
  test('every named file: --report, the CANARY_* files, and the runner files only on GitHub', () => {
    const env = { CANARY_DOTENV: 'a.env', GITHUB_OUTPUT: '/gh/out', HOME: '/home' };
    assert.deepEqual(outputPaths('r.json', env, 'local'), [
      { name: '--report', path: 'r.json' },
      { name: 'CANARY_DOTENV', path: 'a.env' },
    ]);
    assert.deepEqual(
      outputPaths(undefined, env, 'github').map((o) => o.name),
      ['CANARY_DOTENV', 'GITHUB_OUTPUT'],
    );
  });

  test('writable paths pass; a missing directory, a directory or a file in a file are ConfigErrors naming flag and path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'output-paths-'));
    await writeFile(path.join(dir, 'existing.json'), '{}');
    await mkdir(path.join(dir, 'sub'));
    await checkOutputPaths([
      { name: '--report', path: path.join(dir, 'new.json') },
      { name: 'CANARY_DOTENV', path: path.join(dir, 'existing.json') },
      { name: 'CANARY_HTML_REPORT', path: '/dev/null' },
    ]);
    const refused = async (name: string, file: string, why: RegExp) =>
      assert.rejects(
        checkOutputPaths([{ name, path: file }]),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.startsWith(`${name}: cannot write "${file}"`) &&
          why.test(e.message),
      );
    await refused('--report', path.join(dir, 'nodir', 'r.json'), /directory .*nodir does not exist/);
    await refused('CANARY_DOTENV', path.join(dir, 'sub'), /is a directory/);
    await refused('CANARY_MARKDOWN_REPORT', path.join(dir, 'existing.json', 'r.md'), /is not a directory/);
  });
});
