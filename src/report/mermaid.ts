import { formatDuration } from '../util/durations.ts';
import type { ReportMetric } from './view.ts';

/** Canary and baseline rate (in %) per poll, for the polls where both tracks had traffic. */
export interface RateSeries {
  metric: string;
  /** Elapsed time of each poll, e.g. "1m30s". */
  labels: string[];
  canary: number[];
  baseline: number[];
}

/** Charts beyond this many points are thinned evenly (the last poll is always kept). */
export const MAX_CHART_POINTS = 60;

const charted = (metric: ReportMetric) => metric.type === 'ratio' || metric.type === 'latency';

export function rateSeries(metric: ReportMetric): RateSeries | undefined {
  if (!charted(metric)) return undefined;
  const points = metric.trajectory.filter(
    (point) => Number.isFinite(point.canary) && Number.isFinite(point.baseline),
  );
  if (points.length === 0) return undefined;
  const stride = Math.ceil(points.length / MAX_CHART_POINTS);
  const kept = points.filter((_, index) => (points.length - 1 - index) % stride === 0);
  const percent = (rate: number | undefined) => Number(((rate ?? 0) * 100).toPrecision(4));
  return {
    metric: metric.name,
    labels: kept.map((point) => formatDuration(Math.round(point.t * 1000))),
    canary: kept.map((point) => percent(point.canary)),
    baseline: kept.map((point) => percent(point.baseline)),
  };
}

/** Mermaid quoted strings end at `"` and a fenced block ends at backticks: keep only plain characters. */
const plain = (text: string) => text.replace(/[^\p{L}\p{N} _.:/%()-]/gu, ' ').slice(0, 80);

/**
 * A Mermaid `xychart-beta` of canary vs baseline rate per poll (first line canary, second baseline:
 * xychart has no legend, so the caption says which is which).
 */
export function mermaidRateChart(series: RateSeries): string {
  const labels = series.labels.map((label) => `"${plain(label)}"`).join(', ');
  const top = Math.max(...series.canary, ...series.baseline);
  const yMax = top > 0 ? Number((top * 1.1).toPrecision(2)) : 1;
  return [
    'xychart-beta',
    `  title "${plain(series.metric)}: rate per poll (%)"`,
    `  x-axis "elapsed" [${labels}]`,
    `  y-axis "rate (%)" 0 --> ${yMax}`,
    `  line [${series.canary.join(', ')}]`,
    `  line [${series.baseline.join(', ')}]`,
  ].join('\n');
}
