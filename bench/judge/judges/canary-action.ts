import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Decision, JudgeSpec, Poll } from '../../../src/analysis/types.ts';
import { BUILT_IN_TEMPLATES } from '../../../src/metrics/templates.ts';
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
}

function templateTolerance(template: string): number {
  const tolerance = BUILT_IN_TEMPLATES[template]?.metric.tolerance;
  if (typeof tolerance !== 'number') throw new Error(`metrics template ${template} has no default tolerance`);
  return tolerance;
}

/**
 * The configuration defaults (config `analysis:` section; tolerances of the built-in `http-error-rate` and
 * `http-latency` templates, read from the template table) with maxDuration 30m for the power scenarios.
 */
export const CANARY_ACTION_DEFAULTS: CanaryActionSettings = {
  intervalSeconds: 30,
  alpha: 0.01,
  errorsTolerance: templateTolerance('http-error-rate'),
  latencyTolerance: templateTolerance('http-latency'),
  minDurationSeconds: 120,
  maxDurationSeconds: 1800,
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
  return {
    id,
    configuration:
      `interval ${settings.intervalSeconds}s, alpha ${settings.alpha}, errors ratio tolerance ${settings.errorsTolerance}, ` +
      `latency tolerance ${settings.latencyTolerance}, minDuration ${settings.minDurationSeconds}s, ` +
      `maxDuration ${settings.maxDurationSeconds}s, onInconclusive fail (counted as inconclusive)`,
    intervalSeconds: settings.intervalSeconds,
    horizonSeconds: settings.maxDurationSeconds,
    decide(polls: readonly Poll[]): Outcome {
      const seen: Poll[] = [];
      for (const poll of polls) {
        seen.push(poll);
        const decision = evaluate(spec, seen);
        if (decision.verdict !== 'continue')
          return { verdict: decision.verdict, t: poll.t, reason: decision.reason };
      }
      return { verdict: 'inconclusive', t: polls[polls.length - 1]?.t ?? 0, reason: 'judge never decided' };
    },
  };
}
