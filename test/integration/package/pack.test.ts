/**
 * The npm package as a user gets it: `npm pack` of the repository, installed into an empty folder with
 * the npm cache offline (it has no dependencies: dist/cli.js and its chunks bundle everything), then `canary-action
 * --version` and `--help` run from the installed bin link, on the running Node and on Node 24.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../support/cli.ts';
import { node24 } from '../../support/node24.ts';
import { packTarball, type Packed } from '../../support/package.ts';
import { makeTempDir } from '../../support/service.ts';

const run = promisify(execFile);

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  files?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  publishConfig?: { access?: string; provenance?: boolean };
}

describe('the npm package', () => {
  let packed: Packed;
  let project: string;
  let manifest: PackageJson;
  let dir: string | undefined;

  before(async () => {
    dir = await makeTempDir('npm-pack');
    packed = await packTarball(dir);
    project = path.join(dir, 'empty-project');
    await mkdir(project);
    await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', packed.tarball],
      {
        cwd: project,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
    );
    manifest = JSON.parse(
      await readFile(path.join(project, 'node_modules', packed.name, 'package.json'), 'utf8'),
    ) as PackageJson;
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('is publishable: a scoped name, not private, a bin, engines, public with provenance, no dependencies', async () => {
    const source = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
    assert.equal(packed.name, source.name);
    assert.equal(packed.version, source.version);
    assert.match(manifest.name, /^@[a-z0-9-]+\/[a-z0-9-]+$/);
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.bin, { 'canary-action': 'dist/cli.js' });
    assert.match(manifest.engines?.node ?? '', /^>=20/);
    assert.deepEqual(manifest.publishConfig, { access: 'public', provenance: true });
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'dist/cli.js bundles everything it runs');
  });

  test('holds the CLI bundle and its chunks, its config schema, README, LICENSE and package.json: no sources, tests or action bundles', () => {
    const paths = packed.files.map((file) => file.path).sort();
    const chunks = paths.filter((file) => file.startsWith('dist/chunks/'));
    assert.deepEqual(
      paths.filter((file) => !chunks.includes(file)),
      ['LICENSE', 'README.md', 'dist/cli.js', 'package.json', 'schema/canary.schema.json'],
    );
    assert.ok(chunks.length > 0, 'the commands are chunks of their own');
    for (const chunk of chunks) assert.match(chunk, /^dist\/chunks\/cli\/[\w-]+\.js$/);
  });

  test('installed into an empty folder, canary-action --version and --help work, on this Node and on Node 24', async () => {
    const bin = path.join(project, 'node_modules/.bin/canary-action');
    for (const node of [process.execPath, node24()]) {
      const env = { PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
      const version = await run(bin, ['--version'], { env });
      assert.equal(version.stdout, `${packed.version}\n`, `--version on ${node}`);
      const help = await run(bin, ['--help'], { env });
      assert.match(help.stdout, /^Usage: canary-action <command> \[options\]/);
      assert.match(help.stdout, /-v, --version {3}Print the version \(@canary-action\/cli\)/);
    }
  });
});
