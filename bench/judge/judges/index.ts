import { argoJudge } from './argo.ts';
import {
  CANARY_ACTION_30M,
  CANARY_ACTION_DEFAULTS,
  canaryActionJudge,
  canaryActionJudgeAvailable,
  loadEvaluate,
  type CanaryActionSettings,
} from './canary-action.ts';
import { flaggerJudge } from './flagger.ts';
import { kayentaJudge } from './kayenta.ts';
import type { BenchJudge } from './types.ts';

export const JUDGE_IDS = [
  'canary-action',
  'canary-action-30m',
  'canary-action-tuned',
  'flagger',
  'argo',
  'kayenta',
] as const;
export type JudgeId = (typeof JUDGE_IDS)[number];

export function defaultJudgeIds(): JudgeId[] {
  const references: JudgeId[] = ['flagger', 'argo', 'kayenta'];
  return canaryActionJudgeAvailable() ? ['canary-action', 'canary-action-30m', ...references] : references;
}

export function parseJudgeIds(list: string): JudgeId[] {
  return list.split(',').map((id) => {
    if (!(JUDGE_IDS as readonly string[]).includes(id)) {
      throw new Error(
        `--judge: unknown judge ${JSON.stringify(id)}, expected one of ${JUDGE_IDS.join(', ')}`,
      );
    }
    return id as JudgeId;
  });
}

type NumericSetting = Exclude<keyof CanaryActionSettings, 'steps'>;
const NUMERIC_SETTINGS = Object.keys(CANARY_ACTION_DEFAULTS).filter(
  (key) => key !== 'steps',
) as NumericSetting[];

/**
 * `--tune errorsTolerance=1.3,steps=100` → settings for the `canary-action-tuned` variant (steps: weights
 * separated by `/`, e.g. `steps=10/50`).
 */
export function parseTuning(list: string): Partial<CanaryActionSettings> {
  const tuning: Partial<CanaryActionSettings> = {};
  for (const pair of list.split(',')) {
    const [key = '', raw = ''] = pair.split('=');
    if (key === 'steps') {
      const steps = raw.split('/').map(Number);
      if (raw === '' || !steps.every((w) => Number.isFinite(w) && w > 0 && w <= 100))
        throw new Error(`--tune: ${JSON.stringify(pair)} is not steps=W/W/… with weights in (0, 100]`);
      tuning.steps = steps;
      continue;
    }
    const value = Number(raw);
    if (!(NUMERIC_SETTINGS as string[]).includes(key) || raw === '' || !Number.isFinite(value)) {
      throw new Error(
        `--tune: ${JSON.stringify(pair)} is not key=number with key one of ${[...NUMERIC_SETTINGS, 'steps'].join(', ')}`,
      );
    }
    tuning[key as NumericSetting] = value;
  }
  return tuning;
}

export async function createJudges(
  ids: readonly JudgeId[],
  tuning: Partial<CanaryActionSettings>,
): Promise<BenchJudge[]> {
  const evaluate = ids.some((id) => id.startsWith('canary-action')) ? await loadEvaluate() : undefined;
  return ids.map((id) => {
    switch (id) {
      case 'flagger':
        return flaggerJudge();
      case 'argo':
        return argoJudge();
      case 'kayenta':
        return kayentaJudge();
      case 'canary-action':
        return canaryActionJudge(evaluate!);
      case 'canary-action-30m':
        return canaryActionJudge(evaluate!, CANARY_ACTION_30M, id);
      case 'canary-action-tuned':
        return canaryActionJudge(evaluate!, { ...CANARY_ACTION_DEFAULTS, ...tuning }, id);
    }
  });
}
