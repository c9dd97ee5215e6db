import type { RunOutcome } from './runner.ts';
import { findScenario, type ScenarioKind } from './scenarios.ts';
import { quantile, wilson, type Interval } from './stats.ts';

export interface ResultRow {
  judge: string;
  scenario: string;
  kind: ScenarioKind;
  runs: number;
  /** Share of runs the judge failed, on regression scenarios (null elsewhere). */
  detectRate: number | null;
  detectRateCI: Interval | null;
  /** Share of runs the judge failed, on A/A and improvement scenarios (null elsewhere). */
  falsePositiveRate: number | null;
  falsePositiveRateCI: Interval | null;
  passRate: number;
  passRateCI: Interval;
  inconclusiveRate: number;
  inconclusiveRateCI: Interval;
  /** Over all runs: the simulated time at which the judge returned its verdict. */
  medianTimeToDecisionSec: number | null;
  p90TimeToDecisionSec: number | null;
  /** Over failed runs only. */
  medianTimeToFailSec: number | null;
  /**
   * Regressions: the time by which half of all runs were detected (undetected runs count as never), null when
   * fewer than half were. Unlike the median over failed runs, a judge that catches few runs cannot look fast.
   */
  medianTimeToDetectSec: number | null;
}

export function summarise(outcomes: readonly RunOutcome[]): ResultRow[] {
  const groups = new Map<string, RunOutcome[]>();
  for (const outcome of outcomes) {
    const key = `${outcome.judge}\u0000${outcome.scenario}`;
    const group = groups.get(key) ?? [];
    group.push(outcome);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as RunOutcome;
    const kind = findScenario(first.scenario).kind;
    const n = group.length;
    const count = (verdict: string) => group.filter((o) => o.verdict === verdict).length;
    const fails = count('fail');
    const failRate = fails / n;
    const regression = kind === 'regression';
    const times = group.map((o) => o.t);
    const failTimes = group.filter((o) => o.verdict === 'fail').map((o) => o.t);
    return {
      judge: first.judge,
      scenario: first.scenario,
      kind,
      runs: n,
      detectRate: regression ? failRate : null,
      detectRateCI: regression ? wilson(fails, n) : null,
      falsePositiveRate: regression ? null : failRate,
      falsePositiveRateCI: regression ? null : wilson(fails, n),
      passRate: count('pass') / n,
      passRateCI: wilson(count('pass'), n),
      inconclusiveRate: count('inconclusive') / n,
      inconclusiveRateCI: wilson(count('inconclusive'), n),
      medianTimeToDecisionSec: quantile(times, 0.5),
      p90TimeToDecisionSec: quantile(times, 0.9),
      medianTimeToFailSec: quantile(failTimes, 0.5),
      medianTimeToDetectSec: regression ? survivalMedian(failTimes, n) : null,
    };
  });
}

/** The time by which half of `runs` runs had failed, from the failed runs' times (null: fewer than half failed). */
export function survivalMedian(failTimes: readonly number[], runs: number): number | null {
  const half = Math.ceil(runs / 2);
  if (failTimes.length < half || runs === 0) return null;
  return [...failTimes].sort((a, b) => a - b)[half - 1] ?? null;
}

const percent = (x: number | null) => (x === null ? '' : `${(100 * x).toFixed(1)}%`);
const interval = (ci: Interval | null) =>
  ci === null ? '' : `[${(100 * ci.low).toFixed(1)}, ${(100 * ci.high).toFixed(1)}]`;
const seconds = (x: number | null) => (x === null ? '–' : `${Math.round(x)}`);

/** A markdown table: one row per scenario and judge, in the order given. */
export function formatTable(rows: readonly ResultRow[]): string {
  const header = [
    'scenario',
    'judge',
    'runs',
    'fail rate (95% CI)',
    'pass',
    'inconcl.',
    'median t (s)',
    'p90 t (s)',
    'median t fail (s)',
    'median t detect (s)',
  ];
  const lines = rows.map((r) => {
    const failRate = r.detectRate ?? r.falsePositiveRate;
    const ci = r.detectRateCI ?? r.falsePositiveRateCI;
    const label = r.kind === 'regression' ? 'detect' : 'FP';
    return [
      r.scenario,
      r.judge,
      String(r.runs),
      `${label} ${percent(failRate)} ${interval(ci)}`,
      percent(r.passRate),
      percent(r.inconclusiveRate),
      seconds(r.medianTimeToDecisionSec),
      seconds(r.p90TimeToDecisionSec),
      seconds(r.medianTimeToFailSec),
      seconds(r.medianTimeToDetectSec),
    ];
  });
  const table = [header, header.map(() => '---'), ...lines];
  return table.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export interface TargetCheck {
  target: string;
  met: boolean;
  measured: string;
}

/** Detection targets of issue 10 at the shipped defaults: scenario → share of runs that must fail. */
const DETECTION_TARGETS: Record<string, number> = {
  'errors-x3-20rps': 0.95,
  'errors-x2-overdispersed-200': 0.9,
  'latency-x1.15-overdispersed-200': 0.9,
};

const detectTime = (r: ResultRow) =>
  r.medianTimeToDetectSec === null ? 'never (< 50% detected)' : `${seconds(r.medianTimeToDetectSec)} s`;

/** Issue 10's targets for our judge, checked against the measured rows. */
export function checkTargets(rows: readonly ResultRow[], judge = 'canary-action'): TargetCheck[] {
  const ours = rows.filter((r) => r.judge === judge);
  const checks: TargetCheck[] = [];
  for (const r of ours.filter((row) => row.kind === 'aa')) {
    const fp = r.falsePositiveRate ?? 0;
    const high = r.falsePositiveRateCI?.high ?? 1;
    checks.push({
      target: `${r.scenario}: false alarms ≤ 1% and 95% upper bound ≤ 1.5%`,
      met: fp <= 0.01 && high <= 0.015,
      measured: `${percent(fp)} ${interval(r.falsePositiveRateCI)} over ${r.runs} runs`,
    });
  }
  for (const r of ours.filter((row) => row.scenario in DETECTION_TARGETS)) {
    const target = DETECTION_TARGETS[r.scenario]!;
    checks.push({
      target: `${r.scenario}: detected in ≥ ${percent(target)} of runs`,
      met: (r.detectRate ?? 0) >= target,
      measured: `detect ${percent(r.detectRate)} ${interval(r.detectRateCI)}`,
    });
  }
  for (const r of ours.filter((row) => row.kind === 'regression')) {
    const others = rows.filter((o) => o.scenario === r.scenario && !o.judge.startsWith('canary-action'));
    if (others.length === 0) continue;
    const mine = r.medianTimeToDetectSec ?? Infinity;
    checks.push({
      target: `${r.scenario}: median time to detect (half of all runs) below every reference judge`,
      met: others.every((o) => mine < (o.medianTimeToDetectSec ?? Infinity)),
      measured: `ours ${detectTime(r)} vs ${others.map((o) => `${o.judge} ${detectTime(o)}`).join(', ')}`,
    });
  }
  const improvement = ours.find((r) => r.scenario === 'improvement');
  if (improvement) {
    checks.push({
      target: 'improvement: no failure',
      met: (improvement.falsePositiveRate ?? 1) === 0,
      measured: `fail ${percent(improvement.falsePositiveRate)} over ${improvement.runs} runs`,
    });
  }
  return checks.map((c) => ({ ...c, target: `${judge} ${c.target}` }));
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.met ? 'MET ' : 'MISS'}  ${c.target} — ${c.measured}`).join('\n');
}
