import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../../src/config/settings.ts';
import { executeCommand } from '../../../src/entrypoints/execute.ts';
import type { Platform } from '../../../src/platform/types.ts';

const platform: Platform = {
  name: 'local',
  addSecret() {},
  info() {},
  warning() {},
  error() {},
  group: (_t, fn) => fn(),
  setOutput() {},
  redact: (text: string) => text,
};

const settings = (report: string): Settings => ({
  report,
  manifests: [],
  build: { buildArgs: [], labels: [], tags: [] },
});

describe('executeCommand: output files', () => {
  test('CANARY_DOTENV in a missing directory: exit 2 naming it and its path before the command runs; the report still says so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'execute-outputs-'));
    const report = path.join(dir, 'report.json');
    const dotenv = path.join(dir, 'nodir', 'outputs.env');
    const execution = await executeCommand('run', () => settings(report), {
      env: { CANARY_DOTENV: dotenv },
      platform,
      signal: new AbortController().signal,
    });
    assert.equal(execution.exitCode, 2);
    assert.match(
      execution.message ?? '',
      new RegExp(`^CANARY_DOTENV: cannot write "${dotenv}": the directory .*nodir does not exist`),
    );
    const written = JSON.parse(await readFile(report, 'utf8')) as Record<string, unknown>;
    assert.equal(written.outcome, 'failed');
    assert.equal(written.exitCode, 2);
    assert.equal(written.reason, execution.message);
  });

  test('--report in a missing directory: exit 2 naming --report, and no file anywhere', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'execute-outputs-'));
    const report = path.join(dir, 'nodir', 'report.json');
    const execution = await executeCommand('deploy', () => settings(report), {
      env: {},
      platform,
      signal: new AbortController().signal,
    });
    assert.equal(execution.exitCode, 2);
    assert.match(execution.message ?? '', /^--report: cannot write .*nodir/);
  });
});
