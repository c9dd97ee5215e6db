// Grafana over real HTTP against a stand-in of its annotations API: a region from the canary's start to its
// decision (POST at started, PATCH of the same id at the end), the id carried in NotifyState or found again
// by the run's tag in another process, and the fallbacks when neither is there.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { notifyAll } from '../../../src/notify/dispatch.ts';
import { grafanaStateKey } from '../../../src/notify/grafana.ts';
import { parseNotifyTargets } from '../../../src/notify/settings.ts';
import { decodeNotifyState, emptyNotifyState, encodeNotifyState } from '../../../src/notify/state.ts';
import type { GrafanaTarget } from '../../../src/notify/types.ts';
import { eventOf, RELEASE_STARTED_AT } from '../../unit/notify/fixture.ts';
import { startGrafana } from './receiver.ts';

const TOKEN = 'glsa_grafana_service_account_token';
const START = Date.parse(RELEASE_STARTED_AT);
const DECIDED = Date.parse('2026-11-22T10:04:00.000Z');
const servers: Array<{ close(): Promise<void> }> = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function grafana() {
  const server = await startGrafana(TOKEN);
  servers.push(server);
  return server;
}

function target(url: string, extra: Record<string, unknown> = {}): GrafanaTarget {
  const [parsed] = parseNotifyTargets([
    {
      type: 'grafana',
      url,
      token: TOKEN,
      tags: ['shop'],
      events: ['started', 'step', 'failed', 'rolled-back', 'promoted', 'held', 'inconclusive'],
      ...extra,
    },
  ]);
  return parsed as GrafanaTarget;
}

