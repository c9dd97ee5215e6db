/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed JSON */
/**
 * Notifications from real releases: the CLI as a process against the sandbox with a real Prometheus, and
 * local HTTP receivers recording every request — a signed webhook, a Grafana annotations stand-in, a receiver
 * that answers 500 then 200, one that answers 400 (echoing the request), and one that never answers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { verifySignature } from '../../src/notify/webhook.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { answer, startGrafana, startReceiver, type Receiver } from '../integration/notify/receiver.ts';
import { startE2eEnvironment, writeConfig, writeManifests, type E2eEnvironment } from './environment.ts';

const HOOK_PATH_SECRET = 'hookpath-5ecret-4f9c2a7e81';
const HMAC_SECRET = 'hmac-5ecret-0b3d9e';
const GRAFANA_TOKEN = 'glsa_grafana-5ecret-77aa';
const BAD_PATH_SECRET = 'badpath-5ecret-19e0c4';
const SECRETS = [HOOK_PATH_SECRET, HMAC_SECRET, GRAFANA_TOKEN, BAD_PATH_SECRET];

interface Receivers {
  webhook: Receiver;
  grafana: Awaited<ReturnType<typeof startGrafana>>;
  flaky: Receiver;
  bad: Receiver;
  hang: Receiver;
}

const NOTIFY = `notifyDeadline: 4s
notify:
  - {type: webhook, name: hook, url: "\${HOOK_URL}", secret: "\${HOOK_SECRET}", events: [started, step, failed, rolled-back, promoted, held, inconclusive]}
  - {type: grafana, url: "\${GRAFANA_URL}", token: "\${GRAFANA_TOKEN}", tags: [shop]}
  - {type: webhook, name: flaky, url: "\${FLAKY_URL}", events: [started]}
  - {type: webhook, name: bad, url: "\${BAD_URL}", events: [started, promoted, failed]}
  - {type: webhook, name: hang, url: "\${HANG_URL}", timeout: 1s, retries: 0, events: [promoted, failed]}
`;

describe('notifications from a release (sandbox + Prometheus, CLI process)', () => {
  let env: E2eEnvironment;
  let r: Receivers;
  const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;

  before(async () => {
    env = await startE2eEnvironment({ trafficPerSecond: 160 });
  });
  after(async () => {
    await env?.stop();
  });

  const startReceivers = async (): Promise<Receivers> => ({
    webhook: await startReceiver(answer.status(204)),
    grafana: await startGrafana(GRAFANA_TOKEN),
    flaky: await startReceiver([answer.status(500, 'try again'), answer.status(200, 'ok')]),
    // A receiver that echoes the request (its URL holds a secret) in its error: redacted all the same.
    bad: await startReceiver((request, response) =>
      response.writeHead(400, { 'Content-Type': 'text/plain' }).end(`bad request to ${request.path}`),
    ),
    hang: await startReceiver(answer.hang),
  });
  const closeReceivers = async () => {
    for (const receiver of Object.values(r ?? {})) await receiver.close();
  };

  const cliEnv = (files: Record<string, string>) => ({
    HOOK_URL: `${r.webhook.url}/hooks/${HOOK_PATH_SECRET}`,
    HOOK_SECRET: HMAC_SECRET,
    GRAFANA_URL: r.grafana.url,
    GRAFANA_TOKEN,
    FLAKY_URL: `${r.flaky.url}/flaky`,
    BAD_URL: `${r.bad.url}/bad/${BAD_PATH_SECRET}`,
    HANG_URL: `${r.hang.url}/hang`,
    ...files,
  });
  const cli = (args: string[], files: Record<string, string> = {}): Promise<CliResult> =>
    runCli([...args, '--kubeconfig', env.kubeconfig], { env: cliEnv(files) });
  const show = (result: CliResult) => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;

  /** The webhook's events in order, each body's signature checked over the raw bytes. */
  const hookEvents = () =>
    r.webhook.received.map((request) => {
      assert.equal(request.path, `/hooks/${HOOK_PATH_SECRET}`);
      assert.ok(
        verifySignature(HMAC_SECRET, request.body, request.headers['x-canary-signature'] as string),
        'X-Canary-Signature verifies with the secret',
      );
      return JSON.parse(request.body.toString('utf8'));
    });

  /** The run's outputs on disk: JSON report, markdown, HTML, dotenv. */
  const artifacts = (name: string) => ({
    report: path.join(env.dir, `${name}-report.json`),
    CANARY_MARKDOWN_REPORT: path.join(env.dir, `${name}-report.md`),
    CANARY_HTML_REPORT: path.join(env.dir, `${name}-report.html`),
    CANARY_DOTENV: path.join(env.dir, `${name}.env`),
  });
  const assertNoSecret = async (texts: string[], files: string[]) => {
    const all = [...texts, ...(await Promise.all(files.map((file) => readFile(file, 'utf8'))))];
    for (const secret of SECRETS) {
      all.forEach((text, i) => assert.ok(!text.includes(secret), `secret ${secret} in output ${i}`));
    }
  };

  test('a good release: started, step, promoted; Grafana region created then closed; faults are warnings only', async () => {
    r = await startReceivers();
    try {
      const image = env.image('2.0.0');
      const manifests = await writeManifests(env, 'notify-good', { image });
      const config = await writeConfig(env, 'notify-good', { topLevel: NOTIFY });
      const result = await cli([
        'run',
        '--config',
        config,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        'ngood1',
      ]);
      assert.equal(result.code, 0, show(result));
      const events = hookEvents();
      assert.deepEqual(
        events.map((event) => event.event),
        ['started', 'step', 'promoted'],
      );
      const [started, step, promoted] = events;
      assert.equal(started.revision, 'ngood1');
      assert.equal(started.workload, 'web');
      assert.equal(step.step.number, 1);
      assert.equal(promoted.verdict, 'pass');
      assert.ok(promoted.metrics.length >= 2, 'the per-metric results are in the decision');
      assert.equal(promoted.startedAt, started.startedAt);

      // Grafana: one region, POSTed at start and PATCHed with its end and the decision.
      assert.deepEqual(
        r.grafana.received.map((request) => request.method),
        ['POST', 'PATCH'],
      );
      const [region] = [...r.grafana.annotations.values()];
      assert.equal(r.grafana.annotations.size, 1);
      assert.equal(region!.time, Date.parse(started.startedAt));
      assert.ok(region!.timeEnd > region!.time, 'the region ends after it starts');
      for (const tag of ['canary-action', 'web', 'ngood1', 'promoted', 'shop']) {
        assert.ok(region!.tags.includes(tag), `tag ${tag} in ${region!.tags.join(',')}`);
      }

      // 500 then 200: retried and delivered.
      assert.equal(r.flaky.received.length, 2);
      const output = result.stdout + result.stderr;
      assert.match(output, /notify\[3\] webhook "bad": "started" not delivered: HTTP 400/);
      assert.match(output, /notify\[4\] webhook "hang": "promoted" not delivered: timed out/);
      assert.equal(r.hang.received.length, 1);
      // The stable runs the new image: the failed notifications changed nothing.
      const stable = await env.get(`${deployments()}/web`);
      assert.equal(stable.spec.template.spec.containers[0].image, image);
    } finally {
      await closeReceivers();
    }
  });

  test('the report lists every delivery; no secret in the log, the report, markdown, HTML or dotenv', async () => {
    r = await startReceivers();
    try {
      const image = env.image('7.0.0');
      const manifests = await writeManifests(env, 'notify-report', { image });
      const config = await writeConfig(env, 'notify-report', { topLevel: NOTIFY });
      const { report, ...files } = artifacts('notify-report');
      const result = await cli(
        [
          'run',
          '--config',
          config,
          '--manifests',
          manifests,
          '--image',
          image,
          '--revision',
          'nrep1',
          '--report',
          report,
        ],
        files,
      );
      assert.equal(result.code, 0, show(result));
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.equal(json.outcome, 'promoted');
      assert.equal(json.exitCode, 0);
      const byTarget = (label: string, event: string) =>
        json.notifications.find((n: any) => n.target === label && n.event === event);
      assert.equal(byTarget('notify[0] webhook "hook"', 'promoted').ok, true);
      assert.equal(byTarget('notify[1] grafana', 'started').ok, true);
      assert.deepEqual(
        {
          ok: byTarget('notify[2] webhook "flaky"', 'started').ok,
          attempts: byTarget('notify[2] webhook "flaky"', 'started').attempts,
        },
        { ok: true, attempts: 2 },
      );
      assert.match(byTarget('notify[3] webhook "bad"', 'promoted').warning, /HTTP 400.*\(not retried\)/);
      assert.equal(byTarget('notify[4] webhook "hang"', 'promoted').ok, false);
      assert.match(
        await readFile(files.CANARY_MARKDOWN_REPORT, 'utf8'),
        /\| Notification \| Event \| Result \|/,
      );
      assert.match(await readFile(files.CANARY_HTML_REPORT, 'utf8'), /<h2>Notifications<\/h2>/);
      // The bad receiver echoed its URL (with a secret in it) back: scrubbed everywhere.
      assert.ok(r.bad.received.length >= 1);
      await assertNoSecret([result.stdout, result.stderr], [report, ...Object.values(files)]);
    } finally {
      await closeReceivers();
    }
  });

  test('a bad release: started, then failed after the rollback; exit 1 as without notify', async () => {
    r = await startReceivers();
    try {
      const image = env.image('3.0.0');
      const manifests = await writeManifests(env, 'notify-bad', { image, env: { DEMO_ERROR_RATE: '0.3' } });
      const config = await writeConfig(env, 'notify-bad', { topLevel: NOTIFY });
      const { report, ...files } = artifacts('notify-bad');
      const result = await cli(
        [
          'run',
          '--config',
          config,
          '--manifests',
          manifests,
          '--image',
          image,
          '--revision',
          'nbad1',
          '--report',
          report,
        ],
        files,
      );
      assert.equal(result.code, 1, show(result));
      const events = hookEvents();
      assert.deepEqual(
        events.map((event) => event.event),
        ['started', 'failed'],
      );
      assert.equal(events[1].verdict, 'fail');
      assert.equal(events[1].phase, 'rolled-back');
      // The failed message went out after the rollback: the log says so in this order.
      const output = result.stdout;
      assert.ok(
        output.indexOf('deleted Deployment web-canary') <
          output.indexOf('notify[0] webhook "hook": sent "failed"'),
        output,
      );
      const [region] = [...r.grafana.annotations.values()];
      assert.ok(region!.tags.includes('failed'));
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.equal(json.outcome, 'rolled-back');
      assert.equal(json.exitCode, 1);
      await assertNoSecret([result.stdout, result.stderr], [report, ...Object.values(files)]);
    } finally {
      await closeReceivers();
    }
  });

  test('deploy (held), then cleanup from another process: rolled-back "job cancelled" closes the same region', async () => {
    r = await startReceivers();
    try {
      const image = env.image('6.0.0');
      const manifests = await writeManifests(env, 'notify-held', { image });
      const config = await writeConfig(env, 'notify-held', { topLevel: NOTIFY });
      const deployed = await cli([
        'deploy',
        '--config',
        config,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        'nheld1',
        '--run-id',
        'notify-held-run',
      ]);
      assert.equal(deployed.code, 0, show(deployed));
      const canary = await env.get(`${deployments()}/web-canary`);
      const kept = JSON.parse(canary.metadata.annotations['canary-action.dev/notify-state']);
      const [id] = Object.values(kept.grafana);
      assert.equal(typeof id, 'number');
      const cleanup = await cli([
        'cleanup',
        '--config',
        config,
        '--all',
        '--run-id',
        'notify-held-run',
        '--reason',
        'job cancelled',
      ]);
      assert.equal(cleanup.code, 0, show(cleanup));
      const events = hookEvents();
      assert.deepEqual(
        events.map((event) => [event.event, event.reason]),
        [
          ['started', 'canary starting'],
          ['held', 'canary and baseline are ready and left live'],
          ['rolled-back', 'job cancelled'],
        ],
      );
      assert.equal(events[2].runId, 'notify-held-run');
      assert.equal(events[2].revision, 'nheld1');
      // One region: created at start, PATCHed when held, PATCHed again by the cleanup process.
      assert.deepEqual(
        r.grafana.received.map((request) => `${request.method} ${request.path}`),
        ['POST /api/annotations', `PATCH /api/annotations/${id}`, `PATCH /api/annotations/${id}`],
      );
      assert.ok(r.grafana.annotations.get(id as number)!.tags.includes('rolled-back'));
      await assertNoSecret([deployed.stdout, deployed.stderr, cleanup.stdout, cleanup.stderr], []);
    } finally {
      await closeReceivers();
    }
  });
});
