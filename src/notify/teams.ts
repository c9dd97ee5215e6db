/**
 * Microsoft Teams: an Adaptive Card posted to a Teams Workflows webhook ("Send webhook alerts to a channel"),
 * in the message-with-attachments envelope the Workflows trigger expects (Office 365 connectors are retired).
 * The card is posted by the Workflows (Flow) bot; it declares version 1.4, the version such integrations
 * target, and uses only elements every Teams client renders (TextBlock, FactSet, ColumnSet, Container,
 * Action.OpenUrl: no 1.5 Table, no Teams-only properties, which the published schema would refuse). Same
 * content as the Slack message.
 */
import { defineNotifier, jsonBody, USER_AGENT } from './notifier.ts';
import {
  links,
  METRIC_HEADERS,
  metricCells,
  metricIcon,
  releaseFacts,
  title,
  truncate,
  type MetricCells,
} from './format.ts';
import type { NotifyEventName, Notifier, ReleaseEvent, TeamsTarget } from './types.ts';

export const ADAPTIVE_CARD_VERSION = '1.4';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

type Color = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'Small' | 'Default' | 'Medium' | 'Large';
  weight?: 'Default' | 'Bolder';
  color?: Color;
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Default' | 'Medium';
}
export interface ColumnSet {
  type: 'ColumnSet';
  columns: Array<{ type: 'Column'; width: number | 'auto' | 'stretch'; items: TextBlock[] }>;
  spacing?: 'None' | 'Small';
  separator?: boolean;
}
export type CardElement =
  | TextBlock
  | ColumnSet
  | { type: 'FactSet'; facts: Array<{ title: string; value: string }> }
  | { type: 'Container'; items: CardElement[]; separator?: boolean; spacing?: 'Medium' };

export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: string;
  fallbackText: string;
  body: CardElement[];
  actions?: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
}

export interface TeamsMessage {
  type: 'message';
  attachments: Array<{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }>;
}

const COLORS: Record<NotifyEventName, Color> = {
  started: 'Accent',
  step: 'Good',
  failed: 'Attention',
  'rolled-back': 'Warning',
  promoted: 'Good',
  held: 'Warning',
  inconclusive: 'Warning',
};

/** Metrics shown as table rows; the rest are counted (a Teams message is limited to about 28 KB). */
const MAX_METRIC_ROWS = 25;
const COLUMNS: Array<{ key: keyof MetricCells; width: number }> = [
  { key: 'name', width: 3 },
  { key: 'verdict', width: 2 },
  { key: 'canary', width: 3 },
  { key: 'baseline', width: 3 },
  { key: 'ratio', width: 3 },
  { key: 'bound', width: 2 },
];

const cell = (text: string, bold = false): TextBlock => ({
  type: 'TextBlock',
  text,
  wrap: true,
  size: 'Small',
  ...(bold ? { weight: 'Bolder' as const } : {}),
});

function row(cells: MetricCells, bold = false): ColumnSet {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: COLUMNS.map(({ key, width }) => ({ type: 'Column', width, items: [cell(cells[key], bold)] })),
  };
}

function metricsTable(event: ReleaseEvent): CardElement | undefined {
  if (event.metrics.length === 0) return undefined;
  const rows = event.metrics.slice(0, MAX_METRIC_ROWS).map((metric) => {
    const cells = metricCells(metric);
    return row({
      ...cells,
      verdict: `${metricIcon(metric)} ${cells.verdict}`,
      name: truncate(cells.name, 60),
    });
  });
  const more = event.metrics.length - MAX_METRIC_ROWS;
  const items: CardElement[] = [row(METRIC_HEADERS, true), ...rows];
  if (more > 0) {
    items.push({
      ...cell(`…and ${more} more metric${more === 1 ? '' : 's'} (see the report)`),
      isSubtle: true,
    });
  }
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

/** Pure: the Workflows webhook body for one event. */
export function teamsMessage(event: ReleaseEvent): TeamsMessage {
  const heading = title(event);
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: heading,
      size: 'Large',
      weight: 'Bolder',
      color: COLORS[event.event],
      wrap: true,
    },
    { type: 'TextBlock', text: truncate(event.reason, 2000), wrap: true },
    { type: 'FactSet', facts: releaseFacts(event).map(([name, value]) => ({ title: name, value })) },
  ];
  const table = metricsTable(event);
  if (table) body.push(table);
  if (event.steps.length > 0 && event.event !== 'started') {
    body.push({
      type: 'TextBlock',
      text: `Steps: ${event.steps.map((step, i) => `${i + 1}. ${step.weight}% ${step.verdict}`).join(' · ')}`,
      wrap: true,
      isSubtle: true,
      size: 'Small',
    });
  }
  const actions = links(event).map(({ title: label, url }) => ({
    type: 'Action.OpenUrl' as const,
    title: label,
    url,
  }));
  const card: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    fallbackText: truncate(`${heading} — ${event.reason}`, 300),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

export function teamsNotifier(target: TeamsTarget): Notifier {
  return defineNotifier(target, async (event, send) => {
    const delivery = await send({
      method: 'POST',
      url: target.url,
      headers: { ...target.headers, 'Content-Type': 'application/json', 'User-Agent': USER_AGENT },
      body: jsonBody(teamsMessage(event)),
    });
    return delivery.ok ? { ok: true } : { ok: false, problem: delivery.problem };
  });
}
