import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ociLabels, parseKeyValues, rfc3339 } from '../../../src/image/labels.ts';
import { resolveSource, sourceFromEnv } from '../../../src/image/revision.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { fakeRunner } from './fake-runner.ts';

const GIT_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const GH_SHA = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const GL_SHA = 'cccccccccccccccccccccccccccccccccccccccc';
const git = () =>
  fakeRunner((call) => ({
    stdout: call.args[0] === 'rev-parse' ? `${GIT_SHA}\n` : 'from-git\n',
  }));

describe('revision and branch precedence', () => {
  const github = {
    GITHUB_SHA: GH_SHA,
    GITHUB_REF_NAME: 'main',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'org/web',
  };
  const gitlab = {
    CI_COMMIT_SHA: GL_SHA,
    CI_COMMIT_REF_NAME: 'develop',
    CI_PROJECT_URL: 'https://gitlab.com/org/web',
  };
  const table: {
    name: string;
    flags?: { revision?: string; branch?: string };
    env: NodeJS.ProcessEnv;
    want: object;
  }[] = [
    { name: 'git when nothing else', env: {}, want: { revision: GIT_SHA, branch: 'from-git' } },
    {
      name: 'GitHub push',
      env: github,
      want: { revision: GH_SHA, branch: 'main', sourceUrl: 'https://github.com/org/web' },
    },
    {
      name: 'GitHub pull request: the head branch, not 12/merge',
      env: { ...github, GITHUB_REF_NAME: '12/merge', GITHUB_HEAD_REF: 'feature/x' },
      want: { revision: GH_SHA, branch: 'feature/x', sourceUrl: 'https://github.com/org/web' },
    },
    {
      name: 'GitLab pipeline',
      env: gitlab,
      want: { revision: GL_SHA, branch: 'develop', sourceUrl: 'https://gitlab.com/org/web' },
    },
    {
      name: 'GitLab merge request: the source branch',
      env: { ...gitlab, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/mr' },
      want: { revision: GL_SHA, branch: 'feature/mr', sourceUrl: 'https://gitlab.com/org/web' },
    },
    {
      name: 'flags win over CI variables, and are lower-cased',
      flags: { revision: 'ABCDEF1', branch: 'hotfix' },
      env: github,
      want: { revision: 'abcdef1', branch: 'hotfix', sourceUrl: 'https://github.com/org/web' },
    },
    {
      name: 'an empty CI variable falls through to git',
      env: { GITHUB_SHA: '', CI_COMMIT_REF_NAME: '' },
      want: { revision: GIT_SHA, branch: 'from-git' },
    },
  ];
  for (const row of table) {
    test(row.name, async () => {
      assert.deepEqual(await resolveSource(row.flags ?? {}, row.env, git(), '/src'), row.want);
    });
  }

  test('GitHub variables win over GitLab ones when both are set', () => {
    assert.equal(sourceFromEnv({ GITHUB_SHA: GH_SHA, CI_COMMIT_SHA: GL_SHA }).revision, GH_SHA);
  });

  test('git runs in the context directory and is asked exactly these commands', async () => {
    const runner = git();
    await resolveSource({}, {}, runner, '/src');
    assert.deepEqual(
      runner.calls.map((call) => [call.command, ...call.args]),
      [
        ['git', 'rev-parse', 'HEAD'],
        ['git', 'branch', '--show-current'],
      ],
    );
  });

  test('no revision anywhere, or a revision that is not hex, is a ConfigError naming --revision', async () => {
    const noGit = fakeRunner(() => ({ code: 128, output: 'fatal: not a git repository' }));
    await assert.rejects(
      resolveSource({}, {}, noGit, '/'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.path === '--revision' &&
        /pass --revision SHA/.test(error.message),
    );
    await assert.rejects(
      resolveSource({ revision: 'v1.2.3' }, {}, noGit, '/'),
      /"v1.2.3" is not a commit sha/,
    );
  });
});

describe('OCI labels', () => {
  test('standard labels, user labels win', () => {
    const labels = ociLabels(
      { revision: GH_SHA, branch: 'main', sourceUrl: 'https://github.com/org/web' },
      GH_SHA,
      new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      { 'org.opencontainers.image.version': '1.4.0', team: 'payments' },
    );
    assert.deepEqual(labels, {
      'org.opencontainers.image.revision': GH_SHA,
      'org.opencontainers.image.source': 'https://github.com/org/web',
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.version': '1.4.0',
      'org.opencontainers.image.ref.name': 'main',
      team: 'payments',
    });
  });

  test('unknown source and branch are left out', () => {
    const labels = ociLabels({ revision: GIT_SHA, branch: '' }, GIT_SHA, new Date(0));
    assert.deepEqual(Object.keys(labels), [
      'org.opencontainers.image.revision',
      'org.opencontainers.image.created',
      'org.opencontainers.image.version',
    ]);
    assert.equal(rfc3339(new Date(0)), '1970-01-01T00:00:00Z');
  });

  test('K=V parsing keeps = in values and rejects a missing key', () => {
    assert.deepEqual(parseKeyValues(['A=1', 'B=x=y', 'C='], '--build-arg'), { A: '1', B: 'x=y', C: '' });
    assert.throws(() => parseKeyValues(['=v'], '--label'), /--label: "=v" is not KEY=VALUE/);
    assert.throws(
      () => parseKeyValues(['novalue'], '--build-arg'),
      /--build-arg: "novalue" is not KEY=VALUE/,
    );
  });
});
