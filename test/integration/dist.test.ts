/** The committed bundles run as users run them: `node dist/cli.js`, and dist/action.js as the GitHub runner does. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir } from '../support/service.ts';
import { REPO_ROOT, runCli } from '../support/cli.ts';

const VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

const BAD_CONFIG = `apiVersion: canary-action/v1
analysis:
  provider: {type: graphite, url: http://127.0.0.1:9}
  metrics: [{template: http-error-rate}]
`;

describe('dist bundles', () => {
  test('cli.js starts with a hashbang and prints its usage', async () => {
    assert.match(await readFile(path.join(REPO_ROOT, 'dist/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const { code, stdout } = await runCli(['--help'], { source: 'dist' });
    assert.equal(code, 0);
    assert.match(stdout, /canary-action <command>/);
  });

  test('cli.js: an invalid config exits 2 naming the field, the value and the valid ones', async () => {
    const dir = await makeTempDir('dist-cli');
    const file = path.join(dir, 'bad.yml');
    await writeFile(file, BAD_CONFIG);
    const { code, stderr } = await runCli(['analyze', '--config', file], { source: 'dist' });
    assert.equal(code, 2);
    assert.match(
      stderr,
      /analysis\.provider\.type: expected one of "prometheus", "influxdb", "datadog", got "graphite"/,
    );
  });

  test('cli.js: an unknown command exits 2', async () => {
    const { code, stderr } = await runCli(['deplyo'], { source: 'dist' });
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "deplyo" \(valid: build, run, deploy/);
  });

  test('action.js reads INPUT_* like the runner, fails the step with an error annotation, sets no verdict', async () => {
    const dir = await makeTempDir('dist-action');
    const config = path.join(dir, 'bad.yml');
    const output = path.join(dir, 'output');
    await writeFile(config, BAD_CONFIG);
    await writeFile(output, '');
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/action.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        INPUT_CONFIG: config,
        INPUT_MODE: 'analyze',
        GITHUB_OUTPUT: output,
      },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /::error::analysis\.provider\.type: expected one of .* \(exit code 2\)/);
    assert.doesNotMatch(await readFile(output, 'utf8'), /verdict/);
  });

  test("cli.js --version and -v print package.json's version, as the sources do", async () => {
    for (const flag of ['--version', '-v']) {
      const dist = await runCli([flag], { source: 'dist' });
      assert.equal(dist.code, 0, dist.stderr);
      assert.equal(dist.stdout, `${VERSION}\n`);
    }
    const src = await runCli(['--version'], { source: 'src' });
    assert.equal(src.stdout, `${VERSION}\n`);
  });

  test('action.js and action-post.js export run() and, imported (as @github/local-action does), do not run', () => {
    for (const entry of ['action.js', 'action-post.js']) {
      const file = path.join(REPO_ROOT, 'dist', entry);
      const imported = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(file)}); console.log('run is a ' + typeof m.run);`,
        ],
        { env: { PATH: process.env.PATH ?? '', INPUT_MODE: 'analyze' }, encoding: 'utf8' },
      );
      assert.equal(imported.status, 0, imported.stdout + imported.stderr);
      assert.equal(imported.stdout, 'run is a function\n', `${entry} ran on import`);
    }
  });
});
