// Faults over real HTTP: a receiver answering 500 then 200 (retried, delivered), 429 (retried), 400 (a
// warning, not retried), never answering (a timeout warning), gone (a network error); a hung target
// cannot hold notifyAll past its deadline; and a secret in a URL, token, secret or header never appears in a
// result, a warning or a log line, whatever the receiver answers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { notifyAll } from '../../../src/notify/dispatch.ts';
import { notifySecrets, parseNotifyTargets } from '../../../src/notify/settings.ts';
import type { NotifyTarget } from '../../../src/notify/types.ts';
import { eventOf } from '../../unit/notify/fixture.ts';
import { answer, startReceiver, type Answer, type Receiver } from './receiver.ts';

const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((receiver) => receiver.close())));

async function receiver(answers: Answer[] | Answer) {
  const started = await startReceiver(answers);
  receivers.push(started);
  return started;
}

/** Back-off without waiting: the delays asked for are recorded instead. */
function instantSleep(delays: number[] = []) {
  return async (ms: number) => {
    delays.push(ms);
  };
}

const slackAt = (url: string, extra: Record<string, unknown> = {}) =>
  parseNotifyTargets([{ type: 'slack', url, ...extra }]) as NotifyTarget[];

describe('retries', () => {
  test('500 then 200: retried after a back-off, delivered', async () => {
    const hook = await receiver([answer.status(500, 'upstream hiccup'), answer.status(200, 'ok')]);
    const delays: number[] = [];
    const { results } = await notifyAll(slackAt(`${hook.url}/hook`), eventOf('failed'), {
      deadlineMs: 5000,
      sleep: instantSleep(delays),
      random: () => 0.5,
    });
    assert.deepEqual(results, [
      { target: 'notify[0] slack', type: 'slack', event: 'failed', ok: true, attempts: 2 },
    ]);
    assert.equal(hook.received.length, 2);
    assert.deepEqual(hook.received[0]!.body, hook.received[1]!.body, 'the same bytes again');
    assert.deepEqual(delays, [375]);
  });

  test('429 with Retry-After: waits as asked, then delivered', async () => {
    const hook = await receiver([
      answer.status(429, 'rate_limited', { 'Retry-After': '2' }),
      answer.status(200, 'ok'),
    ]);
    const delays: number[] = [];
    const { results } = await notifyAll(slackAt(hook.url), eventOf('promoted'), {
      deadlineMs: 5000,
      sleep: instantSleep(delays),
    });
    assert.equal(results[0]?.ok, true);
    assert.deepEqual(delays, [2000]);
  });

  test('5xx every time: a warning after the configured retries, with the last answer', async () => {
    const hook = await receiver(answer.status(503, 'maintenance'));
    const { results } = await notifyAll(slackAt(hook.url, { retries: 2 }), eventOf('promoted'), {
      deadlineMs: 5000,
      sleep: instantSleep(),
    });
    assert.equal(hook.received.length, 3);
    assert.deepEqual(results, [
      {
        target: 'notify[0] slack',
        type: 'slack',
        event: 'promoted',
        ok: false,
        attempts: 3,
        warning: 'notify[0] slack: "promoted" not delivered: HTTP 503: maintenance (3 attempts)',
      },
    ]);
  });

  test('400: a warning at once, not retried', async () => {
    const hook = await receiver(answer.status(400, 'invalid_blocks'));
    const warnings: string[] = [];
    const { results } = await notifyAll(slackAt(hook.url), eventOf('failed'), {
      deadlineMs: 5000,
      sleep: instantSleep(),
      log: { warning: (message) => warnings.push(message) },
    });
    assert.equal(hook.received.length, 1);
    assert.equal(results[0]?.ok, false);
    assert.equal(results[0]?.attempts, 1);
    assert.equal(
      results[0]?.warning,
      'notify[0] slack: "failed" not delivered: HTTP 400: invalid_blocks (not retried)',
    );
    assert.deepEqual(warnings, [results[0]?.warning]);
  });

  test('a receiver that is gone: a network error, retried, then a warning', async () => {
    const gone = await startReceiver(answer.status(200));
    await gone.close();
    const { results } = await notifyAll(slackAt(`${gone.url}/x`, { retries: 1 }), eventOf('failed'), {
      deadlineMs: 5000,
      sleep: instantSleep(),
    });
    assert.equal(results[0]?.ok, false);
    assert.equal(results[0]?.attempts, 2);
    assert.equal(
      results[0]?.warning,
      'notify[0] slack: "failed" not delivered: network error (ECONNREFUSED) (2 attempts)',
    );
  });
});

