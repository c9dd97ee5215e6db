/**
 * Pure: HAProxy Ingress's blue-green configuration as the `haproxy` router uses it. The pod weights of
 * `blue-green-balance` in `blue-green-mode: pod` (each pod of a group gets the group's weight), the Ingress
 * annotations that carry them, and the checks of the objects this configuration can work with.
 */
import type { TrafficMatch } from '../config/types.ts';
import type { KubeObject } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';
import type { Acceptance } from './live-object.ts';

/** The prefixes HAProxy Ingress reads configuration keys under, in its order (its --annotations-prefix default). */
export const HAPROXY_PREFIXES = ['haproxy-ingress.github.io/', 'ingress.kubernetes.io/'] as const;
const BLUE_GREEN_KEYS = HAPROXY_PREFIXES.flatMap((prefix) =>
  ['balance', 'deploy', 'mode', 'header', 'cookie'].map((key) => `${prefix}blue-green-${key}`),
);
const [PREFIX] = HAPROXY_PREFIXES;

export const HAPROXY_INGRESS_CONTROLLER = 'haproxy-ingress.github.io/controller';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** On the Ingress: its blue-green annotations before the run (JSON, `{}` when it had none), put back by reset. */
export const ORIGINAL_ANNOTATIONS = 'canary-action.dev/original-annotations';

/** On the canary's pods with traffic.match: the header's value (HAProxy wants a label name without a prefix). */
export const MATCH_LABEL = 'canary-action-match';

/** The highest pod weight HAProxy Ingress takes (higher values are cut to it). */
export const MAX_POD_WEIGHT = 256;

export type Group = 'stable' | 'canary' | 'baseline';
export const GROUPS: readonly Group[] = ['stable', 'canary', 'baseline'];
export type GroupCounts = Record<Group, number>;
type Labels = Record<string, string>;

/** What a label of `blue-green-balance` and of `blue-green-header` may be (HAProxy Ingress's validLabelRegexStr). */
const LABEL_PART = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The blue-green annotations among `annotations`, under either prefix. */
export function blueGreenAnnotations(annotations: Readonly<Labels> = {}): Labels {
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => BLUE_GREEN_KEYS.includes(k)));
}

/** Every blue-green key set to its value in `wanted` or removed; the original kept, or dropped when undefined. */
export function blueGreenChanges(
  wanted: Readonly<Labels>,
  original: Readonly<Labels> | undefined,
): Record<string, string | undefined> {
  return {
    ...Object.fromEntries(BLUE_GREEN_KEYS.map((k) => [k, wanted[k]])),
    [ORIGINAL_ANNOTATIONS]: original ? JSON.stringify(original) : undefined,
  };
}

/** The groups' shares of requests (percent) when each pod of a group has the group's weight. */
export function sharesOf(weights: GroupCounts, pods: GroupCounts): GroupCounts {
  const total =
    weights.stable * pods.stable + weights.canary * pods.canary + weights.baseline * pods.baseline;
  const share = (g: Group) => (total > 0 ? (100 * weights[g] * pods[g]) / total : 0);
  return { stable: share('stable'), canary: share('canary'), baseline: share('baseline') };
}

/** `stable 4 × 2 pod(s) = 80.0%, canary 1 × 1 pod(s) = 10.0%, …` for the log. */
export function describeWeights(weights: GroupCounts, pods: GroupCounts, baseline: boolean): string {
  const shares = sharesOf(weights, pods);
  return GROUPS.filter((g) => g !== 'baseline' || baseline)
    .map((g) => `${g} ${weights[g]} × ${pods[g]} pod(s) = ${shares[g].toFixed(1)}%`)
    .join(', ');
}

/**
 * Integer pod weights (0–256) that give the canary `weight` percent of the requests, as much to the baseline
 * (when there is one) and the rest to the stable, for these counts of ready pods: the smallest weights with
 * the least error. A group with no ready pod is weighted as if it had one, ready for its first pod.
 */
