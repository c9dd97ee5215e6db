/**
 * The pipeline's notifications in-process, over the fake cluster and local HTTP receivers: when each event
 * goes out relative to the cluster's changes, the NotifyState kept on the canary, and a cancelled job whose
 * rollback is not held up by a step message that never gets an answer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import type { AnalysisRun } from '../../../src/analysis/run.ts';
import type { Decision } from '../../../src/analysis/types.ts';
import { parseConfig } from '../../../src/config/load.ts';
import type { ReleaseRequest } from '../../../src/pipeline/context.ts';
import { runPipeline } from '../../../src/pipeline/run-pipeline.ts';
import type { Platform } from '../../../src/platform/types.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import { systemClock } from '../../../src/util/clock.ts';
import { answer, startReceiver, type Answer } from '../../integration/notify/receiver.ts';
import { FakeCluster } from './fake-cluster.ts';
import { deployment, NEW_IMAGE, RUN } from './fixtures.ts';

const ALL_EVENTS = '[started, step, failed, rolled-back, promoted, held, inconclusive]';

async function setup(hookAnswer: Answer, verdicts: Array<Decision['verdict']>) {
  const hook = await startReceiver(hookAnswer);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'notify-pipeline-'));
  const manifests = path.join(dir, 'web.yaml');
  await writeFile(manifests, dump(deployment({ image: NEW_IMAGE })));
  const cluster = new FakeCluster();
  cluster.seed(deployment({ image: 'localhost:5000/team/web:1.0.0' }));
  const config = parseConfig(
    `apiVersion: canary-action/v1
workload: web
namespace: demo
traffic: {steps: [10, 50]}
notifyDeadline: 30s
notify:
  - {type: webhook, url: "\${HOOK_URL}", events: ${ALL_EVENTS}, retries: 0}
analysis:
  provider: {type: prometheus, url: http://127.0.0.1:9}
  metrics: [{template: http-error-rate}]
`,
    { HOOK_URL: `${hook.url}/hook` },
  );
  const lines: string[] = [];
  const say = (message: string) => void lines.push(message);
  const platform: Platform = {
    name: 'local',
    addSecret() {},
    info: say,
    warning: (message) => say(`warning: ${message}`),
    error: say,
    group: (_title, fn) => fn(),
    setOutput() {},
    redact: (text) => text,
  };
  const abort = new AbortController();
  const request: ReleaseRequest = {
    config,
    workload: 'web',
    namespace: 'demo',
    image: NEW_IMAGE,
    manifestPaths: [manifests],
    run: RUN,
    dryRun: false,
    hold: false,
    deployOnly: false,
    lockHolder: 'test',
  };
  const deps = {
    cluster,
    platform,
    clock: systemClock,
    signal: abort.signal,
    requiredAccess: [],
    router: replicasRouter,
    analyse: async () => {
      const verdict = verdicts.shift() ?? 'pass';
      const now = new Date();
      return {
        decision: { verdict, reason: `${verdict} by the fake judge`, metrics: [], guards: [] },
        polls: [],
        queries: {},
        startedAt: now,
        decidedAt: now,
      } as unknown as AnalysisRun;
    },
  };
  const events = () => hook.received.map((r) => (JSON.parse(r.body.toString()) as { event: string }).event);
  return { hook, cluster, request, deps, lines, abort, events };
}

describe('the pipeline sends notifications', () => {
  test('started, a step per passed step, promoted; the canary keeps the NotifyState; the report lists each delivery', async () => {
    const seen: Array<string | undefined> = [];
    const box: { t?: Awaited<ReturnType<typeof setup>> } = {};
    const record: Answer = (_request, response) => {
      const canary = box.t?.cluster.objects.get('Deployment/web-canary');
      seen.push(canary?.metadata.annotations?.['canary-action.dev/notify-state']);
      response.writeHead(204).end();
    };
    const t = (box.t = await setup(record, ['pass', 'pass']));
    try {
      const result = await runPipeline(t.request, t.deps);
      assert.equal(result.exitCode, 0);
      assert.deepEqual(t.events(), ['started', 'step', 'step', 'promoted']);
      // No canary before started; while the steps ran it carried the state; promotion removed it.
      assert.deepEqual(seen, [undefined, '{"grafana":{}}', '{"grafana":{}}', undefined]);
      assert.deepEqual(
        result.report.notifications?.map((n) => [n.event, n.ok]),
        [
          ['started', true],
          ['step', true],
          ['step', true],
          ['promoted', true],
        ],
      );
    } finally {
      await t.hook.close();
    }
  });

  test('a failing receiver is a warning: same outcome and exit code, the report says why', async () => {
    const t = await setup(answer.status(400, 'no such hook'), ['fail']);
    try {
      const result = await runPipeline(t.request, t.deps);
      assert.equal(result.exitCode, 1);
      assert.equal(result.report.outcome, 'rolled-back');
      assert.deepEqual(t.events(), ['started', 'failed']);
      const failed = result.report.notifications?.find((n) => n.event === 'failed');
      assert.equal(failed?.ok, false);
      assert.match(failed?.warning ?? '', /HTTP 400: no such hook \(not retried\)/);
      assert.ok(t.lines.some((line) => /^warning: notify\[0\] webhook: "failed" not delivered/.test(line)));
    } finally {
      await t.hook.close();
    }
  });

  test('cancelled while a step message hangs: the rollback goes ahead, then rolled-back is sent', async () => {
    const box: { t?: Awaited<ReturnType<typeof setup>> } = {};
    const hang: Answer = (request, response) => {
      const { event } = JSON.parse(request.body.toString()) as { event: string };
      if (event === 'step') return box.t?.abort.abort(new Error('interrupted by SIGTERM'));
      response.writeHead(204).end();
    };
    const t = (box.t = await setup(hang, ['pass', 'pass']));
    try {
      await assert.rejects(runPipeline(t.request, t.deps));
      assert.deepEqual(t.cluster.owned(), []);
      assert.deepEqual(t.events(), ['started', 'step', 'rolled-back']);
      // The step's delivery was left behind (it would have been cut off only at the 30 s deadline).
      const reported = t.lines.filter((line) => /notify\[0\]/.test(line));
      assert.deepEqual(reported, [
        'notify[0] webhook: sent "started"',
        'notify[0] webhook: sent "rolled-back"',
      ]);
    } finally {
      await t.hook.close();
    }
  });
});
