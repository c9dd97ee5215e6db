// The payload builders are pure: event in, body out. What each message says, within each surface's limits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { headline, metricCells } from '../../../src/notify/format.ts';
import { grafanaAnnotation, grafanaStateKey, grafanaTags, grafanaText } from '../../../src/notify/grafana.ts';
import { escapeMrkdwn, slackMessage, type SlackBlock } from '../../../src/notify/slack.ts';
import { teamsMessage, type CardElement } from '../../../src/notify/teams.ts';
import {
  deliveryId,
  signBody,
  verifySignature,
  webhookPayload,
  webhookRequest,
} from '../../../src/notify/webhook.ts';
import type { MetricOutcome } from '../../../src/notify/types.ts';
import { eventOf, JOB_URL, REPORT_URL } from './fixture.ts';

const sectionTexts = (blocks: SlackBlock[]) =>
  blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));

function manyMetrics(count: number): MetricOutcome[] {
  const base = eventOf('failed').metrics[0]!;
  return Array.from({ length: count }, (_, i) => ({ ...base, name: `metric-number-${i}` }));
}

describe('format', () => {
  test('headlines and metric cells read the same on every surface', () => {
    assert.equal(headline(eventOf('failed')), 'web: canary failed');
    assert.equal(headline(eventOf('promoted')), 'web: promoted');
    assert.equal(
      headline(eventOf('step', { step: { number: 1, count: 2, weight: 10 } })),
      'web: step 1 of 2 (10%) passed',
    );
    const [errors, latency, cpu, p99] = eventOf('failed').metrics;
    assert.deepEqual(metricCells(errors!), {
      name: 'http-error-rate',
      verdict: 'fail',
      canary: '8.08% (97/1200)',
      baseline: '1% (12/1200)',
      ratio: '×8.08 [3.9, ∞]',
      bound: '≤ 1.62 (tolerance 1.5)',
    });
    assert.equal(metricCells(latency!).bound, '≤ 1.2');
    assert.equal(metricCells(cpu!).name, 'cpu_per_request (advisory)');
    assert.equal(metricCells(cpu!).canary, '0.0123');
    assert.deepEqual(
      [
        metricCells(p99!).canary,
        metricCells(p99!).baseline,
        metricCells(p99!).ratio,
        metricCells(p99!).bound,
      ],
      ['0.421', '–', '–', '≤ 0.5'],
    );
    // Extrapolated counts read as in the reports; a ratio without data on both tracks is n/a, not [0, ∞].
    const extrapolated = { ...errors!, canary: { bad: 40.4138, total: 1199.93, rate: 0.0337 } };
    assert.equal(metricCells(extrapolated).canary, '3.37% (40/1200)');
    const noBaseline = { ...errors!, baseline: {}, estimate: null, bounds: [0, null] as [number, null] };
    assert.equal(metricCells(noBaseline).ratio, 'n/a');
    assert.equal(metricCells({ ...errors!, estimate: null }).ratio, '×∞ [3.9, ∞]');
  });
});