describe('grafana region', () => {
  test('started creates it, the decision closes it: same id, time and timeEnd, tags with the verdict, bearer token', async () => {
    const server = await grafana();
    const targets = [target(server.url, { dashboardUID: 'canary-dash', panelId: 7 })];
    const started = await notifyAll(targets, eventOf('started'), { deadlineMs: 5000 });
    assert.equal(started.results[0]?.ok, true, started.results[0]?.warning);
    const key = grafanaStateKey(targets[0]!);
    const id = started.state.grafana[key];
    assert.equal(typeof id, 'number');

    const step = await notifyAll(targets, eventOf('step', { step: { number: 1, count: 2, weight: 10 } }), {
      deadlineMs: 5000,
      state: started.state,
    });
    assert.equal(step.results[0]?.ok, true, step.results[0]?.warning);
    const decided = await notifyAll(targets, eventOf('failed'), { deadlineMs: 5000, state: step.state });
    assert.deepEqual(decided.results, [
      { target: 'notify[0] grafana', type: 'grafana', event: 'failed', ok: true, attempts: 1 },
    ]);
    assert.equal(decided.state.grafana[key], id);

    assert.deepEqual(
      server.received.map((request) => `${request.method} ${request.path}`),
      ['POST /api/annotations', `PATCH /api/annotations/${id}`, `PATCH /api/annotations/${id}`],
    );
    for (const request of server.received) {
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(request.headers['content-type'], 'application/json');
    }
    const [create, , close] = server.received.map((request) => JSON.parse(request.body.toString('utf8')));
    assert.equal(create.time, START);
    assert.equal(create.timeEnd, undefined);
    assert.equal(create.dashboardUID, 'canary-dash');
    assert.equal(create.panelId, 7);
    assert.deepEqual(create.tags, [
      'canary-action',
      'web',
      '3f2a9c1',
      'run-github-123456-1',
      'started',
      'shop',
    ]);
    assert.deepEqual([close.time, close.timeEnd], [START, DECIDED]);
    assert.deepEqual(close.tags, [
      'canary-action',
      'web',
      '3f2a9c1',
      'run-github-123456-1',
      'failed',
      'shop',
    ]);

    assert.equal(server.annotations.size, 1);
    const region = server.annotations.get(id!)!;
    assert.deepEqual(
      [region.time, region.timeEnd, region.dashboardUID, region.panelId],
      [START, DECIDED, 'canary-dash', 7],
    );
    assert.match(region.text, /^❌ web: canary failed\n/);
    assert.match(region.text, /http-error-rate fail: 8\.08% \(97\/1200\) vs 1% \(12\/1200\)/);
  });

  test("another process without the state (a post step) finds the run's annotation by its tag and closes it", async () => {
    const server = await grafana();
    const targets = [target(server.url)];
    const started = await notifyAll(targets, eventOf('started'), { deadlineMs: 5000 });
    const id = Object.values(started.state.grafana)[0];
    // Someone else's run on the same Grafana must not be touched.
    await notifyAll(targets, eventOf('started', { runId: 'github-999-1' }), { deadlineMs: 5000 });

    const { results, state } = await notifyAll(targets, eventOf('rolled-back', { reason: 'job cancelled' }), {
      deadlineMs: 5000,
      state: emptyNotifyState(),
    });
    assert.equal(results[0]?.ok, true, results[0]?.warning);
    const requests = server.received.slice(2).map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(requests, [
      'GET /api/annotations?tags=run-github-123456-1&type=annotation&limit=100',
      `PATCH /api/annotations/${id}`,
    ]);
    assert.equal(Object.values(state.grafana)[0], id);
    const region = server.annotations.get(id!)!;
    assert.deepEqual([region.time, region.timeEnd], [START, DECIDED]);
    assert.ok(region.tags.includes('rolled-back'));
    assert.match(region.text, /job cancelled/);
    assert.equal(server.annotations.size, 2);
  });

  test('the state survives as text between processes', async () => {
    const server = await grafana();
    const targets = [target(server.url)];
    const started = await notifyAll(targets, eventOf('started'), { deadlineMs: 5000 });
    const kept = encodeNotifyState(started.state);
    await notifyAll(targets, eventOf('promoted'), { deadlineMs: 5000, state: decodeNotifyState(kept) });
    assert.deepEqual(
      server.received.map((request) => request.method),
      ['POST', 'PATCH'],
    );
    assert.deepEqual(decodeNotifyState('not json'), emptyNotifyState());
    assert.deepEqual(decodeNotifyState('{"grafana":{"a":3,"b":"x","c":-1}}'), { grafana: { a: 3 } });
  });

  test('without started (not among its events, or lost) the whole region is created at the decision', async () => {
    const server = await grafana();
    const targets = [target(server.url, { events: ['promoted', 'failed'] })];
    assert.deepEqual((await notifyAll(targets, eventOf('started'), { deadlineMs: 5000 })).results, []);
    const { results } = await notifyAll(targets, eventOf('promoted'), { deadlineMs: 5000 });
    assert.equal(results[0]?.ok, true, results[0]?.warning);
    assert.deepEqual(
      server.received.map((request) => request.method),
      ['GET', 'POST'],
    );
    const [region] = server.annotations.values();
    assert.deepEqual([region?.time, region?.timeEnd], [START, DECIDED]);
    assert.ok(region?.tags.includes('promoted'));
  });

  test('an annotation deleted meanwhile (PATCH 404) is created anew, with a warning', async () => {
    const server = await grafana();
    const targets = [target(server.url)];
    const { results } = await notifyAll(targets, eventOf('promoted'), {
      deadlineMs: 5000,
      state: { grafana: { [grafanaStateKey(targets[0]!)]: 999 } },
    });
    assert.equal(results[0]?.ok, true);
    assert.match(results[0]?.warning ?? '', /annotation 999 is gone \(HTTP 404\), created anew/);
    assert.equal(server.annotations.size, 1);
  });

  test('a refused token is a warning naming the status, never the token', async () => {
    const server = await grafana();
    const [refused] = parseNotifyTargets([
      { type: 'grafana', url: server.url, token: 'glsa_wrong_token_value' },
    ]);
    const { results } = await notifyAll([refused!], eventOf('started'), { deadlineMs: 5000 });
    assert.equal(results[0]?.ok, false);
    assert.equal(
      results[0]?.warning,
      'notify[0] grafana: "started" not delivered: creating the annotation failed: HTTP 401: invalid API key (not retried)',
    );
  });
});
