import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/config/load.ts';
import { rollbackLive } from '../../../src/pipeline/manage.ts';
import { promotingCanary } from '../../../src/pipeline/promotion-state.ts';
import { promotionFromCluster } from '../../../src/pipeline/promote.ts';
import { runPipeline } from '../../../src/pipeline/run-pipeline.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import type { Clock } from '../../../src/util/clock.ts';
import { ConfigError, exitCodeOf } from '../../../src/util/errors.ts';
import type { ReleaseReport } from '../../../src/pipeline/release-report.ts';
import { deployment, NEW_IMAGE, RUN } from './fixtures.ts';
import { analysisWith, quietPlatform, setup } from './release-setup.ts';

const OLD_IMAGE = 'localhost:5000/team/web:1.0.0';

/** A release config with a one-minute rollback deadline. */
const withDeadline = () =>
  parseConfig(
    `apiVersion: canary-action/v1
workload: web
namespace: demo
rollbackDeadline: 1m
traffic: {steps: [10]}
analysis:
  provider: {type: prometheus, url: http://127.0.0.1:9}
  metrics: [{template: http-error-rate}]
`,
    {},
  );

/** Virtual time: a sleep moves the clock on at once and may call `onSleep` (the API coming back). */
function virtualClock(onSleep: (slept: number) => void = () => undefined): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      slept.push(ms);
      onSleep(slept.length);
    },
  };
}

/** A run that throws: its report (as the edge gets it) and the error's message. */
async function failedRun(t: Awaited<ReturnType<typeof setup>>) {
  let report: ReleaseReport | undefined;
  t.deps.onReport = (made) => void (report = made);
  const error = await runPipeline(t.request, t.deps).then(
    () => assert.fail('the run should have thrown'),
    (e: Error) => e,
  );
  assert.ok(report);
  assert.equal(report.reason, error.message);
  return { exitCode: exitCodeOf(error), report };
}

describe('truthful outcomes', () => {
  test('a rollback retries while the API is down and finishes when it is back: exit 1, nothing left', async () => {
    const t = await setup({ request: { config: withDeadline() } });
    const clock = virtualClock((sleeps) => {
      if (sleeps === 3) t.cluster.down = false;
    });
    t.deps.clock = clock;
    t.deps.analyse = async (step) => {
      const run = await analysisWith(['fail'])(step);
      t.cluster.down = true;
      return run;
    };
    const result = await runPipeline(t.request, t.deps);
    assert.equal(result.exitCode, 1);
    assert.equal(result.report.outcome, 'rolled-back');
    assert.deepEqual(t.cluster.owned(), []);
    assert.equal(clock.slept.length, 3);
    assert.ok(t.lines.some((l) => /rollback attempt 1 failed .*ECONNREFUSED.*retrying/.test(l)));
  });

  test('past the rollback deadline: rollback-incomplete, exit 4, what is left and the cleanup command', async () => {
    const t = await setup({ request: { config: withDeadline() } });
    const clock = virtualClock();
    t.deps.clock = clock;
    t.deps.analyse = async (step) => {
      const run = await analysisWith(['fail'])(step);
      t.cluster.down = true;
      return run;
    };
    const result = await failedRun(t);
    assert.equal(result.exitCode, 4);
    assert.equal(result.report.outcome, 'rollback-incomplete');
    const clone = t.cluster
      .owned()
      .find((o) => o.startsWith('ConfigMap/'))!
      .replace('/', ' ');
    assert.deepEqual(result.report.left, [
      'Deployment web-canary',
      'Deployment web-baseline',
      clone,
      'Lease web-canary-lock',
    ]);
    assert.match(
      result.report.reason,
      /deployment\/web is as it was before the run.*finish it with: canary-action cleanup --namespace demo --workload deployment\/web --run-id run-1 --all/,
    );
    assert.equal(
      clock.slept.reduce((a, b) => a + b, 0),
      60_000,
    );
    t.cluster.down = false;
    assert.equal(t.cluster.owned().length, 3);
  });

  test('the API lost after the stable rolled out: rollback-incomplete naming the new image and promote to finish', async () => {
    const t = await setup({ request: { config: withDeadline() } });
    t.deps.clock = virtualClock();
    t.cluster.afterRollout = (name) => {
      if (name === 'web') t.cluster.down = true;
    };
    const result = await failedRun(t);
    assert.equal(result.exitCode, 4);
    assert.equal(result.report.outcome, 'rollback-incomplete');
    assert.match(result.report.reason, new RegExp(`deployment/web runs ${NEW_IMAGE}`));
    assert.match(
      result.report.reason,
      /finish it with: canary-action promote --namespace demo --workload deployment\/web/,
    );
    t.cluster.down = false;
    assert.equal(t.stableImage(), NEW_IMAGE);
  });

  test('a report that cannot be written after the promotion is a warning: exit 0, promoted', async () => {
    const t = await setup({ request: { reportFile: '/nonexistent-dir/report.json' } });
    const result = await runPipeline(t.request, t.deps);
    assert.equal(result.exitCode, 0);
    assert.equal(result.report.outcome, 'promoted');
    assert.equal(t.stableImage(), NEW_IMAGE);
    assert.ok(
      t.lines.some((l) => /could not write the report \/nonexistent-dir\/report.json: ENOENT/.test(l)),
    );
    assert.ok(!t.lines.some((l) => /rolling back/.test(l)));
  });
});

