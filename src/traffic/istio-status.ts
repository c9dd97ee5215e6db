/**
 * Pure: whether istiod took a VirtualService's current generation, as far as its status tells. istiod
 * writes no status by default. With status and distribution tracking on (PILOT_ENABLE_STATUS and
 * PILOT_ENABLE_CONFIG_DISTRIBUTION_TRACKING; istio.io, "Wait on Resource Status for Applied
 * Configuration") it writes `status.observedGeneration` and a `Reconciled` condition ("2/2 proxies up to
 * date."); with analysis on (istiod.enableAnalysis) `status.validationMessages` (code, level,
 * documentation URL; no text).
 */
import type { Acceptance } from './live-object.ts';

interface IstioCondition {
  type?: string;
  status?: string;
  message?: string;
  observedGeneration?: number | string;
}
interface ValidationMessage {
  level?: string;
  type?: { code?: string; name?: string };
  documentationUrl?: string;
}
export interface IstioObject {
  metadata: { name?: string; generation?: number };
  status?: {
    observedGeneration?: number | string;
    conditions?: IstioCondition[];
    validationMessages?: ValidationMessage[];
  };
}

/** Istio writes int64 generations as strings (proto JSON): the CRD declares them int-or-string. */
const generationOf = (value: number | string | undefined) =>
  value === undefined || value === '' ? undefined : Number(value);

const describe = (m: ValidationMessage) =>
  [
    m.type?.code ?? 'an analysis message',
    m.type?.name,
    `(${m.level}${m.documentationUrl ? `, ${m.documentationUrl}` : ''})`,
  ]
    .filter(Boolean)
    .join(' ');

/**
 * `untracked`: no status tied to a generation (istiod's status is off), so the change can only be trusted
 * as written. Otherwise, for the object's generation: an ERROR validation message rejects it; a `Reconciled`
 * condition that is not True (proxies still catching up) keeps it pending, as does a status for an older
 * generation; anything else accepts it.
 */
export function istioAcceptance(object: IstioObject): Acceptance | { state: 'untracked' } {
  const status = object.status ?? {};
  const observed = generationOf(status.observedGeneration);
  if (observed === undefined) return { state: 'untracked' };
  const generation = object.metadata.generation;
  if (generation !== undefined && observed !== generation)
    return { state: 'pending', message: `istiod has reported generation ${observed}, not ${generation} yet` };
  const errors = (status.validationMessages ?? []).filter((m) => m.level === 'ERROR');
  if (errors.length > 0)
    return { state: 'rejected', message: `istiod's analysis reports ${errors.map(describe).join('; ')}` };
  const reconciled = status.conditions?.find((c) => c.type === 'Reconciled');
  const stale =
    reconciled && generationOf(reconciled.observedGeneration) !== undefined
      ? generationOf(reconciled.observedGeneration) !== generation
      : false;
  if (reconciled && (stale || reconciled.status !== 'True'))
    return {
      state: 'pending',
      message:
        `istiod reports Reconciled ${reconciled.status ?? '?'}${stale ? ' for an older generation' : ''}: ${reconciled.message ?? ''}`.trim(),
    };
  return { state: 'accepted' };
}