describe('timeouts and the deadline', () => {
  test('a receiver that never answers: each attempt times out, then a warning', async () => {
    const hung = await receiver(answer.hang);
    const { results } = await notifyAll(
      slackAt(hung.url, { timeout: '150ms', retries: 1 }),
      eventOf('failed'),
      {
        deadlineMs: 10_000,
        sleep: instantSleep(),
      },
    );
    assert.equal(hung.received.length, 2);
    assert.equal(results[0]?.ok, false);
    assert.equal(
      results[0]?.warning,
      'notify[0] slack: "failed" not delivered: timed out after 150 ms (2 attempts)',
    );
  });

  test('one hung target does not hold the others: notifyAll returns by its deadline with every result', async () => {
    const hung = await receiver(answer.hang);
    const slack = await receiver(answer.status(200, 'ok'));
    const hook = await receiver(answer.status(204));
    const targets = parseNotifyTargets([
      { type: 'slack', url: slack.url },
      { type: 'webhook', url: hung.url, timeout: '30s' },
      { type: 'webhook', url: hook.url, name: 'audit' },
    ]);
    const { results } = await notifyAll(targets, eventOf('rolled-back'), { deadlineMs: 2000 });
    assert.deepEqual(
      results.map(({ target, ok }) => [target, ok]),
      [
        ['notify[0] slack', true],
        ['notify[1] webhook', false],
        ['notify[2] webhook "audit"', true],
      ],
    );
    assert.equal(
      results[1]?.warning,
      'notify[1] webhook: "rolled-back" not delivered: cut off by the notification deadline (2000 ms) after 1 attempt',
    );
    assert.equal(hung.received.length, 1);
  });

  test('a back-off that would outlast the deadline is cut off too', async () => {
    const failing = await receiver(answer.status(500, 'down'));
    const { results } = await notifyAll(slackAt(failing.url, { retries: 5 }), eventOf('failed'), {
      deadlineMs: 300,
      // the real sleep: the first back-off (250–500 ms) or the next ones reach the deadline
    });
    assert.equal(results[0]?.ok, false);
    assert.match(results[0]?.warning ?? '', /deadline/);
  });

  test('targets that do not want the event are not sent anything; no targets, no results', async () => {
    const hook = await receiver(answer.status(200));
    const targets = parseNotifyTargets([{ type: 'webhook', url: hook.url, events: ['promoted'] }]);
    assert.deepEqual((await notifyAll(targets, eventOf('failed'), { deadlineMs: 1000 })).results, []);
    assert.deepEqual((await notifyAll([], eventOf('failed'), { deadlineMs: 1000 })).results, []);
    // step is not among the default events
    const defaults = parseNotifyTargets([{ type: 'webhook', url: hook.url }]);
    assert.deepEqual(
      (
        await notifyAll(defaults, eventOf('step', { step: { number: 1, count: 2, weight: 10 } }), {
          deadlineMs: 1000,
        })
      ).results,
      [],
    );
    assert.equal(hook.received.length, 0);
  });

  test('a throwing logger changes nothing', async () => {
    const hook = await receiver(answer.status(500));
    const { results } = await notifyAll(slackAt(hook.url, { retries: 0 }), eventOf('failed'), {
      deadlineMs: 1000,
      log: {
        info: () => {
          throw new Error('log down');
        },
        warning: () => {
          throw new Error('log down');
        },
      },
    });
    assert.equal(results[0]?.ok, false);
  });
});

