import { argoJudge } from './argo.ts';
import {
  CANARY_ACTION_DEFAULTS,
  canaryActionJudge,
  canaryActionJudgeAvailable,
  loadEvaluate,
  type CanaryActionSettings,
} from './canary-action.ts';
import { flaggerJudge } from './flagger.ts';
import { kayentaJudge } from './kayenta.ts';
import type { BenchJudge } from './types.ts';

export const JUDGE_IDS = ['canary-action', 'canary-action-tuned', 'flagger', 'argo', 'kayenta'] as const;
export type JudgeId = (typeof JUDGE_IDS)[number];

export function defaultJudgeIds(): JudgeId[] {
  const references: JudgeId[] = ['flagger', 'argo', 'kayenta'];
  return canaryActionJudgeAvailable() ? ['canary-action', ...references] : references;
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

/** `--tune errorsTolerance=1.3,latencyTolerance=1.3` → settings for the `canary-action-tuned` variant. */
export function parseTuning(list: string): Partial<CanaryActionSettings> {
  const tuning: Partial<CanaryActionSettings> = {};
  for (const pair of list.split(',')) {
    const [key = '', raw = ''] = pair.split('=');
    const value = Number(raw);
    if (!(key in CANARY_ACTION_DEFAULTS) || raw === '' || !Number.isFinite(value)) {
      throw new Error(
        `--tune: ${JSON.stringify(pair)} is not key=number with key one of ${Object.keys(CANARY_ACTION_DEFAULTS).join(', ')}`,
      );
    }
    tuning[key as keyof CanaryActionSettings] = value;
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
      case 'canary-action-tuned':
        return canaryActionJudge(evaluate!, { ...CANARY_ACTION_DEFAULTS, ...tuning }, id);
    }
  });
}
