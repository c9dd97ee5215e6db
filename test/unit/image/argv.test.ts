import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildahBuildArgs, buildahPushArgs, createBuildahBuilder } from '../../../src/image/buildah.ts';
import type { BuildRequest } from '../../../src/image/builder.ts';
import { createBuilder } from '../../../src/image/builders.ts';
import { createDockerBuilder, dockerBuildArgs } from '../../../src/image/docker.ts';
import { parseImageReference } from '../../../src/image/reference.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { fakeRunner, IMAGE_ID, PUSHED_DIGEST } from './fake-runner.ts';

const REPO = 'ghcr.io/org/web';
const base: BuildRequest = {
  image: parseImageReference(REPO),
  tags: [`${REPO}:abc`, `${REPO}:main-abc`],
  context: '/src',
  file: '/src/Containerfile',
  buildArgs: {},
  labels: { 'org.opencontainers.image.revision': 'abc' },
  push: true,
  insecureRegistry: false,
};
const log = { info: () => undefined, warning: () => undefined };

describe('docker buildx argv', () => {
  const table: {
    name: string;
    request: Partial<BuildRequest>;
    env?: NodeJS.ProcessEnv;
    cache?: 'auto' | 'registry' | 'none';
    args: string[];
  }[] = [
    {
      name: 'push elsewhere: no cache flags',
      request: {},
      args: ['--push'],
    },
    {
      name: 'push on GitHub: the GitHub Actions cache',
      request: {},
      env: { GITHUB_ACTIONS: 'true', ACTIONS_RUNTIME_TOKEN: 'runtime-token' },
      args: ['--push', '--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max'],
    },
    {
      name: 'registry cache as an option',
      request: {},
      cache: 'registry',
      args: [
        '--push',
        '--cache-from',
        `type=registry,ref=${REPO}:buildcache`,
        '--cache-to',
        `type=registry,ref=${REPO}:buildcache,mode=max`,
      ],
    },
    {
      name: 'on GitHub without the runtime token (a run: step), auto means no cache',
      request: {},
      env: { GITHUB_ACTIONS: 'true' },
      args: ['--push'],
    },
    {
      name: 'cache none on GitHub',
      request: {},
      env: { GITHUB_ACTIONS: 'true', ACTIONS_RUNTIME_TOKEN: 'runtime-token' },
      cache: 'none',
      args: ['--push'],
    },
    { name: 'no push loads into the engine', request: { push: false }, args: ['--load'] },
    {
      name: 'insecure registry pushes through the image exporter',
      request: { insecureRegistry: true },
      args: ['--output', `type=image,"name=${REPO}:abc,${REPO}:main-abc",push=true,registry.insecure=true`],
    },
  ];
  for (const row of table) {
    test(row.name, () => {
      const args = dockerBuildArgs(
        { ...base, ...row.request },
        { cache: row.cache ?? 'auto' },
        row.env ?? {},
        '/tmp/m.json',
      );
      assert.deepEqual(args, [
        'buildx',
        'build',
        '--file',
        '/src/Containerfile',
        '--tag',
        `${REPO}:abc`,
        '--tag',
        `${REPO}:main-abc`,
        '--label',
        'org.opencontainers.image.revision=abc',
        '--metadata-file',
        '/tmp/m.json',
        ...row.args,
        '/src',
      ]);
    });
  }

  test('build args, target and platform', () => {
    const args = dockerBuildArgs(
      {
        ...base,
        tags: [`${REPO}:abc`],
        labels: {},
        buildArgs: { VERSION: '1.2', EMPTY: '' },
        target: 'runtime',
        platform: 'linux/arm64',
      },
      { cache: 'auto' },
      {},
      '/m',
    );
    assert.deepEqual(args, [
      'buildx',
      'build',
      '--file',
      '/src/Containerfile',
      '--tag',
      `${REPO}:abc`,
      '--build-arg',
      'VERSION=1.2',
      '--build-arg',
      'EMPTY=',
      '--target',
      'runtime',
      '--platform',
      'linux/arm64',
      '--metadata-file',
      '/m',
      '--push',
      '/src',
    ]);
  });

  test('reads containerimage.digest; logs in with the password on stdin only', async () => {
    const runner = fakeRunner();
    const lines: string[] = [];
    const builder = createDockerBuilder({
      runner,
      log: { info: (l) => lines.push(l), warning: () => undefined },
      env: {},
    });
    const result = await builder.build({
      ...base,
      credentials: { username: 'bot', password: 'hunter2-secret' },
    });
    assert.equal(result.digest, PUSHED_DIGEST);
    assert.equal(result.reference, `${REPO}@${PUSHED_DIGEST}`);
    assert.deepEqual(runner.calls[0], {
      command: 'docker',
      args: ['login', '--username', 'bot', '--password-stdin', 'ghcr.io'],
      stdin: 'hunter2-secret',
    });
    assert.ok(runner.calls.every((call) => !call.args.join(' ').includes('hunter2')));
    assert.ok(lines.every((line) => !line.includes('hunter2')));
    assert.ok(lines.some((line) => line.startsWith('$ docker buildx build')));
  });
});