export function podWeights(weight: number, pods: GroupCounts, baseline: boolean): GroupCounts {
  if (weight <= 0) return { stable: 1, canary: 0, baseline: 0 };
  const n = {
    stable: Math.max(1, pods.stable),
    canary: Math.max(1, pods.canary),
    baseline: baseline ? Math.max(1, pods.baseline) : 0,
  };
  const target = {
    canary: weight,
    baseline: baseline ? weight : 0,
    stable: 100 - weight * (baseline ? 2 : 1),
  };
  const errorOf = (weights: GroupCounts) => {
    const shares = sharesOf(weights, n);
    return Math.max(...GROUPS.map((g) => Math.abs(shares[g] - target[g])));
  };
  let best = { weights: { stable: 1, canary: 0, baseline: 0 }, error: Infinity };
  // For each canary weight, the stable weight that fits it best is next to the ideal one.
  for (let canary = 1; canary <= MAX_POD_WEIGHT; canary += 1) {
    const base = baseline ? Math.min(MAX_POD_WEIGHT, Math.round((canary * n.canary) / n.baseline)) : 0;
    const ideal = (canary * n.canary * target.stable) / (target.canary * n.stable);
    for (const stable of new Set([Math.floor(ideal), Math.ceil(ideal)])) {
      const weights = { stable: Math.min(MAX_POD_WEIGHT, stable), canary, baseline: base };
      const error = errorOf(weights);
      if (error < best.error - 1e-9) best = { weights, error };
    }
  }
  return best.weights;
}

/** The annotations that set these pod weights (and the header that picks the canary) on the Ingress. */
export function blueGreenConfig(options: {
  stableTrack: string;
  weights: GroupCounts;
  baseline: boolean;
  header?: string;
}): Labels {
  const { stableTrack, weights } = options;
  const groups = [
    `track=${stableTrack}=${weights.stable}`,
    `track=canary=${weights.canary}`,
    ...(options.baseline ? [`track=baseline=${weights.baseline}`] : []),
  ];
  return {
    [`${PREFIX}blue-green-balance`]: groups.join(','),
    [`${PREFIX}blue-green-mode`]: 'pod',
    ...(options.header ? { [`${PREFIX}blue-green-header`]: `${options.header}:${MATCH_LABEL}` } : {}),
  };
}

/**
 * Why `traffic.match` cannot be routed by HAProxy Ingress, or undefined: `blue-green-header` sends a request
 * to a pod whose label equals the header's value exactly, so only an exact value that is a label value works.
 */
export function matchProblem(match: TrafficMatch): string | undefined {
  if (match.exact === undefined)
    return `the haproxy router matches an exact header value only (blue-green-header compares it with a pod label), not regex ${JSON.stringify(match.regex)}`;
  if (!LABEL_PART.test(match.header))
    return `header ${JSON.stringify(match.header)}: HAProxy Ingress takes letters, digits, "-", "_" and "." only, starting and ending with a letter or digit`;
  if (match.exact.length > 63 || !LABEL_PART.test(match.exact))
    return `value ${JSON.stringify(match.exact)}: the haproxy router puts it in a pod label, so it must be a label value (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)`;
  return undefined;
}

/** Served: the controller published an address for the Ingress (HAProxy Ingress writes no status per change). */
export function served(ingress: KubeObject): Acceptance {
  const status = ingress.status as { loadBalancer?: { ingress?: unknown[] } } | undefined;
  return (status?.loadBalancer?.ingress ?? []).length > 0
    ? { state: 'accepted' }
    : { state: 'pending', message: 'no controller serves it (its status.loadBalancer.ingress is empty)' };
}

/** The class an Ingress asks for: the legacy annotation, which HAProxy Ingress lets win, else spec.ingressClassName. */
export function ingressClassOf(ingress: KubeObject): { name?: string; byAnnotation: boolean } {
  const annotated = ingress.metadata.annotations?.[CLASS_ANNOTATION];
  const name = annotated ?? (ingress.spec as IngressSpec | undefined)?.ingressClassName;
  return { ...(name ? { name } : {}), byAnnotation: annotated !== undefined };
}

