import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promoteLive, rollbackLive } from '../../../src/pipeline/manage.ts';
import { runPipeline } from '../../../src/pipeline/run-pipeline.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import { PermissionError, RolloutError } from '../../../src/util/errors.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { configMap, deployment, NEW_IMAGE, RUN } from './fixtures.ts';
import { analysisWith, quietPlatform, setup } from './release-setup.ts';

describe('runPipeline', () => {
  test('every step passes: the stable gets the image and the changed ConfigMap; nothing of the run remains', async () => {
    const t = await setup();
    const result = await runPipeline(t.request, t.deps);
    assert.equal(result.exitCode, 0);
    assert.equal(result.report.outcome, 'promoted');
    assert.deepEqual(t.seenWeights, [10, 50]);
    assert.equal(t.stableImage(), NEW_IMAGE);
    assert.deepEqual(t.cluster.objects.get('ConfigMap/web-config')?.data, { A: 'new' });
    assert.deepEqual(t.cluster.owned(), []);
    assert.equal(t.cluster.lockHeld, false);
    const stableAt = t.cluster.writes.indexOf('apply Deployment/web');
    assert.ok(stableAt > t.cluster.writes.indexOf('apply Deployment/web-canary'));
    assert.ok(t.cluster.writes.indexOf('delete Deployment/web-canary') > stableAt);
  });

  test('a failing step rolls back with exit 1; the stable and its ConfigMap are untouched', async () => {
    const t = await setup({ verdicts: ['fail'] });
    const result = await runPipeline(t.request, t.deps);
    assert.equal(result.exitCode, 1);
    assert.equal(result.report.outcome, 'rolled-back');
    assert.deepEqual(t.seenWeights, [10]);
    assert.equal(t.stableImage(), 'localhost:5000/team/web:1.0.0');
    assert.deepEqual(t.cluster.objects.get('ConfigMap/web-config')?.data, { A: 'old' });
    assert.deepEqual(t.cluster.owned(), []);
    assert.ok(!t.cluster.writes.includes('apply Deployment/web'));
  });

  test('inconclusive: exit 3 and rolled back under fail; held and left live under hold', async () => {
    const failing = await setup({ verdicts: ['inconclusive'] });
    assert.equal((await runPipeline(failing.request, failing.deps)).exitCode, 3);
    assert.deepEqual(failing.cluster.owned(), []);
    const holding = await setup({ verdicts: ['inconclusive'], analysisExtra: '  onInconclusive: hold' });
    const held = await runPipeline(holding.request, holding.deps);
    assert.equal(held.exitCode, 0);
    assert.equal(held.report.outcome, 'held');
    assert.equal(
      holding.cluster.objects.get('Deployment/web-canary')?.metadata.annotations?.['canary-action.dev/phase'],
      'held',
    );
    assert.equal(holding.cluster.lockHeld, false);
  });

  test('a canary that does not roll out is rolled back and the RolloutError propagates', async () => {
    const t = await setup();
    t.cluster.failingRollouts.add('web-canary');
    await assert.rejects(runPipeline(t.request, t.deps), RolloutError);
    assert.deepEqual(t.cluster.owned(), []);
    assert.equal(t.stableImage(), 'localhost:5000/team/web:1.0.0');
    assert.equal(t.cluster.lockHeld, false);
  });

  test('a missing permission stops before any write or lock', async () => {
    const t = await setup();
    t.cluster.denied = [{ verb: 'delete', resource: 'deployments' }];
    await assert.rejects(
      runPipeline(t.request, t.deps),
      (e: unknown) =>
        e instanceof PermissionError &&
        /cannot delete deployments.apps in namespace "demo"/.test((e as Error).message),
    );
    assert.deepEqual(t.cluster.writes, []);
  });

  test('an interrupt during analysis rolls back, then rethrows', async () => {
    const t = await setup();
    t.deps.analyse = async ({ signal }) => {
      t.abort.abort(new Error('interrupted by SIGTERM'));
      throw signal.reason;
    };
    await assert.rejects(runPipeline(t.request, t.deps), /interrupted by SIGTERM/);
    assert.deepEqual(t.cluster.owned(), []);
    assert.equal(t.stableImage(), 'localhost:5000/team/web:1.0.0');
  });

  test('--dry-run touches nothing; --hold leaves a passing canary; a new revision rolls back the older canary first', async () => {
    const dry = await setup({ request: { dryRun: true } });
    assert.equal((await runPipeline(dry.request, dry.deps)).report.outcome, 'planned');
    assert.deepEqual(dry.cluster.writes, []);

    const t = await setup({ request: { hold: true } });
    assert.equal((await runPipeline(t.request, t.deps)).report.outcome, 'held');
    assert.equal(t.cluster.owned().length, 3);
    t.cluster.writes.length = 0;
    const next = { ...t.request, hold: false, run: { ...RUN, revision: 'def456', runId: 'run-2' } };
    assert.equal((await runPipeline(next, { ...t.deps, analyse: analysisWith(['fail']) })).exitCode, 1);
    assert.equal(
      t.cluster.writes.indexOf('delete Deployment/web-canary') <
        t.cluster.writes.indexOf('apply Deployment/web-canary'),
      true,
    );
  });

  test('--dry-run prints a Secret of the manifests with its values <redacted>, its keys kept', async () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-creds' },
      data: { DB: Buffer.from('db-password-1').toString('base64') },
      stringData: { TOKEN: 'api-token-2' },
    };
    const dry = await setup({
      request: { dryRun: true },
      manifests: [
        deployment({ image: 'localhost:5000/team/web:x', configMap: 'web-config', secret: 'web-creds' }),
        configMap('web-config', { A: 'new' }),
        secret,
      ],
    });
    await runPipeline(dry.request, dry.deps);
    const printed = dry.lines.join('\n');
    assert.match(printed, /^kind: Secret$/m);
    assert.match(printed, /^ {2}DB: <redacted>$/m);
    assert.match(printed, /^ {2}TOKEN: <redacted>$/m);
    for (const value of ['db-password-1', 'api-token-2', Buffer.from('db-password-1').toString('base64')])
      assert.ok(!printed.includes(value), value);
  });

  test('promote and rollback commands act on a held canary and are idempotent', async () => {
    const t = await setup({ request: { hold: true } });
    await runPipeline(t.request, t.deps);
    const manage = {
      cluster: t.cluster,
      platform: quietPlatform(),
      router: replicasRouter,
      workload: 'web',
      requiredAccess: [],
      lockHolder: 'cmd',
      lockWaitMs: 0,
      readyTimeoutMs: 1000,
      rollbackDeadlineMs: 0,
      signal: new AbortController().signal,
    };
    assert.equal(await promoteLive(manage), NEW_IMAGE);
    assert.equal(t.stableImage(), NEW_IMAGE);
    assert.deepEqual(t.cluster.objects.get('ConfigMap/web-config')?.data, { A: 'new' });
    assert.deepEqual(t.cluster.owned(), []);
    assert.equal(await rollbackLive(manage), 'nothing');
    await assert.rejects(promoteLive(manage), /no live canary/);
  });
});
