/**
 * How a release event reads in a chat message or an annotation, shared by the Slack, Teams and Grafana
 * renderers so that the three say the same thing. Numbers follow the reports (src/report/view.ts): three
 * significant digits, ∞ for an unbounded side.
 */
import { formatCount, formatNumber, formatPercent, safeUrl } from '../report/view.ts';
import { formatDuration } from '../util/durations.ts';
import type { MetricOutcome, NotifyEventName, ReleaseEvent } from './types.ts';

export const EVENT_ICONS: Record<NotifyEventName, string> = {
  started: '🚀',
  step: '✅',
  failed: '❌',
  'rolled-back': '↩️',
  promoted: '✅',
  held: '⏸️',
  inconclusive: '⚠️',
};

const METRIC_ICONS: Record<string, string> = {
  pass: '✅',
  fail: '❌',
  inconclusive: '⚠️',
  running: '⏳',
  nodata: '∅',
};

/** "web: promoted", "web: step 1 of 2 (10%) passed". */
export function headline(event: ReleaseEvent): string {
  const what: Record<NotifyEventName, string> = {
    started: 'canary started',
    step: event.step
      ? `step ${event.step.number}${event.step.count ? ` of ${event.step.count}` : ''} (${event.step.weight}%) passed`
      : 'step passed',
    failed: 'canary failed',
    'rolled-back': 'rolled back',
    promoted: 'promoted',
    held: 'held for a manual decision',
    inconclusive: 'inconclusive, rolled back',
  };
  return `${event.workload}: ${what[event.event]}`;
}

export const title = (event: ReleaseEvent) => `${EVENT_ICONS[event.event]} ${headline(event)}`;

/** "4m12s" from the release's start to this event; undefined when the times do not parse. */
export function elapsed(event: ReleaseEvent): string | undefined {
  const ms = Date.parse(event.time) - Date.parse(event.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(Math.round(ms / 1000) * 1000) : undefined;
}

/** Facts about the release, in the order shown; absent ones left out. */
export function releaseFacts(event: ReleaseEvent): Array<[string, string]> {
  const facts: Array<[string, string | null | undefined]> = [
    ['Workload', `deployment/${event.workload}`],
    ['Namespace', event.namespace],
    ['Image', event.image],
    ['Digest', event.digest],
    ['Revision', event.revision],
    ['Verdict', event.verdict],
    ['Phase', event.phase],
    ['Run', event.runId],
    ['Started', event.startedAt],
    ['Decided', event.decidedAt ? `${event.decidedAt}${elapsedSuffix(event)}` : null],
  ];
  return facts.filter((fact): fact is [string, string] => !!fact[1]);
}

function elapsedSuffix(event: ReleaseEvent): string {
  const took = elapsed(event);
  return took ? ` (after ${took})` : '';
}

export interface MetricCells {
  name: string;
  /** The metric's verdict, plain (a monospaced table cannot align emoji). */
  verdict: string;
  canary: string;
  baseline: string;
  ratio: string;
  bound: string;
}

export const METRIC_HEADERS: MetricCells = {
  name: 'Metric',
  verdict: 'Verdict',
  canary: 'Canary',
  baseline: 'Baseline',
  ratio: 'Ratio [bounds]',
  bound: 'Bound',
};

function observed(metric: MetricOutcome, track: 'canary' | 'baseline'): string {
  const summary = metric[track];
  if (metric.type === 'ratio' || metric.type === 'latency') {
    if (summary.rate === undefined && summary.total === undefined) return '–';
    // increase() extrapolates: counts are rarely whole (read as the reports read them).
    const counts =
      summary.total === undefined ? '' : ` (${formatCount(summary.bad ?? 0)}/${formatCount(summary.total)})`;
    return `${formatPercent(summary.rate)}${counts}`;
  }
  if (metric.type === 'threshold' && track === 'baseline') return '–';
  return summary.value === undefined ? '–' : formatNumber(summary.value);
}

/** Whether both tracks had data, so that canary ÷ baseline could be computed at all. */
function bothTracksHadData(metric: MetricOutcome): boolean {
  if (metric.type === 'gauge')
    return metric.canary.value !== undefined && metric.baseline.value !== undefined;
  return metric.canary.rate !== undefined && metric.baseline.rate !== undefined;
}

function ratio(metric: MetricOutcome): string {
  if (metric.type === 'threshold') return '–';
  // As in the reports: null is "unbounded" or "not computed"; without data on both tracks there is no ratio
  // and its bounds ([0, ∞]) say nothing.
  if (metric.estimate === null && (metric.bounds === null || !bothTracksHadData(metric))) return 'n/a';
  const bounds = metric.bounds
    ? ` [${formatNumber(metric.bounds[0])}, ${formatNumber(metric.bounds[1])}]`
    : '';
  return `×${formatNumber(metric.estimate)}${bounds}`;
}

/** What the metric is held to: `≤ 1.5` (`≤ 1.62 (tolerance 1.5)` after the pod-noise floor), or min/max. */
function bound(metric: MetricOutcome): string {
  if (metric.type === 'threshold') {
    if (metric.min !== null && metric.max !== null)
      return `${formatNumber(metric.min)} … ${formatNumber(metric.max)}`;
    if (metric.min !== null) return `≥ ${formatNumber(metric.min)}`;
    if (metric.max !== null) return `≤ ${formatNumber(metric.max)}`;
    return '–';
  }
  const tolerance = metric.tolerance;
  const effective = metric.effectiveTolerance;
  if (effective !== null && tolerance !== null && Math.abs(effective - tolerance) > 1e-9) {
    return `≤ ${formatNumber(effective)} (tolerance ${formatNumber(tolerance)})`;
  }
  const value = effective ?? tolerance;
  return value === null ? '–' : `≤ ${formatNumber(value)}`;
}

export const metricIcon = (metric: MetricOutcome) => METRIC_ICONS[metric.verdict] ?? '•';

export function metricCells(metric: MetricOutcome): MetricCells {
  return {
    name: `${metric.name}${metric.blocking ? '' : ' (advisory)'}`,
    verdict: metric.verdict,
    canary: observed(metric, 'canary'),
    baseline: observed(metric, 'baseline'),
    ratio: ratio(metric),
    bound: bound(metric),
  };
}

/** One line per metric, for plain-text surfaces (a Grafana annotation). */
export function metricLine(metric: MetricOutcome): string {
  const cells = metricCells(metric);
  const arms = metric.type === 'threshold' ? cells.canary : `${cells.canary} vs ${cells.baseline}`;
  const ratioPart = cells.ratio === '–' ? '' : `, ratio ${cells.ratio}`;
  const boundPart = cells.bound === '–' ? '' : `, bound ${cells.bound}`;
  return `${metricIcon(metric)} ${cells.name} ${cells.verdict}: ${arms}${ratioPart}${boundPart}`;
}

/** Cuts text to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The job and report links that are absolute http(s) URLs. */
export function links(event: ReleaseEvent): Array<{ title: string; url: string }> {
  const out: Array<{ title: string; url: string }> = [];
  const job = safeUrl(event.links.job ?? undefined);
  const report = safeUrl(event.links.report ?? undefined);
  if (job) out.push({ title: 'CI job', url: job });
  if (report) out.push({ title: 'Report', url: report });
  return out;
}

/** Space-padded columns, for a monospaced block. */
export function textTable(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
      )
      .join('  ')
      .trimEnd(),
  );
}