describe('slackMessage', () => {
  test('verdict, workload, image, revision, the metric table and the links', () => {
    const message = slackMessage(eventOf('failed'));
    const [header, reason, facts] = message.blocks;
    assert.deepEqual(header, {
      type: 'header',
      text: { type: 'plain_text', text: '❌ web: canary failed', emoji: true },
    });
    // Slack's control characters are escaped: a reason cannot inject a link or a mention.
    assert.equal(reason?.type === 'section' && reason.text?.text, escapeMrkdwn(eventOf('failed').reason));
    assert.match(JSON.stringify(reason), /&lt;b&gt;&amp;&lt;\/b&gt;/);
    const fieldTexts = facts?.type === 'section' ? (facts.fields ?? []).map((field) => field.text) : [];
    assert.ok(fieldTexts.includes('*Workload*\n`deployment/web`'));
    assert.ok(fieldTexts.includes('*Image*\n`ghcr.io/org/web:2.0.0`'));
    assert.ok(fieldTexts.includes('*Revision*\n`3f2a9c1`'));
    assert.ok(fieldTexts.includes('*Verdict*\n`fail`'));
    const table = sectionTexts(message.blocks).find((text) => text.startsWith('```'));
    assert.ok(table, 'a metric table');
    assert.match(table, /Metric\s+Verdict\s+Canary\s+Baseline\s+Ratio \[bounds\]\s+Bound/);
    assert.match(
      table,
      /http-error-rate\s+fail\s+8\.08% \(97\/1200\)\s+1% \(12\/1200\)\s+×8\.08 \[3\.9, ∞\]\s+≤ 1\.62/,
    );
    const context = message.blocks.at(-1);
    assert.equal(context?.type, 'context');
    const contextText = JSON.stringify(context);
    assert.ok(contextText.includes(`<${JOB_URL}|CI job>`));
    assert.ok(contextText.includes(`<${REPORT_URL}|Report>`));
    assert.match(message.text, /^❌ web: canary failed — fail: http-error-rate/);
  });

  test('started has no table; a release with 60 metrics keeps the table within one section and counts the rest', () => {
    assert.equal(
      sectionTexts(slackMessage(eventOf('started')).blocks).some((text) => text.startsWith('```')),
      false,
    );
    const message = slackMessage(eventOf('failed', { metrics: manyMetrics(60), reason: 'x'.repeat(5000) }));
    for (const text of sectionTexts(message.blocks)) assert.ok(text.length <= 3000, `${text.length} ≤ 3000`);
    const table = sectionTexts(message.blocks).find((text) => text.startsWith('```'))!;
    const shown = table.split('\n').filter((line) => line.startsWith('metric-number-')).length;
    assert.ok(shown > 10 && shown < 60, `${shown} rows shown`);
    assert.match(table, new RegExp(`…and ${60 - shown} more metrics \\(see the report\\)$`));
    assert.ok(message.blocks.length <= 50);
  });

  test('a backtick in a value cannot close the code span', () => {
    const message = slackMessage(eventOf('failed', { image: 'evil`image' }));
    assert.ok(JSON.stringify(message).includes("evil'image"));
  });
});

describe('teamsMessage', () => {
  test('the Workflows envelope around an Adaptive Card 1.4 with the same content', () => {
    const message = teamsMessage(eventOf('failed'));
    assert.equal(message.type, 'message');
    assert.equal(message.attachments.length, 1);
    const [attachment] = message.attachments;
    assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
    const card = attachment!.content;
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.4');
    assert.deepEqual(card.body[0], {
      type: 'TextBlock',
      text: '❌ web: canary failed',
      size: 'Large',
      weight: 'Bolder',
      color: 'Attention',
      wrap: true,
    });
    const facts = card.body.find((element) => element.type === 'FactSet');
    assert.deepEqual(facts?.type === 'FactSet' && facts.facts.slice(0, 5), [
      { title: 'Workload', value: 'deployment/web' },
      { title: 'Namespace', value: 'shop' },
      { title: 'Image', value: 'ghcr.io/org/web:2.0.0' },
      { title: 'Digest', value: eventOf('failed').digest },
      { title: 'Revision', value: '3f2a9c1' },
    ]);
    const table = card.body.find(
      (element): element is Extract<CardElement, { type: 'Container' }> => element.type === 'Container',
    );
    assert.equal(table?.items.length, 1 + 4, 'a header row and one row per metric');
    assert.match(
      JSON.stringify(table?.items[1]),
      /http-error-rate.*❌ fail.*8\.08% \(97\/1200\).*×8\.08 \[3\.9, ∞\]/,
    );
    assert.deepEqual(card.actions, [
      { type: 'Action.OpenUrl', title: 'CI job', url: JOB_URL },
      { type: 'Action.OpenUrl', title: 'Report', url: REPORT_URL },
    ]);
    assert.equal(teamsMessage(eventOf('promoted')).attachments[0]?.content.body[0]?.type, 'TextBlock');
  });

  test('no links, no actions; a non-http link is not made a button', () => {
    const card = teamsMessage(eventOf('started', { links: { job: 'javascript:alert(1)', report: null } }))
      .attachments[0]!.content;
    assert.equal(card.actions, undefined);
  });
});

