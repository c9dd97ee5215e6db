import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promoteLive, rollbackLive } from '../../../src/pipeline/manage.ts';
import { runPipeline } from '../../../src/pipeline/run-pipeline.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { LeaseLostError } from '../../../src/kube/errors.ts';
import { ConfigError, exitCodeOf, PermissionError, RolloutError } from '../../../src/util/errors.ts';
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

  test('a metrics backend that does not answer as one stops the release before any write or lock', async () => {
    const t = await setup();
    let checked = 0;
    t.deps.checkAnalysis = async () => {
      checked += 1;
      throw new ConfigError(
        'analysis.provider.url',
        'http://grafana answered with text/html; expected Prometheus',
      );
    };
    await assert.rejects(runPipeline(t.request, t.deps), (e: unknown) => exitCodeOf(e) === 2);
    assert.equal(checked, 1);
    assert.deepEqual(t.cluster.writes, []);
    assert.equal(t.cluster.lockHeld, false);
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

  test('a lost Lease stops the run at once: exit 4 "lease lost", no rollback, the report names what is left', async () => {
    const t = await setup();
    let report: { outcome: string; exitCode: number; reason: string } | undefined;
    t.deps.analyse = async ({ signal }) => {
      t.cluster.loseLock(
        new LeaseLostError('web-canary-lock', 'B/host/2', 'lease web-canary-lock is now held by "B/host/2"'),
      );
      assert.ok(signal.aborted, 'the flow is aborted');
      throw signal.reason;
    };
    const writesBefore = () => t.cluster.writes.filter((w) => !w.startsWith('lock'));
    await assert.rejects(
      runPipeline(t.request, { ...t.deps, onReport: (r) => (report = r) }),
      (error: unknown) => {
        assert.ok(error instanceof LeaseLostError);
        assert.equal(exitCodeOf(error), 4);
        assert.match(
          error.message,
          /^lease lost: lease web-canary-lock is now held by "B\/host\/2"\. This run stopped/,
        );
        return true;
      },
    );
    assert.ok(!t.cluster.writes.some((w) => w.startsWith('delete')), t.cluster.writes.join(', '));
    assert.ok(!t.cluster.writes.includes('unlock web-canary-lock'), 'the Lease is not ours to delete');
    assert.equal(writesBefore().at(-1), 'apply Deployment/web-baseline', 'nothing written after the loss');
    const owned = t.cluster.owned();
    assert.deepEqual(owned.slice(1), ['Deployment/web-baseline', 'Deployment/web-canary']);
    assert.match(owned[0] ?? '', /^ConfigMap\/web-config-canary-/);
    assert.equal(t.stableImage(), 'localhost:5000/team/web:1.0.0');
    assert.equal(report?.outcome, 'lease-lost');
    assert.equal(report?.exitCode, 4);
    for (const name of ['web-canary', 'web-baseline', 'web-canary-lock', owned[0]!.split('/')[1]!])
      assert.ok(report?.reason.includes(name), `the report names ${name}: ${report?.reason}`);
  });

  test("a run rolling back its own release leaves an object carrying another run's id alone", async () => {
    const t = await setup({ verdicts: ['fail'] });
    const analyse = t.deps.analyse;
    t.deps.analyse = async (step) => {
      const canary = t.cluster.objects.get('Deployment/web-canary')!;
      canary.metadata.annotations = { ...canary.metadata.annotations, 'canary-action.dev/run-id': 'other' };
      return analyse(step);
    };
    const { exitCode } = await runPipeline(t.request, t.deps);
    assert.equal(exitCode, 1);
    assert.ok(!t.cluster.writes.includes('delete Deployment/web-canary'), t.cluster.writes.join(', '));
    assert.ok(t.cluster.writes.includes('delete Deployment/web-baseline'));
    assert.ok(t.lines.some((l) => /left Deployment web-canary alone: it belongs to run other/.test(l)));
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
