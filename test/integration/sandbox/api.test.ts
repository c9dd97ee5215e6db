/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/** The sandbox API server's semantics, over HTTPS: statuses, patches, apply, watch, deletion, faults. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { canaryRules, startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { apiRequest, kubectl, kubectlMissing, waitFor } from './helpers.ts';

import * as clientNode from '@kubernetes/client-node';

const CM = '/api/v1/namespaces/demo/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/demo/deployments';

function configMap(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } };
}

function deployment(name: string, replicas = 0): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'demo:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'sidecar', image: 'side:1' },
          ],
        },
      },
    },
  };
}

/** Opens a watch and collects its newline-delimited events until `stop()` or the server ends it. */
function openWatch(sandbox: Sandbox, path: string): { events: any[]; ended: Promise<void>; stop(): void } {
  const events: any[] = [];
  let buffer = '';
  let req: ReturnType<typeof https.request>;
  const ended = new Promise<void>((resolve) => {
    req = https.request(
      `${sandbox.url}${path}`,
      { ca: sandbox.ca, headers: { Authorization: `Bearer ${sandbox.adminToken}` } },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buffer.slice(0, newline)));
            buffer = buffer.slice(newline + 1);
          }
        });
        res.on('end', () => resolve());
        res.on('close', () => resolve());
        res.on('error', () => resolve());
      },
    );
    req.on('error', () => resolve());
    req.end();
  });
  return { events, ended, stop: () => req.destroy() };
}

