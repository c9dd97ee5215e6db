/** A kubeconfig whose exec credential plugin fails or is missing: exit 2 naming the plugin, before any request. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../../src/kube/client.ts';
import { ConfigError, exitCodeOf } from '../../../src/util/errors.ts';

async function kubeconfigWithPlugin(command: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exec-plugin-'));
  const file = path.join(dir, 'kubeconfig');
  await writeFile(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: ci, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "${command}", interactiveMode: Never}}}]
contexts: [{name: c, context: {cluster: c, user: ci, namespace: demo}}]
current-context: c
`,
  );
  return file;
}

describe('an exec credential plugin that cannot give credentials', () => {
  for (const [what, command, cause] of [
    ['exits 1 and prints nothing', '/bin/false', /exited with an error and printed nothing/],
    ['does not exist', '/no/such/plugin', /ENOENT/],
  ] as const) {
    test(`${what}: a ConfigError (exit 2) naming the plugin and the user`, async () => {
      const kubeconfig = await kubeconfigWithPlugin(command);
      await assert.rejects(connect({ kubeconfig }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(exitCodeOf(error), 2);
        assert.match(error.message, new RegExp(`exec credential plugin "${command}" of user "ci" failed`));
        assert.match(error.message, cause);
        return true;
      });
    });
  }
});
