/** Pure: whether an HTTPRoute is accepted by every parent it names, at its current generation. */
import type { Acceptance } from './live-object.ts';

interface ParentRef {
  name: string;
  namespace?: string;
  group?: string;
  kind?: string;
  sectionName?: string;
  port?: number;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface RouteStatus {
  metadata: { namespace?: string; generation?: number };
  spec?: { parentRefs?: ParentRef[] };
  status?: { parents?: Array<{ parentRef: ParentRef; controllerName?: string; conditions?: Condition[] }> };
}

const key = (ref: ParentRef, namespace: string | undefined) =>
  JSON.stringify([
    ref.group ?? 'gateway.networking.k8s.io',
    ref.kind ?? 'Gateway',
    ref.namespace ?? namespace ?? '',
    ref.name,
    ref.sectionName ?? '',
    ref.port ?? 0,
  ]);

const describe = (ref: ParentRef) =>
  `${ref.kind ?? 'Gateway'} ${ref.name}${ref.sectionName ? `/${ref.sectionName}` : ''}${ref.port ? `:${ref.port}` : ''}`;

/**
 * Accepted when every parentRef has a status entry whose `Accepted` (and `ResolvedRefs`, when reported)
 * is True for the route's generation; rejected when one of them is False for it (with the parent's
 * reason and message); pending otherwise (no status yet, or a status for an older generation).
 */
export function acceptance(route: RouteStatus): Acceptance {
  const namespace = route.metadata.namespace;
  const generation = route.metadata.generation;
  const entries = route.status?.parents ?? [];
  for (const parent of route.spec?.parentRefs ?? []) {
    const wanted = key(parent, namespace);
    const current = entries
      .filter((e) => key(e.parentRef, namespace) === wanted)
      .flatMap((e) => e.conditions ?? [])
      .filter((c) => generation === undefined || c.observedGeneration === generation);
    const accepted = current.find((c) => c.type === 'Accepted');
    const refs = current.find((c) => c.type === 'ResolvedRefs');
    const failed = [accepted, refs].find((c) => c?.status === 'False');
    if (failed)
      return {
        state: 'rejected',
        message:
          `${describe(parent)}: ${failed.type} False (${failed.reason ?? 'no reason'}): ${failed.message ?? ''}`.trim(),
      };
    if (accepted?.status !== 'True')
      return {
        state: 'pending',
        message: `${describe(parent)} has not reported Accepted for generation ${generation ?? '?'}`,
      };
  }
  return { state: 'accepted' };
}