describe('secrets', () => {
  const SLACK_KEY = '/services/T000/B000/SECRETXYZ';
  const TEAMS_SIG = 'TEAMSSIGNATURE0123456789abcdef';
  const HOOK_SECRET = 'hmac-shared-secret-value';
  const HEADER_VALUE = 'api-key-in-a-header-0042';
  const TOKEN = 'glsa_token_that_must_not_leak';

  test('no URL, token, secret or header value in any result, warning or log line, whatever the receiver answers', async () => {
    // Receivers that echo the request back in their error, or never answer, or are gone.
    const echo: Answer = (request, response) =>
      response
        .writeHead(404, { 'Content-Type': 'text/plain' })
        .end(
          `no route for ${request.path} (${request.headers['x-api-key']}, ${request.headers.authorization})`,
        );
    const echoing = await receiver(echo);
    const json500 = await receiver(answer.json(500, { message: `failed at http://127.0.0.1${SLACK_KEY}` }));
    const hung = await receiver(answer.hang);
    const gone = await startReceiver(answer.status(200));
    await gone.close();
    const targets = parseNotifyTargets([
      { type: 'slack', url: `${echoing.url}${SLACK_KEY}` },
      {
        type: 'teams',
        url: `${json500.url}/workflows/x/paths/invoke?api-version=1&sig=${TEAMS_SIG}`,
        retries: 1,
      },
      {
        type: 'webhook',
        url: `${echoing.url}/hook${SLACK_KEY}`,
        secret: HOOK_SECRET,
        headers: { 'X-Api-Key': HEADER_VALUE },
      },
      { type: 'grafana', url: echoing.url, token: TOKEN },
      { type: 'slack', url: `${hung.url}${SLACK_KEY}`, timeout: '100ms', retries: 0 },
      { type: 'webhook', url: `${gone.url}${SLACK_KEY}`, retries: 0 },
    ]);
    const lines: string[] = [];
    const { results } = await notifyAll(targets, eventOf('failed'), {
      deadlineMs: 5000,
      sleep: instantSleep(),
      log: { info: (message) => lines.push(message), warning: (message) => lines.push(message) },
    });
    assert.equal(results.length, 6);
    assert.ok(results.every((result) => !result.ok && result.warning));
    const everything = JSON.stringify({ results, lines });
    const secrets = [
      ...notifySecrets(targets),
      SLACK_KEY,
      'SECRETXYZ',
      TEAMS_SIG,
      HOOK_SECRET,
      HEADER_VALUE,
      TOKEN,
    ];
    for (const secret of secrets) {
      assert.ok(!everything.includes(secret), `${secret} leaked into ${everything}`);
    }
    assert.doesNotMatch(everything, /127\.0\.0\.1:\d+/, 'no receiver address either');
    // What was wrong is still said.
    assert.match(results[0]?.warning ?? '', /HTTP 404: no route for \*\*\*/);
    assert.match(results[4]?.warning ?? '', /timed out after 100 ms/);
    assert.match(results[5]?.warning ?? '', /ECONNREFUSED/);
  });

  test("with the platform's redaction, a secret quoted in a reason does not leave the job either", async () => {
    const hook = await receiver(answer.status(500, 'echo: DB_PASSWORD_VALUE'));
    const targets = parseNotifyTargets([{ type: 'webhook', url: hook.url, secret: HOOK_SECRET, retries: 0 }]);
    const event = eventOf('rolled-back', { reason: 'apply failed: password=DB_PASSWORD_VALUE rejected' });
    const { results } = await notifyAll(targets, event, {
      deadlineMs: 5000,
      redact: (text) => text.split('DB_PASSWORD_VALUE').join('***'),
    });
    const sent = hook.received[0]!.body.toString('utf8');
    assert.ok(!sent.includes('DB_PASSWORD_VALUE'));
    assert.match(sent, /password=\*\*\* rejected/);
    assert.match(results[0]?.warning ?? '', /HTTP 500: echo: \*\*\*/);
    assert.equal(
      event.reason,
      'apply failed: password=DB_PASSWORD_VALUE rejected',
      "the caller's event is not changed",
    );
  });
});
