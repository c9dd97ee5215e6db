import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImage, resolveImage, sameRepository } from '../../../src/pipeline/image.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('image references', () => {
  test('a registry port is part of the repository, not a tag', () => {
    assert.deepEqual(parseImage('localhost:5000/team/web:1'), {
      repository: 'localhost:5000/team/web',
      tag: '1',
    });
    assert.deepEqual(parseImage('localhost:5000/team/web'), { repository: 'localhost:5000/team/web' });
    assert.deepEqual(parseImage(`ghcr.io/org/web@${DIGEST}`), {
      repository: 'ghcr.io/org/web',
      digest: DIGEST,
    });
  });
  test('repositories compare exactly, short Docker Hub names normalised', () => {
    assert.equal(sameRepository('localhost:5000/team/web:1', 'localhost:5000/team/web:2'), true);
    assert.equal(sameRepository('localhost:5000/team/web:1', 'localhost:5000/team/web-sidecar:1'), false);
    assert.equal(sameRepository('localhost:5000/team/web', 'localhost:5001/team/web'), false);
    assert.equal(sameRepository('nginx:1.25', 'docker.io/library/nginx:1.27'), true);
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
  });
  test('malformed references are ConfigErrors naming the value', () => {
    for (const bad of ['', 'web@sha256:xyz', 'Web Server:1']) {
      assert.throws(
        () => parseImage(bad),
        (e: unknown) => e instanceof ConfigError && e.message.includes(JSON.stringify(bad)),
      );
    }
  });
});