describe('webhook', () => {
  test('the body is the event with schemaVersion and a delivery id; the signature is HMAC-SHA256 of those bytes', () => {
    const event = eventOf('failed');
    const payload = webhookPayload(event);
    assert.equal(payload.schemaVersion, 1);
    assert.equal(payload.id, 'github-123456-1/failed');
    assert.equal(
      deliveryId(eventOf('step', { step: { number: 2, count: 2, weight: 50 } })),
      'github-123456-1/step/2',
    );
    const { body, headers } = webhookRequest(event, { headers: { 'X-Team': 'shop' }, secret: 'hook-secret' });
    assert.deepEqual(JSON.parse(body.toString('utf8')), payload);
    const expected = `sha256=${createHmac('sha256', 'hook-secret').update(body).digest('hex')}`;
    assert.equal(headers['X-Canary-Signature'], expected);
    assert.equal(signBody('hook-secret', body), expected);
    assert.equal(headers['X-Canary-Event'], 'failed');
    assert.equal(headers['X-Canary-Delivery'], 'github-123456-1/failed');
    assert.equal(headers['X-Team'], 'shop');
    assert.equal(headers['Content-Type'], 'application/json');
    assert.ok(verifySignature('hook-secret', body, expected));
    assert.ok(!verifySignature('other-secret', body, expected));
    assert.ok(!verifySignature('hook-secret', Buffer.concat([body, Buffer.from(' ')]), expected));
    assert.ok(!verifySignature('hook-secret', body, undefined));
    assert.equal(webhookRequest(event, { headers: {} }).headers['X-Canary-Signature'], undefined);
  });
});

describe('grafana', () => {
  const target = { tags: ['shop', 'canary-action'], dashboardUID: 'dash-1', panelId: 4 };

  test('tags: canary-action, workload, revision, run-<runId>, the event, then the user tags (no duplicates)', () => {
    assert.deepEqual(grafanaTags(eventOf('promoted'), target), [
      'canary-action',
      'web',
      '3f2a9c1',
      'run-github-123456-1',
      'promoted',
      'shop',
    ]);
  });

  test('started creates a point at the start; a decision closes the region at its time; a step only updates', () => {
    const start = Date.parse('2026-11-22T10:00:00.000Z');
    const end = Date.parse('2026-11-22T10:04:00.000Z');
    const created = grafanaAnnotation(eventOf('started'), target, 'create');
    assert.equal(created.time, start);
    assert.equal(created.timeEnd, undefined);
    assert.equal(created.dashboardUID, 'dash-1');
    assert.equal(created.panelId, 4);
    assert.ok(created.tags.includes('started'));
    const closed = grafanaAnnotation(eventOf('failed'), target, 'update');
    assert.deepEqual([closed.time, closed.timeEnd], [start, end]);
    assert.ok(closed.tags.includes('failed'));
    assert.equal(closed.dashboardUID, undefined, 'a PATCH does not move the annotation');
    const step = grafanaAnnotation(
      eventOf('step', { step: { number: 1, count: 2, weight: 10 } }),
      target,
      'update',
    );
    assert.deepEqual([step.time, step.timeEnd], [undefined, undefined]);
    const whole = grafanaAnnotation(eventOf('promoted'), { tags: [] }, 'create');
    assert.deepEqual(
      [whole.time, whole.timeEnd, whole.dashboardUID, whole.panelId],
      [start, end, undefined, undefined],
    );
  });

  test('the text: headline, release, reason, one line per metric, links', () => {
    const lines = grafanaText(eventOf('failed')).split('\n');
    assert.equal(lines[0], '❌ web: canary failed');
    assert.equal(lines[1], 'revision 3f2a9c1 · ghcr.io/org/web:2.0.0 · namespace shop');
    assert.ok(
      lines.includes(
        '❌ http-error-rate fail: 8.08% (97/1200) vs 1% (12/1200), ratio ×8.08 [3.9, ∞], bound ≤ 1.62 (tolerance 1.5)',
      ),
    );
    assert.ok(lines.includes(`CI job: ${JOB_URL}`));
  });

  test('the state key is stable per Grafana, dashboard and panel, and does not contain the URL', () => {
    const a = grafanaStateKey({ url: 'https://grafana.example.com/', dashboardUID: 'd' });
    assert.equal(a, grafanaStateKey({ url: 'https://grafana.example.com', dashboardUID: 'd' }));
    assert.notEqual(a, grafanaStateKey({ url: 'https://grafana.example.com', dashboardUID: 'e' }));
    assert.match(a, /^grafana-[0-9a-f]{16}$/);
  });
});
