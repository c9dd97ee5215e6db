/** Pure: an HTTPRoute spec with the canary and baseline Services weighted beside the stable one. */
import type { TrafficMatch } from '../config/types.ts';
import { trackServiceName } from './track-services.ts';

export type RouteSpec = Record<string, unknown> & { rules?: RouteRule[] };
type RouteRule = Record<string, unknown> & { backendRefs?: BackendRef[]; matches?: RouteMatch[] };
type BackendRef = Record<string, unknown> & {
  name: string;
  group?: string;
  kind?: string;
  namespace?: string;
  port?: number;
  weight?: number;
};
type RouteMatch = Record<string, unknown> & { headers?: Array<Record<string, unknown>> };

/** On the route: its spec before the run, written back byte for byte by `reset`. */
export const ORIGINAL_SPEC = 'canary-action.dev/original-spec';

/** On the canary: which router and route a run used, for `rollback`/`cleanup` from another job. */
export const RouterAnnotation = {
  router: 'canary-action.dev/router',
  route: 'canary-action.dev/route',
  service: 'canary-action.dev/service',
} as const;

export const ROUTER_ANNOTATIONS = (router: string, route: string, service: string) => ({
  [RouterAnnotation.router]: router,
  [RouterAnnotation.route]: route,
  [RouterAnnotation.service]: service,
});

/** Weights are scaled so a step of 0.5% still has integer weights … */
const SCALE = 1000;
/** … but no weight may pass the API's maximum (HTTPRoute backendRefs[].weight ≤ 1,000,000). */
const MAX_WEIGHT = 1_000_000;

/** The largest factor up to SCALE by which a rule's weights can be multiplied and stay valid (at least 1). */
const scaleFor = (refs: readonly BackendRef[]) =>
  Math.max(1, Math.min(SCALE, Math.floor(MAX_WEIGHT / Math.max(1, ...refs.map((r) => r.weight ?? 1)))));

const refersTo = (ref: BackendRef, service: string, namespace: string) =>
  (ref.group ?? '') === '' &&
  (ref.kind ?? 'Service') === 'Service' &&
  (ref.namespace ?? namespace) === namespace &&
  ref.name === service;

/**
 * In every rule with a backendRef to `service`, that backend's share is split: `weight` percent of it to
 * the canary, as much to the baseline, the rest stays. Other backends keep their share. With `match`, a
 * rule per matching rule sends requests carrying the header to the canary only.
 */
export function weightedRules(
  original: RouteSpec,
  options: { service: string; namespace: string; weight: number; baseline: boolean; match?: TrafficMatch },
): { spec: RouteSpec; stableRules: number } {
  const { service, namespace, weight, baseline } = options;
  let stableRules = 0;
  const headerRules: RouteRule[] = [];
  const rules = (original.rules ?? []).map((rule): RouteRule => {
    const refs = rule.backendRefs ?? [];
    const stable = refs.find((r) => refersTo(r, service, namespace));
    if (!stable) return structuredClone(rule);
    stableRules += 1;
    const track = (name: string, w: number): BackendRef => ({
      ...structuredClone(stable),
      group: '',
      kind: 'Service',
      name,
      weight: w,
    });
    const scale = scaleFor(refs);
    const share = (stable.weight ?? 1) * scale;
    const canary = Math.round((share * weight) / 100);
    const base = baseline ? canary : 0;
    const backendRefs = refs.flatMap((r): BackendRef[] =>
      r === stable
        ? [
            { ...structuredClone(r), weight: share - canary - base },
            track(trackServiceName(service, 'canary'), canary),
            ...(baseline ? [track(trackServiceName(service, 'baseline'), base)] : []),
          ]
        : [{ ...structuredClone(r), weight: (r.weight ?? 1) * scale }],
    );
    if (options.match) {
      const header = {
        type: options.match.exact !== undefined ? 'Exact' : 'RegularExpression',
        name: options.match.header,
        value: options.match.exact ?? options.match.regex,
      };
      const matches = rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }];
      const { name: _name, ...unnamed } = structuredClone(rule);
      headerRules.push({
        ...unnamed,
        matches: matches.map((m) => ({ ...structuredClone(m), headers: [...(m.headers ?? []), header] })),
        backendRefs: [{ ...track(trackServiceName(service, 'canary'), 1) }],
      });
    }
    return { ...structuredClone(rule), backendRefs };
  });
  return { spec: { ...structuredClone(original), rules: [...rules, ...headerRules] }, stableRules };
}
