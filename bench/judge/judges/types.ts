import type { Poll, Verdict } from '../../../src/analysis/types.ts';

export interface Outcome {
  verdict: Verdict;
  /** Simulated seconds since the analysis started at which the judge decided. */
  t: number;
  reason: string;
}

/** A judge as the benchmark drives it: it sees the polls one at a time, as a live loop would. */
export interface BenchJudge {
  id: string;
  /** One line describing exactly how the judge is configured, for the report. */
  configuration: string;
  intervalSeconds: number;
  /** How much simulated time the judge may need; its polls are generated up to here. */
  horizonSeconds: number;
  decide(polls: readonly Poll[]): Outcome;
  /**
   * Traffic multiplier of each release step after the first (a judge that walks a release's steps): the runner
   * simulates each step on its own streams and calls `decideRelease` instead of `decide`.
   */
  stepTraffic?: readonly number[];
  decideRelease?(pollsOfStep: (step: number) => Poll[]): Outcome;
}
