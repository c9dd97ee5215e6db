/**
 * A self-contained HTML report (no scripts, no external assets; a Content-Security-Policy forbids both)
 * for GitLab artifacts and anyone without a markdown viewer. Pure: report in, HTML out; every string
 * from the report is escaped.
 */
import { rateSeries, type RateSeries } from './mermaid.ts';
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

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:80rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.facts{color:#57606a}figure{margin:1rem 0}figcaption{font-weight:600}
.canary{stroke:#cf222e;fill:none;stroke-width:2}.baseline{stroke:#0969da;fill:none;stroke-width:2}
.axis{stroke:#8c959f}.legend-canary{color:#cf222e}.legend-baseline{color:#0969da}`;

const CHART = { width: 640, height: 220, padLeft: 48, padBottom: 28, padTop: 10, padRight: 10 };

function svgChart(series: RateSeries): string {
  const { width, height, padLeft, padBottom, padTop, padRight } = CHART;
  const top = Math.max(...series.canary, ...series.baseline) || 1;
  const innerWidth = width - padLeft - padRight;
  const innerHeight = height - padTop - padBottom;
  const x = (index: number) =>
    padLeft +
    (series.labels.length === 1 ? innerWidth / 2 : (index * innerWidth) / (series.labels.length - 1));
  const y = (value: number) => padTop + innerHeight - (value / top) * innerHeight;
  const line = (values: number[], cls: string) =>
    `<polyline class="${cls}" points="${values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
  const first = series.labels[0] ?? '';
  const last = series.labels.at(-1) ?? '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(series.metric)} rate per poll">`,
    `<line class="axis" x1="${padLeft}" y1="${padTop}" x2="${padLeft}" y2="${padTop + innerHeight}"/>`,
    `<line class="axis" x1="${padLeft}" y1="${padTop + innerHeight}" x2="${width - padRight}" y2="${padTop + innerHeight}"/>`,
    `<text x="4" y="${padTop + 10}" font-size="11">${escapeHtml(Number(top.toPrecision(3)).toString())}%</text>`,
    `<text x="4" y="${padTop + innerHeight}" font-size="11">0%</text>`,
    `<text x="${padLeft}" y="${height - 8}" font-size="11">${escapeHtml(first)}</text>`,
    `<text x="${width - padRight}" y="${height - 8}" font-size="11" text-anchor="end">${escapeHtml(last)}</text>`,
    line(series.baseline, 'baseline'),
    line(series.canary, 'canary'),
    '</svg>',
  ].join('');
}

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows.map(
    (cells) => `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function linkList(links: ReportLinks): string {
  const items: string[] = [];
  const run = safeUrl(links.runUrl);
  if (run) items.push(`<a href="${escapeHtml(run)}">Run</a>`);
  const reportUrl = safeUrl(links.reportUrl);
  if (reportUrl) items.push(`<a href="${escapeHtml(reportUrl)}">Report</a>`);
  else if (links.reportPath) items.push(`Report: <code>${escapeHtml(links.reportPath)}</code>`);
  return items.length > 0 ? `<p>${items.join(' · ')}</p>` : '';
}

function sections(report: RenderableReport): string[] {
  const metrics = report.metrics ?? [];
  const out: string[] = [];
  if (report.steps && report.steps.length > 0) {
    out.push('<h2>Traffic steps</h2>');
    out.push(
      table(
        ['Traffic step', 'Verdict', 'Reason'],
        report.steps.map((step) => [
          `${step.weight}%`,
          `${verdictIcon(step.verdict)} ${step.verdict}`,
          step.reason,
        ]),
      ),
    );
  }
  if (metrics.length > 0) {
    out.push('<h2>Metrics</h2>');
    out.push(
      table(
        METRIC_COLUMNS.map((column) => column.title),
        metrics.map((metric) => {
          const row = metricRow(metric);
          return METRIC_COLUMNS.map(({ key }) => row[key]);
        }),
      ),
    );
  }
  const guards = report.guards ?? [];
  if (guards.length > 0) {
    out.push('<h2>Guards</h2>');
    out.push(
      table(
        ['Guard', 'State', 'Reason'],
        guards.map((guard) => [guard.name, guard.tripped ? '❌ tripped' : '✅ ok', guard.reason]),
      ),
    );
  }
  const notifications = notificationRows(report);
  if (notifications.length > 0) {
    out.push('<h2>Notifications</h2>');
    out.push(table(['Notification', 'Event', 'Result'], notifications));
  }
  const charts = metrics.flatMap((metric) => {
    const series = rateSeries(metric);
    return series
      ? [
          `<figure><figcaption>${escapeHtml(series.metric)}: rate per poll</figcaption>${svgChart(series)}</figure>`,
        ]
      : [];
  });
  if (charts.length > 0) {
    out.push('<h2>Canary vs baseline per poll</h2>');
    out.push(
      '<p><span class="legend-canary">━ canary</span> · <span class="legend-baseline">━ baseline</span></p>',
    );
    out.push(...charts);
  }
  const queries = metrics.flatMap((metric) =>
    Object.entries(metric.queries).map(
      ([key, query]) =>
        `<h3>${escapeHtml(metric.name)} · ${escapeHtml(key)}</h3><pre><code>${escapeHtml(query)}</code></pre>`,
    ),
  );
  if (queries.length > 0) out.push(`<details><summary>Queries sent</summary>${queries.join('')}</details>`);
  return out;
}

export function renderHtml(report: RenderableReport, links: ReportLinks = {}): string {
  const title = `Canary ${headline(report)}`;
  const facts = releaseFacts(report)
    .map(([name, value]) => `<strong>${escapeHtml(name)}:</strong> ${escapeHtml(value)}`)
    .join(' · ');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${verdictIcon(report.outcome ?? report.verdict)} ${escapeHtml(title)}</h1>`,
    `<p><strong>Reason:</strong> ${escapeHtml(report.reason)}</p>`,
    facts ? `<p class="facts">${facts}</p>` : '',
    linkList(links),
    ...sections(report),
    '</body></html>',
    '',
  ].join('\n');
}
