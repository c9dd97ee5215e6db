import type { Decision, MetricResult } from '../analysis/types.ts';
import { formatDuration } from '../util/durations.ts';

/** Three significant digits, without trailing zeros after a decimal point (1.50 → 1.5, 300 stays 300). */
const significant = (value: number) => String(Number(value.toPrecision(3)));
const percent = (rate: number | undefined) => (rate === undefined ? '–' : `${significant(rate * 100)}%`);
const number = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '–' : !Number.isFinite(value) ? '∞' : significant(value);

function describeMetric(m: MetricResult): string {
  let values: string;
  if (m.kind === 'threshold') {
    values = `${number(m.canary.value)}${m.failures ? ` (${m.failures} failed)` : ''}`;
  } else if (m.kind === 'gauge') {
    values = `${number(m.canary.value)} vs ${number(m.baseline.value)}`;
  } else {
    values = `${percent(m.canary.rate)} vs ${percent(m.baseline.rate)}`;
  }
  const ratio =
    m.estimate === undefined || m.kind === 'threshold'
      ? ''
      : Number.isNaN(m.estimate)
        ? ' ratio n/a' // a track without data: no ratio, and its bounds say nothing
        : ` ×${number(m.estimate)}${m.bounds ? ` [${number(m.bounds[0])}, ${number(m.bounds[1])}]` : ''}`;
  const evidence = m.kind === 'threshold' ? '' : ` e=${number(m.evidence)}/${number(m.threshold)}`;
  return `${m.name} ${values}${ratio}${evidence} ${m.verdict}`;
}

/** One line per poll: elapsed/max, each metric's canary vs baseline, evidence and status. */
export function progressLine(decision: Decision, elapsedMs: number, maxMs: number): string {
  const metrics = decision.metrics.map(describeMetric).join(' | ');
  const tripped = decision.guards.filter((g) => g.tripped).map((g) => ` | guard ${g.name} tripped`);
  return `[${formatDuration(elapsedMs)}/${formatDuration(maxMs)}] ${metrics}${tripped.join('')} → ${decision.verdict}`;
}
