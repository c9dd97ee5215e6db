/**
 * The README's results tables from a results file: `tsx bench/judge/matrix.ts bench/results/full.json`.
 * One row per scenario, one column per judge: fail rate with its 95 % Wilson interval, then the median time to
 * detect (regressions: when half of all runs were caught) or to decide (A/A), and the inconclusive share when
 * it is not negligible.
 */
import { readFileSync } from 'node:fs';
import type { ResultRow } from './report.ts';

interface ResultsFile {
  command: string;
  elapsedSeconds: number;
  results: ResultRow[];
  scenarios: Array<{ id: string; runs: number; kind: string }>;
}

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/judge/matrix.ts RESULTS.json [judge,judge,…]');
const data = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
const judges = (process.argv[3] ?? 'canary-action,canary-action-30m,flagger,argo,kayenta').split(',');

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function cell(row: ResultRow | undefined): string {
  if (!row) return '';
  const rate = row.detectRate ?? row.falsePositiveRate ?? 0;
  const ci = row.detectRateCI ?? row.falsePositiveRateCI;
  const interval = ci ? ` [${(100 * ci.low).toFixed(1)}, ${(100 * ci.high).toFixed(1)}]` : '';
  const time =
    row.kind === 'regression'
      ? row.medianTimeToDetectSec === null
        ? 'never'
        : `${Math.round(row.medianTimeToDetectSec)} s`
      : `${Math.round(row.medianTimeToDecisionSec ?? 0)} s`;
  const inconclusive = row.inconclusiveRate >= 0.05 ? ` (inconcl. ${pct(row.inconclusiveRate)})` : '';
  return `${pct(rate)}${interval} · ${time}${inconclusive}`;
}

const header = ['scenario', 'runs', 'what', ...judges];
const lines = data.scenarios.map((scenario) => {
  const rows = judges.map((judge) =>
    data.results.find((r) => r.judge === judge && r.scenario === scenario.id),
  );
  const what = scenario.kind === 'regression' ? 'detected' : 'false alarms';
  return [`\`${scenario.id}\``, String(scenario.runs), what, ...rows.map(cell)];
});
console.log(
  [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n'),
);
console.log(`\n${data.command} — ${Math.round(data.elapsedSeconds)} s`);
