/**
 * Notifications from the GitHub Action: dist/action.js and dist/action-post.js on the simulated runner
 * (runner.ts) against the sandbox, with a signed webhook whose URL holds a secret and a Grafana stand-in.
 * A `deploy` leaves its canary live; the job is cancelled; the post step rolls it back and says so with the
 * reason "job cancelled", closing the region the main step opened. The secret appears in no log, summary,
 * output or state (it is masked on the runner).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { verifySignature } from '../../../src/notify/webhook.ts';
import {
  REPOSITORY,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from '../../e2e/environment.ts';
import { answer, startGrafana, startReceiver, type Receiver } from '../notify/receiver.ts';
import { runAction, runPost, visibleLog, type StepResult } from './runner.ts';

const PATH_SECRET = 'post-hook-5ecret-8d1f0a';
const HMAC_SECRET = 'post-hmac-5ecret-c3b2';
const GRAFANA_TOKEN = 'glsa_post-5ecret-9e9e';

const show = (result: StepResult) => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;

describe('the action post step sends rolled-back "job cancelled" (sandbox, dist/)', () => {
  let env: ReleaseEnvironment;
  let hook: Receiver;
  let grafana: Awaited<ReturnType<typeof startGrafana>>;

  before(async () => {
    [env, hook, grafana] = await Promise.all([
      startReleaseEnvironment({ trafficPerSecond: 40 }),
      startReceiver(answer.status(204)),
      startGrafana(GRAFANA_TOKEN),
    ]);
  });
  after(async () => {
    await hook?.close();
    await grafana?.close();
    await env?.stop();
  });

  test('deploy, cancelled: started and held from the main step, rolled-back from the post step', async () => {
    const workspace = path.join(env.dir, 'workspace-notify');
    await mkdir(workspace, { recursive: true });
    const runner = {
      workspace,
      runId: '2001',
      sha: '2001'.padStart(40, 'b'),
      env: {
        HOOK_URL: `${hook.url}/hooks/${PATH_SECRET}`,
        HOOK_SECRET: HMAC_SECRET,
        GRAFANA_URL: grafana.url,
        GRAFANA_TOKEN,
      },
    };
    const config = await writeConfig(env, 'notify-post', {
      topLevel: `notify:
  - {type: webhook, url: "\${HOOK_URL}", secret: "\${HOOK_SECRET}"}
  - {type: grafana, url: "\${GRAFANA_URL}", token: "\${GRAFANA_TOKEN}"}
`,
    });
    const manifests = await writeManifests(env, 'notify-post', { image: `${REPOSITORY}:4.0.0` });
    const kubeconfig = await readFile(env.sandbox.kubeconfig, 'utf8');
    const inputs = { kubeconfig, config, manifests, image: `${REPOSITORY}:4.0.0`, mode: 'deploy' };
    const main = await runAction(runner, { ...inputs, status: 'success' });
    assert.equal(main.code, 0, show(main));
    assert.equal(main.state.canary, 'live');
    const post = await runPost(runner, { ...inputs, status: 'cancelled' }, main.state);
    assert.equal(post.code, 0, show(post));
    const deployments = `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
    assert.equal(await env.get(`${deployments}/${WORKLOAD}-canary`), undefined);

    const events = hook.received.map((request) => {
      assert.ok(verifySignature(HMAC_SECRET, request.body, request.headers['x-canary-signature'] as string));
      return JSON.parse(request.body.toString('utf8')) as { event: string; reason: string; runId: string };
    });
    assert.deepEqual(
      events.map((event) => [event.event, event.runId]),
      [
        ['started', 'github-2001-1'],
        ['held', 'github-2001-1'],
        ['rolled-back', 'github-2001-1'],
      ],
    );
    assert.equal(events[2]!.reason, 'job cancelled');
    const ids = grafana.received.map((request) => `${request.method} ${request.path}`);
    assert.equal(ids[0], 'POST /api/annotations');
    assert.deepEqual(ids.slice(1), [
      `PATCH /api/annotations/${[...grafana.annotations.keys()][0]}`,
      `PATCH /api/annotations/${[...grafana.annotations.keys()][0]}`,
    ]);
    assert.ok([...grafana.annotations.values()][0]!.tags.includes('rolled-back'));

    for (const result of [main, post]) {
      for (const [where, text] of [
        ['the log', visibleLog(result)],
        ['the summary', result.summary],
        ['the outputs', JSON.stringify(result.outputs)],
        ['the state', JSON.stringify(result.state)],
      ] as const) {
        for (const secret of [PATH_SECRET, HMAC_SECRET, GRAFANA_TOKEN]) {
          assert.ok(!text.includes(secret), `${secret} appears in ${where}`);
        }
      }
      assert.match(result.stdout, /^::add-mask::.*post-hook-5ecret-8d1f0a/m, 'the webhook URL is masked');
    }
  });
});
