import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageReference, repositoryOf, resolveImage, versionOf } from '../../../src/image/reference.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const sameRepository = (a: string, b: string) =>
  repositoryOf(a) !== undefined && repositoryOf(a) === repositoryOf(b);

describe('image references (the release)', () => {
  test('a registry port is part of the repository, not a tag', () => {
    assert.deepEqual(parseImageReference('localhost:5000/team/web:1'), {
      registry: 'localhost:5000',
      path: 'team/web',
      repository: 'localhost:5000/team/web',
      tag: '1',
    });
    assert.equal(parseImageReference('localhost:5000/team/web').tag, undefined);
    assert.equal(parseImageReference(`ghcr.io/org/web@${DIGEST}`).digest, DIGEST);
  });
  test('repositories compare exactly, Docker Hub names normalised one way', () => {
    assert.equal(sameRepository('localhost:5000/team/web:1', 'localhost:5000/team/web:2'), true);
    assert.equal(sameRepository('localhost:5000/team/web:1', 'localhost:5000/team/web-sidecar:1'), false);
    assert.equal(sameRepository('localhost:5000/team/web', 'localhost:5001/team/web'), false);
    assert.equal(sameRepository('nginx:1.25', 'docker.io/library/nginx:1.27'), true);
    assert.equal(sameRepository('nginx:1.25', 'docker.io/nginx:1.27'), true);
    assert.equal(sameRepository('index.docker.io/library/nginx', 'nginx'), true);
    assert.equal(sameRepository('Web Server:1', 'Web Server:1'), false);
  });
  test('a bare repository needs a digest; with one it becomes repo@digest', () => {
    assert.throws(
      () => resolveImage('ghcr.io/org/web'),
      (e: unknown) => e instanceof ConfigError && /tag or a digest/.test(e.message),
    );
    assert.deepEqual(resolveImage('ghcr.io/org/web', DIGEST), {
      reference: `ghcr.io/org/web@${DIGEST}`,
      digest: DIGEST,
    });
    assert.deepEqual(resolveImage('ghcr.io/org/web:1.2'), { reference: 'ghcr.io/org/web:1.2' });
    assert.equal(versionOf(`ghcr.io/org/web@${DIGEST}`), DIGEST);
    assert.equal(versionOf('ghcr.io/org/web:1.2'), '1.2');
  });
  test('malformed references are ConfigErrors naming the value', () => {
    for (const bad of ['', 'web@sha256:xyz', 'Web Server:1']) {
      assert.throws(
        () => resolveImage(bad),
        (e: unknown) => e instanceof ConfigError && e.message.includes(JSON.stringify(bad)),
      );
    }
  });
});
