/**
 * The registry client's auth against a loopback server that answers like a token-auth registry
 * (ghcr.io, Docker Hub, GitLab): 401 with a Bearer challenge, a token service, then the manifest.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRegistryClient,
  parseChallenge,
  RegistryAuthError,
} from '../../../src/image/registry-client.ts';
import { reply, startRecordingServer } from '../../support/recording-server.ts';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
});

describe('registry client auth', () => {
  test('parses WWW-Authenticate challenges with quoted commas', () => {
    assert.deepEqual(
      parseChallenge(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/a:pull,push"',
      ),
      {
        scheme: 'bearer',
        params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:org/a:pull,push' },
      },
    );
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), {
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
  });

  test('answers a Bearer challenge with a token fetched using basic auth, then resolves the digest', async () => {
    let url = '';
    const server = await startRecordingServer([
      (_req, res) =>
        res
          .writeHead(401, {
            'WWW-Authenticate': `Bearer realm="${url}/token",service="registry.test",scope="repository:team/app:pull"`,
          })
          .end('{"errors":[{"code":"UNAUTHORIZED"}]}'),
      reply.json(200, { token: 'tok-123' }),
      (_req, res) =>
        res
          .writeHead(200, {
            'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
            'Docker-Content-Digest': DIGEST,
          })
          .end(MANIFEST),
    ]);
    url = server.url;
    try {
      const client = createRegistryClient({
        registry: server.url.replace('http://', ''),
        insecure: true,
        credentials: { username: 'bot', password: 'secret-pw' },
      });
      const manifest = await client.getManifest('team/app', 'v1');
      assert.equal(manifest?.digest, DIGEST);
      assert.equal(manifest?.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      const [first, token, retry] = server.seen;
      assert.equal(first?.url, '/v2/team/app/manifests/v1');
      assert.match(String(first?.headers.accept), /application\/vnd\.oci\.image\.manifest\.v1\+json/);
      assert.match(
        String(first?.headers.accept),
        /application\/vnd\.docker\.distribution\.manifest\.v2\+json/,
      );
      const tokenUrl = new URL(token?.url ?? '', server.url);
      assert.equal(tokenUrl.pathname, '/token');
      assert.deepEqual(Object.fromEntries(tokenUrl.searchParams), {
        service: 'registry.test',
        scope: 'repository:team/app:pull',
      });
      assert.equal(token?.headers.authorization, `Basic ${Buffer.from('bot:secret-pw').toString('base64')}`);
      assert.equal(retry?.headers.authorization, 'Bearer tok-123');
    } finally {
      await server.close();
    }
  });

  test('a tag the registry does not have is undefined; refused credentials are a RegistryAuthError (exit 2)', async () => {
    const server = await startRecordingServer([
      reply.json(404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] }),
      (_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end(),
    ]);
    try {
      const client = createRegistryClient({
        registry: server.url.replace('http://', ''),
        insecure: true,
        credentials: { username: 'bot', password: 'wrong' },
      });
      assert.equal(await client.getManifest('team/app', 'missing'), undefined);
      await assert.rejects(
        client.getManifest('team/app', 'v1'),
        (error: unknown) =>
          error instanceof RegistryAuthError &&
          error.exitCode === 2 &&
          /refused the credentials \(HTTP 401\)/.test(error.message),
      );
      assert.equal(
        server.seen.at(-1)?.headers.authorization,
        `Basic ${Buffer.from('bot:wrong').toString('base64')}`,
      );
    } finally {
      await server.close();
    }
  });
});
