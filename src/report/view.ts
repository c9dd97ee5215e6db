/**
 * What the markdown and HTML reports show, as plain strings: one place decides how a report's numbers
 * read (three significant digits, ∞ for unbounded values, which JSON writes as null).
 */
import type { AnalysisReport } from './json.ts';

export type ReportMetric = AnalysisReport['metrics'][number];

/** The analysis report, or the release report that extends it (every analysis field optional). */
export interface RenderableReport {
  schemaVersion?: number;
  verdict?: AnalysisReport['verdict'];
  reason: string;
  /** analysis: passed | failed | inconclusive | held; release: promoted | rolled-back | held | deployed | … */
  outcome?: string;
  exitCode?: number;
  startedAt?: string;
  decidedAt?: string;
  polls?: number;
  metrics?: ReportMetric[];
  guards?: AnalysisReport['guards'];
  canary?: string;
  image?: string;
  digest?: string | null;
  phase?: string;
  revision?: string;
  runId?: string;
  steps?: Array<{ weight: number; verdict: string; reason: string }>;
  /** Notification deliveries (release reports with `notify:` targets). */
  notifications?: Array<{ target: string; event: string; ok: boolean; warning?: string }>;
}

/** One row per notification delivery: target, event, and "sent" or the warning. */
export function notificationRows(report: RenderableReport): string[][] {
  return (report.notifications ?? []).map((n) => [
    n.target,
    n.event,
    n.ok && !n.warning ? '✅ sent' : `⚠️ ${n.warning ?? 'not delivered'}`,
  ]);
}

export interface ReportLinks {
  /** The CI run (GitHub: server/repo/actions/runs/id; GitLab: CI_JOB_URL). */
  runUrl?: string;
  /** Where the report file can be downloaded, when known (an artifact URL). */
  reportUrl?: string;
  /** The report file's path in the job, shown when there is no URL. */
  reportPath?: string;
}

const significant = (value: number) => String(Number(value.toPrecision(3)));

/** A number for people: three significant digits; null (JSON's unbounded) and ±Infinity read ∞. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null) return '∞';
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return significant(value);
}

/**
 * An event count for people: counts from Prometheus' increase() are extrapolated, so rarely whole;
 * whole events from 10 up, two significant digits below (621.93… → 622, 0.4138… → 0.41).
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 10 ? String(Math.round(value)) : String(Number(value.toPrecision(2)));
}

export const formatPercent = (rate: number | undefined) =>
  rate === undefined || !Number.isFinite(rate) ? '–' : `${significant(rate * 100)}%`;

const VERDICT_ICONS: Record<string, string> = {
  pass: '✅',
  passed: '✅',
  promoted: '✅',
  fail: '❌',
  failed: '❌',
  'rolled-back': '↩️',
  inconclusive: '⚠️',
  held: '⏸️',
  deployed: '🚀',
  planned: '📝',
  running: '⏳',
  nodata: '∅',
};

export const verdictIcon = (verdict: string | undefined) => (verdict && VERDICT_ICONS[verdict]) || '•';

/** The headline: what happened, e.g. "rolled-back (verdict fail)". */
export function headline(report: RenderableReport): string {
  const outcome = report.outcome ?? report.verdict ?? 'unknown';
  const verdict = report.verdict && report.verdict !== outcome ? ` (verdict ${report.verdict})` : '';
  return `${outcome}${verdict}`;
}

function trackValue(metric: ReportMetric, track: 'canary' | 'baseline'): string {
  const summary = metric[track];
  if (metric.type === 'ratio' || metric.type === 'latency') {
    if (summary.rate === undefined && summary.total === undefined) return '–';
    const counts =
      summary.total === undefined ? '' : ` (${formatCount(summary.bad ?? 0)}/${formatCount(summary.total)})`;
    return `${formatPercent(summary.rate)}${counts}`;
  }
  if (metric.type === 'threshold' && track === 'baseline') return '–';
  return formatNumber(summary.value);
}

/** Whether both tracks had data, so that canary ÷ baseline could be computed at all. */
function bothTracksHadData(metric: ReportMetric): boolean {
  if (metric.type === 'gauge')
    return metric.canary.value !== undefined && metric.baseline.value !== undefined;
  return metric.canary.rate !== undefined && metric.baseline.rate !== undefined;
}

function ratioValue(metric: ReportMetric): string {
  if (metric.type === 'threshold') return '–';
  // buildReport writes both "unbounded" and "not computed" as null; only a metric with data can be
  // unbounded. Without data there is no ratio, and its bounds ([0, ∞]) say nothing: n/a, as the reason says.
  if (metric.estimate === null && (metric.samples === 0 || !bothTracksHadData(metric))) return 'n/a';
  const estimate = formatNumber(metric.estimate);
  const bounds = metric.bounds
    ? ` [${formatNumber(metric.bounds[0])}, ${formatNumber(metric.bounds[1])}]`
    : '';
  return `×${estimate}${bounds}`;
}

function evidenceValue(metric: ReportMetric): string {
  if (metric.type === 'threshold')
    return `${metric.failures ?? 0} failed / limit ${formatNumber(metric.threshold)}`;
  return `${formatNumber(metric.evidence)} / ${formatNumber(metric.threshold)}`;
}

export interface MetricRow {
  name: string;
  kind: string;
  canary: string;
  baseline: string;
  ratio: string;
  evidence: string;
  verdict: string;
  reason: string;
}

export const METRIC_COLUMNS: ReadonlyArray<{ key: keyof MetricRow; title: string }> = [
  { key: 'name', title: 'Metric' },
  { key: 'kind', title: 'Kind' },
  { key: 'canary', title: 'Canary' },
  { key: 'baseline', title: 'Baseline' },
  { key: 'ratio', title: 'Ratio [bounds]' },
  { key: 'evidence', title: 'Evidence / threshold' },
  { key: 'verdict', title: 'Verdict' },
  { key: 'reason', title: 'Reason' },
];

export function metricRow(metric: ReportMetric): MetricRow {
  return {
    name: metric.name,
    kind: `${metric.type}${metric.blocking ? '' : ' (advisory)'}`,
    canary: trackValue(metric, 'canary'),
    baseline: trackValue(metric, 'baseline'),
    ratio: ratioValue(metric),
    evidence: evidenceValue(metric),
    verdict: `${verdictIcon(metric.verdict)} ${metric.verdict}`,
    reason: metric.reason,
  };
}

/** Facts about the release, in the order they are shown; absent ones are left out. */
export function releaseFacts(report: RenderableReport): Array<[string, string]> {
  const facts: Array<[string, string | undefined]> = [
    ['Canary', report.canary],
    ['Image', report.image],
    ['Digest', report.digest ?? undefined],
    ['Revision', report.revision],
    ['Phase', report.phase],
    ['Run id', report.runId],
    ['Polls', report.polls === undefined ? undefined : String(report.polls)],
    ['Started', report.startedAt],
    ['Decided', report.decidedAt],
    ['Exit code', report.exitCode === undefined ? undefined : String(report.exitCode)],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== undefined && fact[1] !== '');
}

/** Only absolute http(s) URLs become links; anything else is shown as text. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
