// Slack, Teams and the webhook over real HTTP on loopback: what each receiver gets validates against the
// published schema it is held to (Block Kit shape, Adaptive Card 1.4, schema/notification-webhook.schema.json),
// for every event, and the webhook's signature verifies with the receiver's copy of the secret.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { notifyAll } from '../../../src/notify/dispatch.ts';
import { parseNotifyTargets } from '../../../src/notify/settings.ts';
import { NOTIFY_EVENTS, type NotifyEventName, type ReleaseEvent } from '../../../src/notify/types.ts';
import { verifySignature } from '../../../src/notify/webhook.ts';
import { eventOf } from '../../unit/notify/fixture.ts';
import { answer, startReceiver, type Receiver } from './receiver.ts';
import { schemaErrors, validators } from './schemas.ts';

const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((receiver) => receiver.close())));

async function receiver(...answers: Parameters<typeof answer.status>[]) {
  const started = await startReceiver(answers.map((args) => answer.status(...args)));
  receivers.push(started);
  return started;
}

/** One event of each name (a step carries its step). */
const everyEvent: ReleaseEvent[] = NOTIFY_EVENTS.map((name: NotifyEventName) =>
  eventOf(name, name === 'step' ? { step: { number: 1, count: 2, weight: 10 } } : {}),
);

const jsonOf = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, unknown>;

describe('slack', () => {
  test('every event arrives as one Block Kit message that fits the shape kept in test/schemas', async () => {
    const slack = await receiver([200, 'ok']);
    const targets = parseNotifyTargets([
      { type: 'slack', url: `${slack.url}/services/T000/B000/XXXX`, events: [...NOTIFY_EVENTS] },
    ]);
    for (const event of everyEvent) {
      const { results } = await notifyAll(targets, event, { deadlineMs: 5000 });
      assert.deepEqual(results, [
        { target: 'notify[0] slack', type: 'slack', event: event.event, ok: true, attempts: 1 },
      ]);
    }
    assert.equal(slack.received.length, everyEvent.length);
    for (const request of slack.received) {
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/services/T000/B000/XXXX');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(schemaErrors(validators.slack, jsonOf(request.body)), undefined);
    }
    const failed = JSON.stringify(jsonOf(slack.received[2]!.body));
    assert.match(failed, /canary failed/);
    assert.match(failed, /http-error-rate/);
  });

  test('the shape refuses what Slack would refuse (a mrkdwn header, an empty text, 11 fields)', () => {
    const text = { type: 'mrkdwn', text: 'x' };
    assert.ok(schemaErrors(validators.slack, { text: 'x', blocks: [{ type: 'header', text }] }));
    assert.ok(
      schemaErrors(validators.slack, {
        text: 'x',
        blocks: [{ type: 'section', text: { ...text, text: '' } }],
      }),
    );
    assert.ok(
      schemaErrors(validators.slack, {
        text: 'x',
        blocks: [{ type: 'section', fields: Array(11).fill(text) }],
      }),
    );
  });
});