describe('buildah argv', () => {
  const options = { storageDriver: 'vfs', isolation: 'chroot' };

  test('build with everything', () => {
    const args = buildahBuildArgs(
      { ...base, buildArgs: { A: 'x=y' }, target: 'final', platform: 'linux/amd64', insecureRegistry: true },
      options,
      { iidFile: '/t/iid', authFile: '/t/auth.json' },
    );
    assert.deepEqual(args, [
      'build',
      '--storage-driver',
      'vfs',
      '--isolation',
      'chroot',
      '-f',
      '/src/Containerfile',
      '-t',
      `${REPO}:abc`,
      '-t',
      `${REPO}:main-abc`,
      '--label',
      'org.opencontainers.image.revision=abc',
      '--build-arg',
      'A=x=y',
      '--target',
      'final',
      '--platform',
      'linux/amd64',
      '--authfile',
      '/t/auth.json',
      '--tls-verify=false',
      '--iidfile',
      '/t/iid',
      '/src',
    ]);
  });

  test('push, secure and insecure', () => {
    assert.deepEqual(
      buildahPushArgs(
        `${REPO}:abc`,
        { storageDriver: 'overlay', isolation: 'oci' },
        { digestFile: '/d', insecure: false },
      ),
      ['push', '--storage-driver', 'overlay', '--digestfile', '/d', `${REPO}:abc`, `docker://${REPO}:abc`],
    );
    assert.deepEqual(
      buildahPushArgs('h:1/a:b', options, { digestFile: '/d', insecure: true, authFile: '/a' }),
      [
        'push',
        '--storage-driver',
        'vfs',
        '--digestfile',
        '/d',
        '--tls-verify=false',
        '--authfile',
        '/a',
        'h:1/a:b',
        'docker://h:1/a:b',
      ],
    );
  });

  test('builds, pushes every tag, reports the digest file; the password only reaches a private auth file', async () => {
    const runner = fakeRunner();
    const lines: string[] = [];
    const builder = createBuildahBuilder({
      runner,
      log: { info: (l) => lines.push(l), warning: () => undefined },
      env: {},
    });
    const result = await builder.build({
      ...base,
      credentials: { username: 'bot', password: 'hunter2-secret' },
    });
    assert.deepEqual(
      runner.calls.map((call) => call.args[0]),
      ['build', 'push', 'push'],
    );
    assert.deepEqual(result, {
      image: REPO,
      digest: PUSHED_DIGEST,
      tags: base.tags,
      reference: `${REPO}@${PUSHED_DIGEST}`,
      skipped: false,
      pushed: true,
      labels: base.labels,
    });
    const logged = lines.join('\n');
    assert.ok(!logged.includes('hunter2'));
    assert.ok(!logged.includes(Buffer.from('bot:hunter2-secret').toString('base64')));
    assert.ok(
      runner.calls.every(
        (call) => call.args.includes('--authfile') && !call.args.join(' ').includes('hunter2'),
      ),
    );
  });

  test('--no-push builds only and reports the local image id and first tag', async () => {
    const runner = fakeRunner();
    const result = await createBuildahBuilder({ runner, log, env: {} }).build({ ...base, push: false });
    assert.deepEqual(
      runner.calls.map((call) => call.args[0]),
      ['build'],
    );
    assert.equal(result.digest, IMAGE_ID);
    assert.equal(result.reference, `${REPO}:abc`);
    assert.equal(result.pushed, false);
  });

  test("a Containerfile error is exit 2 with buildah's text; a push that cannot connect is exit 4", async () => {
    const broken = fakeRunner(() => ({
      code: 125,
      output:
        'STEP 2/2: FROBNICATE x\nError: building at STEP "FROBNICATE ": Build error: Unknown instruction: "FROBNICATE"',
    }));
    await assert.rejects(
      createBuildahBuilder({ runner: broken, log, env: {} }).build(base),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.exitCode === 2 &&
        /Unknown instruction: "FROBNICATE"/.test(error.message),
    );
    const offline = fakeRunner((call) =>
      call.args[0] === 'push'
        ? { code: 125, output: 'Error: pinging container registry ghcr.io: dial tcp: connection refused' }
        : {},
    );
    await assert.rejects(
      createBuildahBuilder({ runner: offline, log, env: {} }).build(base),
      (error: unknown) =>
        (error as { exitCode?: number }).exitCode === 4 &&
        /connection refused/.test((error as Error).message),
    );
  });
});

describe('builder registry', () => {
  test('an unknown builder is a ConfigError listing the valid ones', () => {
    assert.throws(
      () => createBuilder('kaniko', { runner: fakeRunner(), log, env: {} }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === '--builder: unknown builder "kaniko"; valid: docker, buildah, none',
    );
  });

  test('each known name gives its builder', () => {
    for (const name of ['docker', 'buildah', 'none']) {
      assert.equal(createBuilder(name, { runner: fakeRunner(), log, env: {} }).name, name);
    }
  });
});
