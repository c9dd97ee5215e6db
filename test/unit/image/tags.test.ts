import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageReference } from '../../../src/image/reference.ts';
import { branchSlug, imageTags, renderTag } from '../../../src/image/tags.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

describe('branch slug', () => {
  const table: [string, string][] = [
    ['main', 'main'],
    ['feature/ÜBER-cool', 'feature-uber-cool'],
    ['-leading', 'leading'],
    ['.dot', 'dot'],
    ['--..--x', 'x'],
    ['a//b', 'a-b'],
    ['UPPER', 'upper'],
    ['refs/heads/x', 'x'],
    ['release/1.2.x', 'release-1.2.x'],
    ['fix_under_score', 'fix_under_score'],
    ['rocket🚀launch', 'rocket-launch'],
    ['🚀', ''],
    ['trailing/', 'trailing'],
    ['dependabot/npm_and_yarn/@types/node-20.1', 'dependabot-npm_and_yarn-types-node-20.1'],
    ['Ça va', 'ca-va'],
  ];
  for (const [branch, slug] of table) {
    test(`${JSON.stringify(branch)} → ${JSON.stringify(slug)}`, () => assert.equal(branchSlug(branch), slug));
  }

  test('a 300-character branch gives a default tag of at most 128 characters that is still valid', () => {
    const branch = `feature/${'x'.repeat(150)}/${'Y'.repeat(141)}`;
    assert.equal(branch.length, 300);
    const tags = imageTags([], { sha: SHA, branch });
    assert.equal(tags.length, 2);
    const branchTag = tags[1] ?? '';
    assert.equal(branchTag.length, 128);
    assert.match(branchTag, VALID_TAG);
    assert.ok(branchTag.endsWith('-0123456'));
  });

  test('truncation never leaves a separator before the short sha', () => {
    const branch = `${'a'.repeat(119)}/b`; // the cut falls right after the '/'
    const tag = renderTag('{{branch}}-{{short_sha}}', { sha: SHA, branch });
    assert.equal(tag, `${'a'.repeat(119)}-0123456`);
  });

  test('every slug of awkward input is a valid tag fragment', () => {
    for (const branch of ['', '-', '.', '/', 'ÄÖÜ', '😀😀', 'a'.repeat(500), ' spaces in name ', 'x\ny']) {
      const slug = branchSlug(branch);
      assert.ok(
        slug === '' || VALID_TAG.test(slug),
        `${JSON.stringify(branch)} gave ${JSON.stringify(slug)}`,
      );
    }
  });
});

describe('tag templates', () => {
  const variables = { sha: SHA, branch: 'Feature/Login' };

  test('default tags are the sha and <branch-slug>-<short sha>', () => {
    assert.deepEqual(imageTags([], variables), [SHA, 'feature-login-0123456']);
  });

  test('without a branch only the sha tag is made', () => {
    assert.deepEqual(imageTags([], { sha: SHA, branch: '' }), [SHA]);
  });

  test('templates render {{sha}}, {{short_sha}} and {{branch}}, with spaces inside braces allowed', () => {
    assert.deepEqual(imageTags(['v-{{ short_sha }}', '{{branch}}', 'latest', 'sha-{{sha}}'], variables), [
      'v-0123456',
      'feature-login',
      'latest',
      `sha-${SHA}`,
    ]);
  });

  test('duplicate tags are made once', () => {
    assert.deepEqual(imageTags(['{{sha}}', '{{ sha }}'], variables), [SHA]);
  });

  test('an unknown template variable is a ConfigError naming it and the valid ones', () => {
    assert.throws(
      () => imageTags(['{{commit}}'], variables),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.path === '--tag' &&
        /unknown template variable \{\{commit\}\} in "\{\{commit\}\}"; expected \{\{sha\}\}, \{\{short_sha\}\} or \{\{branch\}\}/.test(
          error.message,
        ),
    );
  });

  test('{{branch}} without a usable branch is a ConfigError', () => {
    assert.throws(
      () => renderTag('{{branch}}', { sha: SHA, branch: '🚀' }),
      /gives no usable tag; pass --branch/,
    );
  });

  test('a template that renders to an invalid tag is a ConfigError with the rendered value', () => {
    assert.throws(
      () => renderTag('release/{{short_sha}}', variables),
      /renders to "release\/0123456", which is not a valid tag/,
    );
    assert.throws(() => renderTag('-{{short_sha}}', variables), /not a valid tag/);
  });
});

describe('image references', () => {
  const table: [string, ReturnType<typeof parseImageReference>][] = [
    [
      'localhost:5000/team/app:tag@sha256:' + 'a'.repeat(64),
      {
        registry: 'localhost:5000',
        path: 'team/app',
        repository: 'localhost:5000/team/app',
        tag: 'tag',
        digest: `sha256:${'a'.repeat(64)}`,
      },
    ],
    [
      'localhost:5000/team/app',
      { registry: 'localhost:5000', path: 'team/app', repository: 'localhost:5000/team/app' },
    ],
    [
      '127.0.0.1:41234/app:v1',
      { registry: '127.0.0.1:41234', path: 'app', repository: '127.0.0.1:41234/app', tag: 'v1' },
    ],
    ['localhost/app', { registry: 'localhost', path: 'app', repository: 'localhost/app' }],
    ['ghcr.io/org/web', { registry: 'ghcr.io', path: 'org/web', repository: 'ghcr.io/org/web' }],
    ['nginx', { registry: 'docker.io', path: 'library/nginx', repository: 'nginx' }],
    ['nginx:1.27', { registry: 'docker.io', path: 'library/nginx', repository: 'nginx', tag: '1.27' }],
    ['team/app', { registry: 'docker.io', path: 'team/app', repository: 'team/app' }],
    [
      'registry.gitlab.com/group/sub/project/app@sha256:' + 'b'.repeat(64),
      {
        registry: 'registry.gitlab.com',
        path: 'group/sub/project/app',
        repository: 'registry.gitlab.com/group/sub/project/app',
        digest: `sha256:${'b'.repeat(64)}`,
      },
    ],
  ];
  for (const [text, expected] of table) {
    test(text, () => assert.deepEqual(parseImageReference(text), expected));
  }

  const invalid: [string, RegExp][] = [
    ['Team/App', /path component "Team"/],
    ['app@sha256:short', /digest "sha256:short"/],
    ['app:bad/tag', /registry host "app:bad" is not valid/],
    ['a@b@c', /more than one "@"/],
    ['', /path component ""/],
  ];
  for (const [text, why] of invalid) {
    test(`rejects ${JSON.stringify(text)}`, () =>
      assert.throws(
        () => parseImageReference(text),
        (error: unknown) =>
          error instanceof ConfigError && error.path === '--image' && why.test(error.message),
      ));
  }
});
