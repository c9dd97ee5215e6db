/** The cluster layer against the sandbox with the scoped (CI-like) kubeconfig: connect, access, apply, delete, errors. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from '../../../src/kube/client.ts';
import { REQUIRED_ACCESS } from '../../../src/kube/access.ts';
import type { Cluster, KubeObject } from '../../../src/kube/types.ts';
import { ConfigError, PermissionError } from '../../../src/util/errors.ts';
import { canaryRules, startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';

function configMap(
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

describe('connect and generic object access (scoped kubeconfig)', () => {
  let sandbox: Sandbox;
  let cluster: Cluster;

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.05 });
    cluster = await connect({ kubeconfig: sandbox.kubeconfig });
  });
  after(() => sandbox?.stop());

  test('connects in the context namespace and the API answers', async () => {
    assert.equal(cluster.namespace, 'demo');
    assert.match(await cluster.version(), /^v\d+\.\d+/);
    const explicit = await connect({
      kubeconfig: sandbox.kubeconfig,
      context: 'sandbox',
      namespace: 'other',
    });
    assert.equal(explicit.namespace, 'other');
  });

  test('an unknown context or an unreadable kubeconfig is a ConfigError naming the field, without the token', async () => {
    await assert.rejects(connect({ kubeconfig: sandbox.kubeconfig, context: 'prod' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.path, 'context');
      assert.match(error.message, /"prod" not found .* expected one of: sandbox/);
      return true;
    });
    await assert.rejects(connect({ kubeconfig: path.join(sandbox.dir, 'missing') }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.path, 'kubeconfig');
      assert.match(error.message, /ENOENT/);
      return true;
    });
    const broken = path.join(sandbox.dir, 'broken.kubeconfig');
    await writeFile(broken, `users:\n- name: ci\n  user: {token: ${sandbox.ciToken}\n  : [\n`);
    await assert.rejects(connect({ kubeconfig: broken }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.path, 'kubeconfig');
      assert.ok(!error.message.includes(sandbox.ciToken), error.message);
      return true;
    });
  });

  test('checkAccess answers allowed for the default rules, per check', async () => {
    const results = await cluster.checkAccess([
      ...REQUIRED_ACCESS,
      { verb: 'create', resource: 'namespaces' },
    ]);
    assert.equal(results.length, REQUIRED_ACCESS.length + 1);
    assert.deepEqual(
      results.filter((r) => !r.allowed).map((r) => `${r.verb} ${r.resource}`),
      ['create namespaces'],
    );
  });

  test('apply creates then updates with server-side apply; the field manager is recorded', async () => {
    const created = await cluster.apply(configMap('settings', { a: '1' }, { app: 'web', track: 'canary' }));
    assert.equal(created.metadata.namespace, 'demo');
    const updated = await cluster.apply(
      configMap('settings', { a: '2', b: '3' }, { app: 'web', track: 'canary' }),
    );
    assert.deepEqual(updated.data, { a: '2', b: '3' });
    assert.equal(updated.metadata.uid, created.metadata.uid);
    const managers = (updated.metadata.managedFields as { manager: string; operation: string }[]).map(
      (m) => `${m.manager}/${m.operation}`,
    );
    assert.deepEqual(managers, ['canary-action/Apply']);
    const again = await cluster.apply({ ...updated, metadata: { ...updated.metadata } });
    assert.deepEqual(again.data, { a: '2', b: '3' }, 'an object read back from the cluster applies as-is');
  });

  test('get and list with a label selector return plain Kubernetes JSON', async () => {
    await cluster.apply(configMap('other', { x: '1' }, { app: 'web', track: 'stable' }));
    const got = await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings' });
    assert.equal(typeof got?.metadata.creationTimestamp, 'string');
    assert.equal(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'absent' }), undefined);
    const canaries = await cluster.list('v1', 'ConfigMap', 'app=web,track=canary');
    assert.deepEqual(
      canaries.map((o) => [o.kind, o.metadata.name]),
      [['ConfigMap', 'settings']],
    );
    assert.equal((await cluster.list('v1', 'ConfigMap', 'app=web')).length, 2);
  });

  test('delete is idempotent', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'other' };
    assert.equal(await cluster.delete(ref), true);
    assert.equal(await cluster.delete(ref), false);
    assert.equal(await cluster.get(ref), undefined);
  });

  test('a write outside the namespace is a PermissionError naming verb, resource and namespace', async () => {
    const outside = { ...configMap('x', {}), metadata: { name: 'x', namespace: 'kube-system' } };
    await assert.rejects(cluster.apply(outside), (error: unknown) => {
      assert.ok(error instanceof PermissionError, String(error));
      assert.match(error.message, /cannot patch configmaps in namespace "kube-system"/);
      assert.ok(!error.message.includes(sandbox.ciToken));
      return true;
    });
  });

  test('an invalid object is a ConfigError naming it', async () => {
    const invalid = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' }, data: {} };
    await assert.rejects(cluster.apply(invalid), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /^configmaps\/Not_Valid: the object is invalid: /);
      return true;
    });
  });

  test('apply retries through injected 503s', async () => {
    const remove = sandbox.faults.add({
      path: '/configmaps/flaky',
      methods: ['PATCH'],
      errorRate: 0.6,
      status: 503,
    });
    try {
      const fast = await connect(
        { kubeconfig: sandbox.kubeconfig },
        { retry: { attempts: 20, baseDelayMs: 5, maxDelayMs: 20 } },
      );
      for (let i = 0; i < 5; i++) {
        const applied = await fast.apply(configMap('flaky', { i: String(i) }));
        assert.deepEqual(applied.data, { i: String(i) });
      }
    } finally {
      remove();
    }
  });

  test('a denied permission shows in checkAccess', async () => {
    const rules = canaryRules('demo').map((r) =>
      r.apiGroups.includes('coordination.k8s.io')
        ? { ...r, verbs: r.verbs.filter((v) => v !== 'update') }
        : r,
    );
    const limited = await startSandbox({ ciRules: rules, timeScale: 0.05 });
    try {
      const results = await (
        await connect({ kubeconfig: limited.kubeconfig })
      ).checkAccess([...REQUIRED_ACCESS]);
      assert.deepEqual(
        results.filter((r) => !r.allowed).map((r) => `${r.verb} ${r.resource}.${r.group}`),
        ['update leases.coordination.k8s.io'],
      );
    } finally {
      await limited.stop();
    }
  });
});
