/**
 * The GitHub job summary (and GitLab markdown artifact): verdict and reason first, one row per metric,
 * a Mermaid chart of canary vs baseline per ratio/latency metric, links, then the exact queries.
 * Pure: report in, markdown out. Every string from the report is escaped, so a metric name or a query
 * cannot break a table, close a code fence or inject HTML.
 */
import { mermaidRateChart, rateSeries } from './mermaid.ts';
import {
  headline,
  METRIC_COLUMNS,
  metricRow,
  notificationRows,
  releaseFacts,
  safeUrl,
  verdictIcon,
  type RenderableReport,
  type ReportLinks,
} from './view.ts';

/** Inline text: HTML characters as entities, markdown punctuation backslash-escaped, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (character) => `\\${character}`)
    .replace(/\r?\n|\r/g, ' ');
}

/** A fenced code block whose fence is longer than any backtick run in the content (CommonMark). */
export function fencedBlock(content: string, language = ''): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function metricsTable(report: RenderableReport): string | undefined {
  const metrics = report.metrics ?? [];
  if (metrics.length === 0) return undefined;
  const rows = metrics.map((metric) => {
    const row = metricRow(metric);
    return METRIC_COLUMNS.map(({ key }) => escapeMarkdown(row[key]));
  });
  return table(
    METRIC_COLUMNS.map((column) => column.title),
    rows,
  );
}

function stepsTable(report: RenderableReport): string | undefined {
  if (!report.steps || report.steps.length === 0) return undefined;
  return table(
    ['Traffic step', 'Verdict', 'Reason'],
    report.steps.map((step) => [
      `${step.weight}%`,
      `${verdictIcon(step.verdict)} ${escapeMarkdown(step.verdict)}`,
      escapeMarkdown(step.reason),
    ]),
  );
}

function notificationsTable(report: RenderableReport): string | undefined {
  const rows = notificationRows(report);
  if (rows.length === 0) return undefined;
  return table(
    ['Notification', 'Event', 'Result'],
    rows.map((row) => row.map(escapeMarkdown)),
  );
}

function guardsList(report: RenderableReport): string | undefined {
  const guards = report.guards ?? [];
  if (guards.length === 0) return undefined;
  const lines = guards.map(
    (guard) =>
      `- ${guard.tripped ? '❌ tripped' : '✅ ok'}: **${escapeMarkdown(guard.name)}** — ${escapeMarkdown(guard.reason)}`,
  );
  return ['**Guards**', '', ...lines].join('\n');
}

function charts(report: RenderableReport): string | undefined {
  const blocks = (report.metrics ?? []).flatMap((metric) => {
    const series = rateSeries(metric);
    return series ? [fencedBlock(mermaidRateChart(series), 'mermaid')] : [];
  });
  if (blocks.length === 0) return undefined;
  return ['### Canary vs baseline per poll', '_First line: canary; second line: baseline._', ...blocks].join(
    '\n\n',
  );
}

function links(links: ReportLinks): string | undefined {
  const parts: string[] = [];
  // safeUrl returns the WHATWG-serialised href, in which spaces, `<`, `>` and backticks are percent-encoded.
  const link = (title: string, url: string) => `[${title}](<${url}>)`;
  const run = safeUrl(links.runUrl);
  if (run) parts.push(link('Run', run));
  const reportUrl = safeUrl(links.reportUrl);
  if (reportUrl) parts.push(link('Report', reportUrl));
  else if (links.reportPath) parts.push(`Report: ${fencedInline(links.reportPath)}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** Inline code that survives backticks in its content. */
function fencedInline(text: string): string {
  const single = text.replace(/\r?\n|\r/g, ' ');
  const longestRun = Math.max(0, ...(single.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence} ${single} ${fence}`;
}

function queries(report: RenderableReport): string | undefined {
  const sections = (report.metrics ?? []).flatMap((metric) =>
    Object.entries(metric.queries).map(
      ([key, query]) =>
        `**${escapeMarkdown(metric.name)}** · ${escapeMarkdown(key)}\n\n${fencedBlock(query)}`,
    ),
  );
  if (sections.length === 0) return undefined;
  return [
    '<details>',
    '<summary>Queries sent</summary>',
    '',
    ...sections.join('\n\n').split('\n'),
    '',
    '</details>',
  ].join('\n');
}

/** The job summary for a finished (or held) canary. */
export function renderMarkdown(report: RenderableReport, reportLinks: ReportLinks = {}): string {
  const icon = verdictIcon(report.outcome ?? report.verdict);
  const facts = releaseFacts(report).map(([name, value]) => `**${name}:** ${escapeMarkdown(value)}`);
  const parts = [
    `## ${icon} Canary ${escapeMarkdown(headline(report))}`,
    `**Reason:** ${escapeMarkdown(report.reason)}`,
    facts.length > 0 ? facts.join(' · ') : undefined,
    links(reportLinks),
    stepsTable(report),
    metricsTable(report),
    guardsList(report),
    notificationsTable(report),
    charts(report),
    queries(report),
  ];
  return `${parts.filter((part): part is string => part !== undefined).join('\n\n')}\n`;
}