describe('teams', () => {
  test('every event arrives in the Workflows envelope with an Adaptive Card valid under the 1.4 schema', async () => {
    const teams = await receiver([202, '']);
    const targets = parseNotifyTargets([
      {
        type: 'teams',
        url: `${teams.url}/workflows/abc/triggers/manual/paths/invoke?sig=SIG`,
        events: [...NOTIFY_EVENTS],
      },
    ]);
    for (const event of everyEvent) {
      const { results } = await notifyAll(targets, event, { deadlineMs: 5000 });
      assert.equal(results[0]?.ok, true, results[0]?.warning);
    }
    for (const request of teams.received) {
      const body = jsonOf(request.body) as {
        type: string;
        attachments: Array<{ contentType: string; content: { version: string } }>;
      };
      assert.equal(body.type, 'message');
      assert.equal(body.attachments.length, 1);
      assert.equal(body.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.equal(body.attachments[0]?.content.version, '1.4');
      assert.equal(schemaErrors(validators.adaptiveCard, body.attachments[0]?.content), undefined);
    }
  });

  test('the Adaptive Card schema is strict enough to matter (unknown property, unknown element)', () => {
    assert.ok(
      schemaErrors(validators.adaptiveCard, {
        type: 'AdaptiveCard',
        version: '1.4',
        body: [{ type: 'Table' }],
      }),
    );
    assert.ok(
      schemaErrors(validators.adaptiveCard, {
        type: 'AdaptiveCard',
        version: '1.4',
        body: [],
        msteams: { width: 'Full' },
      }),
    );
  });
});

describe('webhook', () => {
  test('the body validates against the published schema and the receiver verifies the HMAC over the raw bytes', async () => {
    const secret = 'receiver-and-sender-share-this';
    const hook = await startReceiver((request, response) => {
      const good = verifySignature(secret, request.body, String(request.headers['x-canary-signature'] ?? ''));
      response.writeHead(good ? 204 : 401).end();
    });
    receivers.push(hook);
    const targets = parseNotifyTargets([
      {
        type: 'webhook',
        url: `${hook.url}/deploys`,
        secret,
        headers: { 'X-Team': 'shop' },
        events: [...NOTIFY_EVENTS],
      },
    ]);
    for (const event of everyEvent) {
      const { results } = await notifyAll(targets, event, { deadlineMs: 5000 });
      assert.equal(results[0]?.ok, true, results[0]?.warning);
    }
    for (const [i, request] of hook.received.entries()) {
      const body = jsonOf(request.body);
      assert.equal(schemaErrors(validators.webhook, body), undefined);
      assert.equal(body.event, everyEvent[i]?.event);
      assert.equal(request.headers['x-canary-event'], everyEvent[i]?.event);
      assert.equal(request.headers['x-canary-delivery'], body.id);
      assert.equal(request.headers['x-team'], 'shop');
      assert.match(String(request.headers['x-canary-signature']), /^sha256=[0-9a-f]{64}$/);
    }
    // The signature is over the bytes: one byte more and the receiver refuses it.
    const first = hook.received[0]!;
    assert.ok(
      !verifySignature(
        secret,
        Buffer.concat([first.body, Buffer.from('\n')]),
        String(first.headers['x-canary-signature']),
      ),
    );
  });

  test('a receiver that refuses the signature is a warning (HTTP 401, not retried)', async () => {
    const hook = await startReceiver((request, response) => {
      const good = verifySignature(
        'the-right-secret',
        request.body,
        String(request.headers['x-canary-signature'] ?? ''),
      );
      response.writeHead(good ? 204 : 401, { 'Content-Type': 'text/plain' }).end(good ? '' : 'bad signature');
    });
    receivers.push(hook);
    const targets = parseNotifyTargets([{ type: 'webhook', url: hook.url, secret: 'a-wrong-secret' }]);
    const { results } = await notifyAll(targets, eventOf('promoted'), { deadlineMs: 5000 });
    assert.equal(results[0]?.ok, false);
    assert.equal(results[0]?.attempts, 1);
    assert.equal(
      results[0]?.warning,
      'notify[0] webhook: "promoted" not delivered: HTTP 401: bad signature (not retried)',
    );
  });

  test('the published schema refuses a body missing a documented field or carrying an undocumented one', () => {
    const body = JSON.parse(JSON.stringify({ schemaVersion: 1, id: 'x', ...eventOf('failed') })) as Record<
      string,
      unknown
    >;
    assert.equal(schemaErrors(validators.webhook, body), undefined);
    const { verdict: _verdict, ...missing } = body;
    assert.ok(schemaErrors(validators.webhook, missing));
    assert.ok(schemaErrors(validators.webhook, { ...body, extra: true }));
    assert.ok(schemaErrors(validators.webhook, { ...body, event: 'deployed' }));
  });
});
