import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Decision, JudgeSpec, Poll } from '../../../src/analysis/types.ts';
import { BUILT_IN_TEMPLATES } from '../../../src/config/templates.ts';
import { ERRORS_METRIC, LATENCY_METRIC } from '../simulator.ts';
import type { BenchJudge, Outcome } from './types.ts';

export type Evaluate = (spec: JudgeSpec, polls: Poll[]) => Decision;

export interface CanaryActionSettings {
  intervalSeconds: number;
  alpha: number;
  errorsTolerance: number;
  latencyTolerance: number;
  minDurationSeconds: number;
  maxDurationSeconds: number;
  /** Traffic steps of the release (percent); each later step sends proportionally more traffic to both arms. */
  steps: readonly number[];
}

function templateTolerance(template: string): number {
  const tolerance = BUILT_IN_TEMPLATES[template]?.metric.tolerance;
  if (typeof tolerance !== 'number') throw new Error(`metrics template ${template} has no default tolerance`);
  return tolerance;
}

/**
 * The shipped defaults (config `analysis:` and `traffic:` sections; tolerances of the built-in `http-error-rate`
 * and `http-latency` templates, read from the template table): a release through steps 10 % and 50 %, each step
 * analysed for at most 10 minutes, evidence and alpha carried across the steps.
 */
export const CANARY_ACTION_DEFAULTS: CanaryActionSettings = {
  intervalSeconds: 30,
  alpha: 0.01,
  errorsTolerance: templateTolerance('http-error-rate'),
  latencyTolerance: templateTolerance('http-latency'),
  minDurationSeconds: 120,
  maxDurationSeconds: 600,
  steps: [10, 50],
};

/** The settings the benchmark used before issue 10: one analysis of at most 30 minutes. */
export const CANARY_ACTION_30M: CanaryActionSettings = {
  ...CANARY_ACTION_DEFAULTS,
  maxDurationSeconds: 1800,
  steps: [100],
};

export function judgeSpec(settings: CanaryActionSettings): JudgeSpec {
  return {
    alpha: settings.alpha,
    metrics: [
      { name: ERRORS_METRIC, kind: 'ratio', tolerance: settings.errorsTolerance, blocking: true },
      { name: LATENCY_METRIC, kind: 'latency', tolerance: settings.latencyTolerance, blocking: true },
    ],
    minDurationSeconds: settings.minDurationSeconds,
    maxDurationSeconds: settings.maxDurationSeconds,
    onInconclusive: 'fail',
  };
}

const JUDGE_MODULE = fileURLToPath(new URL('../../../src/analysis/judge.ts', import.meta.url));

export function canaryActionJudgeAvailable(): boolean {
  return existsSync(JUDGE_MODULE);
}

/** Loads `evaluate` from src/analysis/judge.ts (imported lazily: the benchmark runs without it). */
export async function loadEvaluate(): Promise<Evaluate> {
  if (!canaryActionJudgeAvailable())
    throw new Error(`--judge canary-action: ${JUDGE_MODULE} does not exist yet`);
  const module = (await import(pathToFileURL(JUDGE_MODULE).href)) as { evaluate?: Evaluate };
  if (typeof module.evaluate !== 'function') throw new Error(`${JUDGE_MODULE} does not export evaluate()`);
  return module.evaluate;
}

/** Drives `evaluate` poll by poll, as the live analysis loop does, until it stops saying `continue`. */
export function canaryActionJudge(
  evaluate: Evaluate,
  settings: CanaryActionSettings = CANARY_ACTION_DEFAULTS,
  id = 'canary-action',
): BenchJudge {
  const spec = judgeSpec(settings);
  const first = settings.steps[0] ?? 100;
  const decideRelease = (pollsOfStep: (step: number) => Poll[]): Outcome => {
    const seen: Poll[] = [];
    let offset = 0;
    for (const [step] of settings.steps.entries()) {
      let decided: Outcome | undefined;
      for (const poll of pollsOfStep(step)) {
        seen.push({ ...poll, t: offset + poll.t, step, elapsed: poll.t });
        const decision = evaluate(spec, seen);
        if (decision.verdict === 'continue') continue;
        decided = { verdict: decision.verdict, t: offset + poll.t, reason: decision.reason };
        break;
      }
      if (!decided) return { verdict: 'inconclusive', t: seen.at(-1)?.t ?? 0, reason: 'judge never decided' };
      if (decided.verdict !== 'pass' || step === settings.steps.length - 1) return decided;
      offset = decided.t;
    }
    return { verdict: 'inconclusive', t: 0, reason: 'no steps' };
  };
  return {
    id,
    configuration:
      `interval ${settings.intervalSeconds}s, alpha ${settings.alpha} per release, errors ratio tolerance ${settings.errorsTolerance}, ` +
      `latency tolerance ${settings.latencyTolerance}, minDuration ${settings.minDurationSeconds}s, ` +
      `maxDuration ${settings.maxDurationSeconds}s per step, steps ${settings.steps.join(', ')} % (both arms' traffic ` +
      `scaled by the step's weight, evidence carried over), onInconclusive fail (counted as inconclusive)`,
    intervalSeconds: settings.intervalSeconds,
    horizonSeconds: settings.maxDurationSeconds,
    stepTraffic: settings.steps.map((weight) => weight / first),
    decide: (polls) => decideRelease((step) => (step === 0 ? [...polls] : [])),
    decideRelease,
  };
}