describe('sandbox API server', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2, bookmarkIntervalMs: 200 });
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('answers 401, 404, 409 and 422 with Kubernetes Status bodies', async () => {
    const anonymous = await apiRequest(sandbox, 'GET', CM, { token: null });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(anonymous.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const missing = await apiRequest(sandbox, 'GET', `${DEPLOY}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'deployments.apps "nope" not found');
    assert.deepEqual(missing.json.details, { name: 'nope', group: 'apps', kind: 'deployments' });
    assert.equal((await apiRequest(sandbox, 'POST', CM, { body: configMap('dup') })).status, 201);
    const dup = await apiRequest(sandbox, 'POST', CM, { body: configMap('dup') });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.reason, 'AlreadyExists');
    assert.equal(dup.json.message, 'configmaps "dup" already exists');
    const bad = deployment('bad') as any;
    bad.spec.template.metadata.labels = { app: 'other' };
    const invalid = await apiRequest(sandbox, 'POST', DEPLOY, { body: bad });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json.reason, 'Invalid');
    assert.equal(
      invalid.json.message,
      'Deployment.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
    assert.equal(invalid.json.details.causes[0].field, 'spec.template.metadata.labels');
  });

  test('resourceVersion, generation and optimistic concurrency', async () => {
    assert.equal(
      (await apiRequest(sandbox, 'POST', DEPLOY, { body: deployment('gen') })).json.metadata.generation,
      1,
    );
    // The controller writes status and the revision annotation; PUT the object as it stands afterwards.
    const created = await waitFor('the controller to observe generation 1', async () => {
      const d = (await apiRequest(sandbox, 'GET', `${DEPLOY}/gen`)).json;
      return d.status?.observedGeneration === 1 &&
        d.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1'
        ? d
        : undefined;
    });
    const labelled = { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } };
    const updated = await apiRequest(sandbox, 'PUT', `${DEPLOY}/gen`, { body: labelled });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.metadata.generation, 1);
    assert.ok(Number(updated.json.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    const stale = await apiRequest(sandbox, 'PUT', `${DEPLOY}/gen`, {
      body: { ...created, spec: { ...created.spec, replicas: 1 } },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    const scaled = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/gen`, {
      body: { spec: { replicas: 0, paused: true } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(scaled.json.metadata.generation, 2);
  });

  test('JSON patch, merge patch and strategic merge patch (merge keys and $patch: delete)', async () => {
    await apiRequest(sandbox, 'POST', DEPLOY, { body: deployment('patchy') });
    const smp = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/patchy`, {
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'demo:2',
                  env: [
                    { name: 'B', value: 'two' },
                    { name: 'C', value: '3' },
                  ],
                },
                { name: 'sidecar', $patch: 'delete' },
              ],
            },
          },
        },
      },
    });
    assert.equal(smp.status, 200, smp.text);
    const containers = smp.json.spec.template.spec.containers;
    assert.deepEqual(
      containers.map((c: { name: string }) => c.name),
      ['app'],
    );
    assert.equal(containers[0].image, 'demo:2');
    assert.deepEqual(containers[0].env, [
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    const merge = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/patchy`, {
      contentType: 'application/merge-patch+json',
      body: {
        metadata: { labels: { a: 'b' } },
        spec: { template: { spec: { containers: [{ name: 'only', image: 'x:1' }] } } },
      },
    });
    assert.deepEqual(
      merge.json.spec.template.spec.containers.map((c: { name: string }) => c.name),
      ['only'],
      'a merge patch replaces lists',
    );
    const json = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/patchy`, {
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/metadata/labels/a', value: 'b' },
        { op: 'replace', path: '/spec/replicas', value: 0 },
        { op: 'add', path: '/metadata/labels/c', value: 'd' },
        { op: 'remove', path: '/metadata/labels/a' },
      ],
    });
    assert.deepEqual(json.json.metadata.labels, { c: 'd' });
    const failed = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/patchy`, {
      contentType: 'application/json-patch+json',
      body: [{ op: 'test', path: '/spec/replicas', value: 9 }],
    });
    assert.equal(failed.status, 422);
  });

  test('server-side apply: field managers, conflicts with the real message, force, and removal of dropped fields', async () => {
    const apply = (manager: string, body: unknown, force = false) =>
      apiRequest(sandbox, 'PATCH', `${DEPLOY}/ssa?fieldManager=${manager}${force ? '&force=true' : ''}`, {
        contentType: 'application/apply-patch+yaml',
        body,
      });
    const base = deployment('ssa', 1) as any;
    base.metadata.labels = { owner: 'a' };
    base.spec.template.spec.containers = [{ name: 'app', image: 'demo:1' }];
    assert.equal((await apply('tool-a', base)).status, 201);
    const conflict = await apply('tool-b', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ssa' },
      spec: { replicas: 3 },
    });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.reason, 'Conflict');
    assert.equal(
      conflict.json.message,
      'Apply failed with 1 conflict: conflict with "tool-a": .spec.replicas',
    );
    assert.deepEqual(conflict.json.details.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "tool-a"', field: '.spec.replicas' },
    ]);
    const forced = await apply(
      'tool-b',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa' }, spec: { replicas: 3 } },
      true,
    );
    assert.equal(forced.status, 200);
    assert.equal(forced.json.spec.replicas, 3);
    const managers = Object.fromEntries(forced.json.metadata.managedFields.map((m: any) => [m.manager, m]));
    assert.ok(managers['tool-b'].fieldsV1['f:spec']['f:replicas']);
    assert.equal(
      managers['tool-a'].fieldsV1['f:spec']['f:replicas'],
      undefined,
      'tool-a lost .spec.replicas',
    );
    assert.ok(
      managers['tool-a'].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}'][
        'f:image'
      ],
    );
    const patched = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/ssa?fieldManager=patcher`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'demo:9' }] } } } },
    });
    assert.equal(patched.status, 200);
    const again = await apply('tool-a', base);
    assert.equal(again.status, 409);
    assert.match(
      again.json.message,
      /^Apply failed with 2 conflicts: conflicts with "patcher" using apps\/v1\n- \.spec\.template\.spec\.containers\[name="app"\]\.image\nconflicts with "tool-b"\n- \.spec\.replicas$/,
    );
    const { labels: _dropped, ...metadataWithoutLabels } = base.metadata;
    const withoutLabel = {
      ...base,
      metadata: metadataWithoutLabels,
      spec: {
        ...base.spec,
        replicas: 3,
        template: { ...base.spec.template, spec: { containers: [{ name: 'app', image: 'demo:9' }] } },
      },
    };
    const dropped = await apply('tool-a', withoutLabel);
    assert.equal(dropped.status, 200, dropped.text);
    assert.equal(dropped.json.metadata.labels, undefined, 'a label tool-a no longer applies is removed');
    const noManager = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/ssa`, {
      contentType: 'application/apply-patch+yaml',
      body: base,
    });
    assert.equal(noManager.status, 400);
  });

  test('lists and watches with selectors, resourceVersion, bookmarks and timeouts', async () => {
    const list = await apiRequest(
      sandbox,
      'GET',
      `${CM}?labelSelector=${encodeURIComponent('team in (a,b),!legacy')}`,
    );
    assert.equal(list.json.kind, 'ConfigMapList');
    const rv = list.json.metadata.resourceVersion;
    const watch = openWatch(
      sandbox,
      `${CM}?watch=1&resourceVersion=${rv}&labelSelector=team%3Da&allowWatchBookmarks=true&timeoutSeconds=30`,
    );
    await apiRequest(sandbox, 'POST', CM, { body: configMap('w1', { labels: { team: 'a' } }) });
    await apiRequest(sandbox, 'POST', CM, { body: configMap('w2', { labels: { team: 'b' } }) });
    await apiRequest(sandbox, 'PATCH', `${CM}/w1`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { team: 'c' } } },
    });
    await apiRequest(sandbox, 'PATCH', `${CM}/w2`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { team: 'a' } } },
    });
    await apiRequest(sandbox, 'DELETE', `${CM}/w2`);
    await waitFor(
      'watch events and a bookmark',
      () =>
        watch.events.filter((e) => e.type !== 'BOOKMARK').length >= 4 &&
        watch.events.some((e) => e.type === 'BOOKMARK'),
    );
    watch.stop();
    const changes = watch.events
      .filter((e) => e.type !== 'BOOKMARK')
      .map((e) => `${e.type} ${e.object.metadata.name}`);
    assert.deepEqual(changes, ['ADDED w1', 'DELETED w1', 'ADDED w2', 'DELETED w2']);
    assert.equal(watch.events.find((e) => e.type === 'BOOKMARK').object.kind, 'ConfigMap');
    const replay = openWatch(sandbox, `${CM}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    await replay.ended;
    assert.deepEqual(
      replay.events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w1', 'ADDED w2', 'MODIFIED w1', 'MODIFIED w2', 'DELETED w2'],
      'replays history, then ends at timeoutSeconds',
    );
    const fields = await apiRequest(sandbox, 'GET', `${CM}?fieldSelector=metadata.name%3Dw1`);
    assert.deepEqual(
      fields.json.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['w1'],
    );
  });

  test('ownerReferences: background, foreground and orphan deletion', async () => {
    const owner = async (name: string) =>
      (await apiRequest(sandbox, 'POST', CM, { body: configMap(name) })).json;
    const dependent = async (name: string, o: any) =>
      apiRequest(sandbox, 'POST', CM, {
        body: configMap(name, {
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: o.metadata.name,
              uid: o.metadata.uid,
              blockOwnerDeletion: true,
            },
          ],
        }),
      });
    const exists = async (name: string) => (await apiRequest(sandbox, 'GET', `${CM}/${name}`)).status === 200;

    const bg = await owner('bg-owner');
    await dependent('bg-child', bg);
    const gone = await apiRequest(sandbox, 'DELETE', `${CM}/bg-owner`);
    assert.equal(gone.json.status, 'Success');
    await waitFor('background collection of bg-child', async () => !(await exists('bg-child')));

    const fg = await owner('fg-owner');
    await dependent('fg-child', fg);
    const deleting = await apiRequest(sandbox, 'DELETE', `${CM}/fg-owner`, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
    });
    assert.ok(deleting.json.metadata.deletionTimestamp, 'the owner lingers while dependents go');
    assert.deepEqual(deleting.json.metadata.finalizers, ['foregroundDeletion']);
    await waitFor(
      'foreground deletion of owner and child',
      async () => !(await exists('fg-child')) && !(await exists('fg-owner')),
    );

    const or = await owner('or-owner');
    await dependent('or-child', or);
    await apiRequest(sandbox, 'DELETE', `${CM}/or-owner?propagationPolicy=Orphan`);
    assert.equal(await exists('or-owner'), false);
    const child = await apiRequest(sandbox, 'GET', `${CM}/or-child`);
    assert.equal(child.status, 200);
    assert.equal(child.json.metadata.ownerReferences, undefined);
  });

  test('scale subresource, reviews, and dry run', async () => {
    await apiRequest(sandbox, 'POST', DEPLOY, { body: deployment('scaled') });
    const scale = await apiRequest(sandbox, 'GET', `${DEPLOY}/scaled/scale`);
    assert.equal(scale.json.kind, 'Scale');
    assert.equal(scale.json.status.selector, 'app=scaled');
    const patched = await apiRequest(sandbox, 'PATCH', `${DEPLOY}/scaled/scale`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 0 } },
    });
    assert.equal(patched.json.spec.replicas, 0);
    const review = await apiRequest(
      sandbox,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        token: sandbox.ciToken,
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              namespace: 'demo',
              verb: 'create',
              group: 'coordination.k8s.io',
              resource: 'leases',
            },
          },
        },
      },
    );
    assert.equal(review.status, 201);
    assert.equal(review.json.status.allowed, true);
    const rules = await apiRequest(sandbox, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      token: sandbox.ciToken,
      body: { spec: { namespace: 'kube-system' } },
    });
    assert.deepEqual(
      rules.json.status.resourceRules.map((r: { resources: string[] }) => r.resources),
      [['selfsubjectaccessreviews', 'selfsubjectrulesreviews']],
    );
    const dry = await apiRequest(sandbox, 'POST', `${CM}?dryRun=All`, { body: configMap('dry') });
    assert.equal(dry.status, 201);
    assert.equal((await apiRequest(sandbox, 'GET', `${CM}/dry`)).status, 404);
  });

  test('@kubernetes/client-node KubernetesObjectApi works with the scoped kubeconfig', async () => {
    const { KubeConfig, KubernetesObjectApi, PatchStrategy } = clientNode;
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfig);
    const client = KubernetesObjectApi.makeApiClient(kc);
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'web-canary-lock', namespace: 'demo' },
      spec: { holderIdentity: 'run-1', leaseDurationSeconds: 30 },
    };
    const created = (await client.create(lease)) as { metadata?: { uid?: string } };
    assert.equal(created.metadata?.uid?.length, 36);
    const patched = (await client.patch(
      { ...lease, spec: { holderIdentity: 'run-2' } },
      undefined,
      undefined,
      'canary-action',
      true,
      PatchStrategy.ServerSideApply,
    )) as { spec: { holderIdentity: string }; metadata?: { resourceVersion?: string } };
    assert.equal(patched.spec.holderIdentity, 'run-2');
    const read = await client.read({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'web-canary-lock', namespace: 'demo' },
    });
    assert.equal(read.metadata?.resourceVersion, patched.metadata?.resourceVersion);
    await assert.rejects(
      client.read({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x', namespace: 'kube-system' },
      }),
      /forbidden|403/i,
    );
  });

  test('fault injection: error rate and latency on chosen paths, dropped watches, restart on the same port', async () => {
    const remove = sandbox.faults.add({ path: '/configmaps', errorRate: 1, status: 503, methods: ['GET'] });
    const failed = await apiRequest(sandbox, 'GET', CM);
    assert.equal(failed.status, 503);
    assert.equal(failed.json.reason, 'ServiceUnavailable');
    assert.equal((await apiRequest(sandbox, 'GET', DEPLOY)).status, 200, 'other paths are untouched');
    remove();
    assert.equal((await apiRequest(sandbox, 'GET', CM)).status, 200);
    const slow = sandbox.faults.add({ path: /\/configmaps\/dup$/, latencyMs: 300 });
    const started = process.hrtime.bigint();
    await apiRequest(sandbox, 'GET', `${CM}/dup`);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 >= 300, 'the injected latency is added');
    slow();
    const watch = openWatch(sandbox, `${CM}?watch=1`);
    await waitFor('the watch to open', () => watch.events.length > 0);
    assert.ok(sandbox.faults.dropWatches() >= 1);
    await watch.ended;
    const port = sandbox.port;
    await sandbox.restartApiServer();
    const after = await apiRequest(sandbox, 'GET', `${CM}/dup`);
    assert.equal(after.status, 200, 'state survives a restart on the same port');
    assert.equal(sandbox.port, port);
  });
});

describe('sandbox RBAC rule sets', { skip: kubectlMissing }, () => {
  test('a rule set without delete on deployments answers no to kubectl auth can-i', async () => {
    const rules = canaryRules('demo').map((r) =>
      r.resources.includes('deployments') ? { ...r, verbs: r.verbs.filter((v) => v !== 'delete') } : r,
    );
    const sandbox = await startSandbox({ ciRules: rules });
    try {
      const can = await kubectl(sandbox.kubeconfig, ['auth', 'can-i', 'delete', 'deployments']);
      assert.equal(can.stdout.trim(), 'no');
      const denied = await apiRequest(sandbox, 'DELETE', `${DEPLOY}/any`, { token: sandbox.ciToken });
      assert.equal(denied.status, 403);
      assert.equal(
        denied.json.message,
        'deployments.apps "any" is forbidden: User "system:serviceaccount:demo:ci" cannot delete resource "deployments" in API group "apps" in the namespace "demo"',
      );
    } finally {
      await sandbox.stop();
    }
  });
});
