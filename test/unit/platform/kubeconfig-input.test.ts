import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kubeconfigSecrets, prepareKubeconfig } from '../../../src/platform/kubeconfig-input.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443', certificate-authority-data: Q0E=}}]
users:
  - name: ci
    user: {token: tok-123456, client-key-data: S0VZ}
  - name: basic
    user: {username: me, password: pw-987654, auth-provider: {config: {access-token: at-555555}}}
contexts: [{name: c, context: {cluster: c, user: ci}}]
current-context: c
`;

describe('the kubeconfig input', () => {
  test('kubeconfigSecrets finds tokens, passwords, keys and auth-provider tokens, nothing else', () => {
    assert.deepEqual(kubeconfigSecrets(KUBECONFIG).sort(), [
      'KEY',
      'S0VZ',
      'at-555555',
      'pw-987654',
      'tok-123456',
    ]);
    assert.deepEqual(kubeconfigSecrets('{not yaml'), []);
  });

  test("kubeconfigSecrets: an exec plugin's environment values, key and token files (relative to the kubeconfig)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kube-secrets-'));
    try {
      await writeFile(path.join(dir, 'ci.key'), 'key-file-content');
      await writeFile(path.join(dir, 'token'), 'token-file-content');
      const text = `users:
  - name: exec
    user:
      exec: {command: get-token, args: [--verbose], env: [{name: VAULT_TOKEN, value: hvs-1234567}, {name: N, value: ''}]}
  - name: files
    user: {client-key: ci.key, tokenFile: ${path.join(dir, 'token')}, client-certificate: ci.crt}
`;
      assert.deepEqual(kubeconfigSecrets(text, dir).sort(), [
        'hvs-1234567',
        'key-file-content',
        'token-file-content',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('content is written 0600 into a fresh directory that cleanup removes; base64 content too', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'kube-input-'));
    try {
      for (const input of [KUBECONFIG, Buffer.from(KUBECONFIG).toString('base64')]) {
        const prepared = await prepareKubeconfig(input, { tempRoot: root });
        assert.equal(prepared.source, 'content');
        assert.equal(await readFile(prepared.path!, 'utf8'), `${KUBECONFIG.trim()}\n`);
        assert.equal(statSync(prepared.path!).mode & 0o777, 0o600);
        assert.ok(prepared.secrets.includes('tok-123456'));
        await prepared.cleanup();
        assert.equal(existsSync(prepared.tempDir!), false);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('a path is used as it is; empty means the default chain; anything else is an error that hides the value', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'kube-input-'));
    try {
      const file = path.join(root, 'config');
      await writeFile(file, KUBECONFIG);
      const prepared = await prepareKubeconfig(file, { tempRoot: root });
      assert.deepEqual([prepared.source, prepared.path, prepared.tempDir], ['path', file, undefined]);
      assert.ok(prepared.secrets.includes('pw-987654'));
      assert.equal((await prepareKubeconfig('  ', { tempRoot: root })).source, 'default');
      await assert.rejects(prepareKubeconfig('/no/such/kubeconfig-x1', { tempRoot: root }), (error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^kubeconfig: expected the kubeconfig file content/);
        assert.ok(!error.message.includes('kubeconfig-x1'));
        return true;
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