describe('ownership', () => {
  const handMade = () => {
    const made = deployment({ image: OLD_IMAGE, labels: { app: 'legacy-canary' } });
    made.metadata = {
      name: 'web-canary',
      namespace: 'demo',
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { 'meta.helm.sh/release-name': 'team-x-web' },
    };
    return made;
  };

  for (const dryRun of [false, true]) {
    test(`a web-canary that is not ours is refused before any change${dryRun ? ' (--dry-run too)' : ''}`, async () => {
      const t = await setup({ request: { dryRun } });
      t.cluster.seed(handMade());
      await assert.rejects(
        runPipeline(t.request, t.deps),
        (e: unknown) =>
          e instanceof ConfigError &&
          /deployment\/web-canary \(managed by Helm, Helm release team-x-web\) already exists.*not canary-action's/.test(
            e.message,
          ),
      );
      assert.deepEqual(t.cluster.writes, []);
    });
  }
});

describe('a killed promotion', () => {
  /** A held canary, then what promote() does up to the stable's apply, then nothing (SIGKILL). */
  async function killedPromotion() {
    const t = await setup({ request: { hold: true } });
    await runPipeline(t.request, t.deps);
    const canary = t.cluster.objects.get('Deployment/web-canary')!;
    const stable = t.cluster.objects.get('Deployment/web')!;
    const config = t.cluster.objects.get('ConfigMap/web-config')!;
    const promotion = promotionFromCluster(canary, await t.cluster.list('v1', 'ConfigMap'));
    await t.cluster.apply(promotingCanary(canary, stable, [config]));
    for (const object of [...promotion.configs, promotion.deployment]) await t.cluster.apply(object);
    return t;
  }

  test('rollback restores the stable and its ConfigMap as they were, then removes the rest', async () => {
    const t = await killedPromotion();
    assert.equal(t.stableImage(), NEW_IMAGE);
    const lines: string[] = [];
    const result = await rollbackLive({
      cluster: t.cluster,
      platform: quietPlatform(lines),
      router: replicasRouter,
      workload: 'web',
      requiredAccess: [],
      lockHolder: 'cmd',
      lockWaitMs: 0,
      readyTimeoutMs: 1000,
      rollbackDeadlineMs: 0,
      signal: new AbortController().signal,
    });
    assert.equal(result, 'rolled-back');
    assert.equal(t.stableImage(), OLD_IMAGE);
    assert.deepEqual(t.cluster.objects.get('ConfigMap/web-config')?.data, { A: 'old' });
    assert.deepEqual(t.cluster.owned(), []);
    assert.ok(lines.some((l) => /interrupted promotion undone/.test(l)));
  });

  test('a new run refuses to start over a canary left promoting (exit 2 naming promote and rollback)', async () => {
    const t = await killedPromotion();
    const next = { ...t.request, hold: false, run: { ...RUN, runId: 'run-2', revision: 'def456' } };
    await assert.rejects(
      runPipeline(next, t.deps),
      /stopped while promoting.*canary-action promote.*canary-action rollback/,
    );
    assert.equal(t.stableImage(), NEW_IMAGE);
  });
});
