import type { Verdict } from '../../src/analysis/types.ts';
import type { BenchJudge } from './judges/types.ts';
import { BACKGROUND, type Scenario } from './scenarios.ts';
import { pollsFor, simulateRun, type SimulatedRun } from './simulator.ts';

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
    const later = new Map<string, SimulatedRun>();
    for (const judge of judges) {
      const pollsOfStep = (step: number) => {
        if (step === 0) return pollsFor(simulated, judge.intervalSeconds, judge.horizonSeconds);
        const trafficMultiplier = judge.stepTraffic?.[step] ?? 1;
        const key = `${step}:${trafficMultiplier}`;
        let stepRun = later.get(key);
        if (!stepRun) {
          stepRun = simulateRun(scenario, run, horizon, BACKGROUND, { step, trafficMultiplier });
          later.set(key, stepRun);
        }
        return pollsFor(stepRun, judge.intervalSeconds, judge.horizonSeconds);
      };
      const outcome = judge.decideRelease ? judge.decideRelease(pollsOfStep) : judge.decide(pollsOfStep(0));
      outcomes.push({ judge: judge.id, scenario: scenario.id, run, verdict: outcome.verdict, t: outcome.t });
    }
  }
  return outcomes;
}
