/**
 * What a release does next, as pure functions of what it knows: after each step's analysis (go on, hold
 * or roll back) and after the last step (promote, hold, or roll back an A/A run). No I/O: the step loop in
 * run-pipeline.ts carries the decisions out.
 */
import type { InconclusivePolicy, Verdict } from '../analysis/types.ts';
import { outcomeOf } from '../report/json.ts';

/** How a release ends. */
export type FinalMove =
  | { move: 'hold'; reason: string }
  | { move: 'roll-back'; exitCode: number; reason: string }
  | { move: 'promote'; reason: string };

export type NextMove = { move: 'next' } | FinalMove;

/** After one step's analysis: the next step on a pass, else hold or roll back as onInconclusive says. */
export function afterStep(options: {
  verdict: Verdict;
  reason: string;
  policy: InconclusivePolicy;
  aa: boolean;
}): NextMove {
  const { verdict, reason } = options;
  const { outcome, exitCode } = outcomeOf(verdict, options.policy);
  if (outcome === 'held')
    return { move: 'hold', reason: `inconclusive, held by onInconclusive: hold — ${reason}` };
  if (exitCode !== 0) {
    const prefix = options.aa ? 'A/A run (a fail here is a false alarm): ' : '';
    return { move: 'roll-back', exitCode, reason: `${prefix}${verdict}: ${reason}` };
  }
  return { move: 'next' };
}

/** After every step passed: an A/A run rolls back, --hold holds, anything else is promoted. */
export function afterSteps(options: {
  aa: boolean;
  hold: boolean;
  workload: string;
  image: string;
}): FinalMove {
  if (options.aa)
    return { move: 'roll-back', exitCode: 0, reason: 'A/A run passed: no false alarm; nothing was promoted' };
  if (options.hold) return { move: 'hold', reason: 'passed; held by --hold for a manual promote' };
  return {
    move: 'promote',
    reason: `every step passed; deployment/${options.workload} runs ${options.image}`,
  };
}
