/**
 * Slack: a Block Kit message to an incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
 * Headline, reason, the release's facts, the per-metric table (canary vs baseline, ratio with its bounds,
 * the bound it is held to) and links to the CI job and the report. Within Slack's limits: 150 characters
 * for a header, 3000 for a section's text, 10 fields of 2000, 10 context elements (the shape the tests hold
 * it to: test/schemas/slack-block-kit.schema.json).
 */
import { defineNotifier, jsonBody, USER_AGENT } from './notifier.ts';
import {
  links,
  METRIC_HEADERS,
  metricCells,
  releaseFacts,
  textTable,
  title,
  truncate,
  type MetricCells,
} from './format.ts';
import type { Notifier, ReleaseEvent, SlackTarget } from './types.ts';

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** Shown in notifications and where blocks cannot be. */
  text: string;
  blocks: SlackBlock[];
}

const SECTION_LIMIT = 3000;
const FIELD_LIMIT = 2000;
const HEADER_LIMIT = 150;
const MAX_FIELDS = 10;
const TABLE_COLUMNS: Array<keyof MetricCells> = ['name', 'verdict', 'canary', 'baseline', 'ratio', 'bound'];

/** Slack's three control characters; everything else is literal in mrkdwn. */
export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Escaped text of at most `limit` characters (escaping lengthens it, so the cut is made before). */
export function escapedWithin(text: string, limit: number): string {
  let keep = Math.min(text.length, limit);
  for (;;) {
    const escaped = escapeMrkdwn(truncate(text, keep));
    if (escaped.length <= limit || keep <= 1) return escaped;
    keep = Math.floor(keep * 0.9);
  }
}

/** Inside a code span or block a backtick would end it. */
const code = (text: string) => escapeMrkdwn(text.replace(/`/g, "'"));

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

/** A link Slack can parse: `<url|title>` with the URL's own `|` and `>` encoded. */
const link = (url: string, label: string) =>
  `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(label)}>`;

function metricsTable(event: ReleaseEvent): string | undefined {
  if (event.metrics.length === 0) return undefined;
  const header = TABLE_COLUMNS.map((column) => METRIC_HEADERS[column]);
  const rows = event.metrics.map((metric) => {
    const cells = metricCells(metric);
    return TABLE_COLUMNS.map((column) => truncate(cells[column], column === 'name' ? 32 : 40));
  });
  // Keep as many rows as fit in one section, and say how many did not.
  for (let shown = rows.length; shown >= 0; shown--) {
    const lines = textTable([header, ...rows.slice(0, shown)]);
    const more = rows.length - shown;
    const tail = more > 0 ? `\n…and ${more} more metric${more === 1 ? '' : 's'} (see the report)` : '';
    const text = `\`\`\`\n${lines.map(code).join('\n')}\n\`\`\`${tail}`;
    if (text.length <= SECTION_LIMIT) return text;
  }
  return undefined;
}

/** Pure: the message for one event. */
export function slackMessage(event: ReleaseEvent): SlackMessage {
  const heading = title(event);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(heading, HEADER_LIMIT), emoji: true } },
    { type: 'section', text: mrkdwn(escapedWithin(event.reason, SECTION_LIMIT)) },
    {
      type: 'section',
      fields: releaseFacts(event)
        .slice(0, MAX_FIELDS)
        .map(([name, value]) => mrkdwn(`*${name}*\n\`${code(truncate(value, FIELD_LIMIT / 8))}\``)),
    },
  ];
  const table = metricsTable(event);
  if (table) blocks.push({ type: 'section', text: mrkdwn(table) });
  if (event.steps.length > 0 && event.event !== 'started') {
    const steps = event.steps
      .map((step, i) => `${i + 1}. ${step.weight}%: ${escapeMrkdwn(step.verdict)}`)
      .join('   ');
    blocks.push({ type: 'context', elements: [mrkdwn(`*Steps* ${truncate(steps, SECTION_LIMIT / 2)}`)] });
  }
  const context = [
    ...links(event).map(({ title: label, url }) => mrkdwn(link(url, label))),
    mrkdwn(`run \`${code(event.runId)}\` · ${code(event.time)}`),
  ];
  blocks.push({ type: 'context', elements: context });
  return { text: escapedWithin(`${heading} — ${event.reason}`, 300), blocks };
}

export function slackNotifier(target: SlackTarget): Notifier {
  return defineNotifier(target, async (event, send) => {
    const delivery = await send({
      method: 'POST',
      url: target.url,
      headers: { ...target.headers, 'Content-Type': 'application/json', 'User-Agent': USER_AGENT },
      body: jsonBody(slackMessage(event)),
    });
    return delivery.ok ? { ok: true } : { ok: false, problem: delivery.problem };
  });
}