/** Whether a pod is one of its Service's ready endpoints (what HAProxy Ingress balances over). */
export function isReadyPod(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)
    ?.conditions;
  return (
    !pod.metadata.deletionTimestamp &&
    (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

interface IngressBackend {
  service?: { name?: string };
  resource?: { kind?: string; name?: string };
}
interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules?: Array<{ http?: { paths?: Array<{ backend?: IngressBackend }> } }>;
}

/** Every backend of an Ingress, as `service/NAME` (or `KIND/NAME` for a resource backend). */
export function ingressBackends(ingress: KubeObject): string[] {
  const spec = ingress.spec as IngressSpec | undefined;
  const backends = [
    ...(spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
    ...(spec?.defaultBackend ? [spec.defaultBackend] : []),
  ];
  const named = backends.map((b) =>
    b?.service
      ? `service/${b.service.name ?? ''}`
      : `${b?.resource?.kind ?? 'resource'}/${b?.resource?.name ?? ''}`,
  );
  return [...new Set(named)];
}

/** The stable Service's selector: it carries no blue-green keys (they would win) and does not select `track`. */
export function stableSelector(found: KubeObject, field: string): Labels {
  const service = `service/${found.metadata.name}`;
  const own = Object.keys(blueGreenAnnotations(found.metadata.annotations));
  if (own.length > 0)
    throw new ConfigError(
      field,
      `${service} carries ${own.join(', ')}: HAProxy Ingress reads a Service's keys before the Ingress's, so they would override the run's weights (this tool never changes the Service: move them to the Ingress)`,
    );
  const selector = (found.spec as { selector?: Labels } | undefined)?.selector ?? {};
  if (Object.keys(selector).length === 0)
    throw new ConfigError(field, `${service} has no selector: the canary's pods must be behind it`);
  if (selector.track !== undefined)
    throw new ConfigError(
      field,
      `${service} selects track=${selector.track}, so the canary's pods (track: canary) would not be behind it: the haproxy router weights every track behind the one Service`,
    );
  return selector;
}

/** The stable's replicas and its pods' `track`: the label group the stable's weight goes to. */
export function stableGroup(
  deployment: KubeObject,
  selector: Readonly<Labels>,
): { replicas: number; track: string; inSelector: boolean } {
  const workload = `deployment/${deployment.metadata.name}`;
  const spec = deployment.spec as {
    replicas?: number;
    selector?: { matchLabels?: Labels };
    template?: { metadata?: { labels?: Labels } };
  };
  const labels = spec.template?.metadata?.labels ?? {};
  const track = labels.track;
  if (track === undefined || track === 'canary' || track === 'baseline')
    throw new ConfigError(
      'workload',
      `the pods of ${workload} need a label of their own for HAProxy Ingress to weight them (a pod matching no group of blue-green-balance gets no requests): add "track: stable" to spec.template.metadata.labels (the pod template only, not the selector: a rolling update of the stable, nothing recreated), and keep it in your manifests`,
    );
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v))
    throw new ConfigError('traffic.service', `the Service does not select the pods of ${workload}`);
  return { replicas: spec.replicas ?? 1, track, inSelector: spec.selector?.matchLabels?.track === track };
}

/** Why this Ingress cannot carry the split for `service`, or undefined: it must send to that Service only. */
export function backendProblem(ingress: KubeObject, service: string): string | undefined {
  const backends = ingressBackends(ingress);
  if (!backends.includes(`service/${service}`)) return `has no rule with a backend to service/${service}`;
  const others = backends.filter((b) => b !== `service/${service}`);
  if (others.length > 0)
    return `also sends to ${others.join(', ')}: its blue-green annotations would weight those pods too (a pod matching no group gets no requests); route service/${service} from an Ingress of its own`;
  return undefined;
}
