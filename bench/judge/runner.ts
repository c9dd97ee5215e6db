import type { Verdict } from '../../src/analysis/types.ts';
import type { BenchJudge } from './judges/types.ts';
import type { Scenario } from './scenarios.ts';
import { pollsFor, simulateRun } from './simulator.ts';

export interface RunOutcome {
  judge: string;
  scenario: string;
  run: number;
  verdict: Verdict;
  t: number;
}

/** Simulates each run once and lets every judge decide on the same underlying traffic (paired comparison). */
export function runScenario(
  scenario: Scenario,
  judges: readonly BenchJudge[],
  runs: Iterable<number>,
): RunOutcome[] {
  const horizon = Math.max(...judges.map((j) => j.horizonSeconds));
  const outcomes: RunOutcome[] = [];
  for (const run of runs) {
    const simulated = simulateRun(scenario, run, horizon);
    for (const judge of judges) {
      const outcome = judge.decide(pollsFor(simulated, judge.intervalSeconds, judge.horizonSeconds));
      outcomes.push({ judge: judge.id, scenario: scenario.id, run, verdict: outcome.verdict, t: outcome.t });
    }
  }
  return outcomes;
}
