/**
 * The traffic-share guard made blocking, on the benchmark's simulator: how often it trips in A/A runs (10-minute
 * analyses at the shipped settings) and how fast it catches a canary that gets 20 % instead of 50 % of the
 * requests. `tsx bench/judge/guard-check.ts [runs]`; the figures are quoted in README.md and bench/README.md.
 */
import { evaluate } from '../../src/analysis/judge.ts';
import type { Poll } from '../../src/analysis/types.ts';
import { CANARY_ACTION_DEFAULTS, judgeSpec } from './judges/canary-action.ts';
import { findScenario } from './scenarios.ts';
import { pollsFor, simulateRun } from './simulator.ts';

const runs = Number(process.argv[2] ?? 1000);
const spec = {
  ...judgeSpec({ ...CANARY_ACTION_DEFAULTS, maxDurationSeconds: 600 }),
  trafficShare: { expected: 0.5, tolerance: 0.15, blocking: true },
};
const tripped = (polls: Poll[]) =>
  evaluate(spec, polls).guards.find((g) => g.name === 'traffic-share')?.tripped;

for (const id of ['aa-sticky-10pct', 'aa-sticky-1000', 'aa-overdispersed-1000', 'aa', 'aa-split-45-55']) {
  const scenario = findScenario(id);
  let trips = 0;
  for (let run = 0; run < runs; run++)
    if (tripped(pollsFor(simulateRun(scenario, run, 600), 30, 600))) trips++;
  console.log(`${id}: tripped in ${trips}/${runs} A/A runs`);
}

const skewed = { ...findScenario('aa'), requestsPerSecond: { canary: 12.5, baseline: 50 } };
const times: number[] = [];
const trials = Math.min(runs, 300);
for (let run = 0; run < trials; run++) {
  const seen: Poll[] = [];
  for (const poll of pollsFor(simulateRun(skewed, run, 600), 30, 600)) {
    seen.push(poll);
    if (tripped(seen)) {
      times.push(poll.t);
      break;
    }
  }
}
times.sort((a, b) => a - b);
console.log(
  `canary at 20% of canary+baseline: caught in ${times.length}/${trials}, median ${times[Math.floor(times.length / 2)]} s`,
);
