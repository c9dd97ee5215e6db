import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBuild, type BuildOptions } from '../../../src/image/run-build.ts';
import { builderFailure } from '../../../src/image/failure.ts';
import { parseBuildFlags } from '../../../src/cli/build.ts';
import { createLocalPlatform } from '../../../src/platform/local.ts';
import { BackendError, ConfigError } from '../../../src/util/errors.ts';
import { fakeRunner } from './fake-runner.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const PASSWORD = 'pa55-word-from-env';

const contexts: string[] = [];
after(() => Promise.all(contexts.map((dir) => rm(dir, { recursive: true, force: true }))));

async function context(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'build-unit-'));
  contexts.push(dir);
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

function capturingPlatform() {
  const out: string[] = [];
  const platform = createLocalPlatform({ out: (t) => out.push(t), err: (t) => out.push(t) });
  return { out, platform };
}

describe('runBuild', () => {
  test('the registry password never reaches the log, in any builder command line or output', async () => {
    const dir = await context();
    for (const builder of ['docker', 'buildah']) {
      const { out, platform } = capturingPlatform();
      // A tool that echoes its arguments and the password back must still be redacted.
      const runner = fakeRunner((call) => ({ output: `${call.args.join(' ')}\nLogin with ${PASSWORD} ok` }));
      const options: BuildOptions = {
        builder,
        image: 'registry.example.com/team/app',
        context: dir,
        revision: SHA,
        branch: 'main',
        rebuild: true,
        env: { CANARY_REGISTRY_USERNAME: 'ci-bot', CANARY_REGISTRY_PASSWORD: PASSWORD },
        runner,
      };
      const result = await runBuild(options, platform);
      assert.equal(result.tags.length, 2);
      const text = out.join('');
      assert.match(text, /\$ (docker|buildah) /);
      assert.ok(!text.includes(PASSWORD), `${builder} printed the password:\n${text}`);
      assert.ok(text.includes('Login with *** ok'));
      assert.ok(runner.calls.every((call) => !call.args.some((arg) => arg.includes(PASSWORD))));
    }
  });

  test('finds Dockerfile when there is no Containerfile, defaults to two tags and the OCI labels', async () => {
    const dir = await context();
    const runner = fakeRunner();
    const result = await runBuild(
      {
        builder: 'buildah',
        image: 'localhost:5000/app',
        context: dir,
        push: false,
        env: { GITHUB_SHA: SHA, GITHUB_REF_NAME: 'Feature/X' },
        runner,
        now: () => new Date(Date.UTC(2026, 5, 1)),
      },
      capturingPlatform().platform,
    );
    const args = runner.calls.find((call) => call.command === 'buildah')?.args ?? [];
    assert.equal(args[args.indexOf('-f') + 1], path.join(dir, 'Dockerfile'));
    assert.deepEqual(result.tags, [`localhost:5000/app:${SHA}`, 'localhost:5000/app:feature-x-0123456']);
    assert.equal(result.labels['org.opencontainers.image.created'], '2026-06-01T00:00:00Z');
    assert.equal(result.labels['org.opencontainers.image.ref.name'], 'Feature/X');
  });

  test('input errors name the field', async () => {
    const dir = await context();
    const { platform } = capturingPlatform();
    const base: BuildOptions = {
      builder: 'buildah',
      image: 'h:1/a',
      context: dir,
      revision: SHA,
      env: {},
      runner: fakeRunner(),
    };
    const cases: [Partial<BuildOptions>, RegExp][] = [
      [{ image: 'h:1/a:v1' }, /^--image: "h:1\/a:v1": give the repository only/],
      [{ context: path.join(dir, 'nope') }, /^--context: ".*nope" is not a directory/],
      [{ file: 'Missing.file' }, /^--file: ".*Missing.file" is not a file/],
      [{ registryUsername: 'bob' }, /^--registry-password: is required with --registry-username "bob"/],
      [{ tags: ['{{nope}}'] }, /^--tag: unknown template variable \{\{nope\}\}/],
    ];
    for (const [override, message] of cases) {
      await assert.rejects(
        runBuild({ ...base, ...override }, platform),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    }
  });
});

describe('builder failures', () => {
  test("a build-step error is the user's (exit 2), connection trouble and unknown failures are infrastructure (4)", () => {
    const cases: [string, 'build' | 'push', string, number][] = [
      ['buildah', 'build', 'Error: building at STEP "COPY missing /x": checking on sources', 2],
      [
        'docker',
        'build',
        'ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: FROBNICATE',
        2,
      ],
      [
        'docker',
        'build',
        'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2',
        2,
      ],
      [
        'buildah',
        'build',
        'Error: creating build container: pinging container registry quay.io: dial tcp: i/o timeout',
        4,
      ],
      ['buildah', 'push', 'Error: pushing image: connection refused', 4],
      ['buildah', 'push', 'Error: writing blob: unauthorized: authentication required', 2],
      ['buildah', 'build', 'Error: mount: operation not permitted', 4],
    ];
    for (const [tool, step, output, code] of cases) {
      const error = builderFailure(tool, step, 125, output);
      assert.equal(error.exitCode, code, output);
      assert.ok(error.message.includes(output), "the tool's own text is shown");
    }
    assert.ok(builderFailure('buildah', 'push', null, 'x') instanceof BackendError);
  });
});

describe('build command flags', () => {
  test('repeatable flags, --no-push and report', () => {
    const { options, reportFile } = parseBuildFlags({
      argv: [
        '--image',
        'ghcr.io/o/a',
        '--build-arg',
        'A=1',
        '--build-arg',
        'B=2',
        '--label',
        'x=y',
        '--tag',
        '{{sha}}',
        '--tag',
        'latest',
        '--no-push',
        '--report',
        'r.json',
        '--builder',
        'docker',
        '--cache',
        'registry',
      ],
      env: {},
    });
    assert.equal(reportFile, 'r.json');
    assert.equal(options.push, false);
    assert.equal(options.builder, 'docker');
    assert.deepEqual(options.buildArgs, { A: '1', B: '2' });
    assert.deepEqual(options.labels, { x: 'y' });
    assert.deepEqual(options.tags, ['{{sha}}', 'latest']);
    assert.deepEqual(options.settings?.docker, { cache: 'registry' });
  });

  test('--image is required; unknown flags name themselves', () => {
    assert.throws(() => parseBuildFlags({ argv: [], env: {} }), /^ConfigError: --image: is required/);
    assert.throws(() => parseBuildFlags({ argv: ['--image', 'a', '--frobnicate'], env: {} }), /--frobnicate/);
  });
});
