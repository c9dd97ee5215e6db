/**
 * Pure: a VirtualService spec with the canary and baseline hosts weighted beside the stable one. Every
 * route it touches is written with whole-percent weights summing to 100, which every Istio release
 * accepts (older releases' validation refuses any other total; newer ones read weights as relative), so a
 * step whose canary weight is not a whole percent of the route is refused before any change.
 */
import type { TrafficMatch } from '../config/types.ts';
import { ConfigError } from '../util/errors.ts';
import type { RoutedTrack } from './router.ts';
import { trackServiceName } from './track-services.ts';

export type VirtualServiceSpec = Record<string, unknown> & { http?: HttpRoute[] };
type HttpRoute = Record<string, unknown> & {
  name?: string;
  match?: MatchRequest[];
  route?: RouteDestination[];
};
type MatchRequest = Record<string, unknown> & { headers?: Record<string, unknown> };
export type RouteDestination = Record<string, unknown> & { destination?: Destination; weight?: number };
export type Destination = Record<string, unknown> & { host?: string; subset?: string };

export interface IstioWeightOptions {
  service: string;
  namespace: string;
  weight: number;
  baseline: boolean;
  /** How the VirtualService is named in messages: `virtualservice/web`. */
  label: string;
  match?: TrafficMatch;
}

/** The Kubernetes FQDN of a Service, as Istio's registry names it. */
export const serviceHost = (service: string, namespace: string) =>
  `${service}.${namespace}.svc.cluster.local`;

/**
 * Whether a destination host is the stable Service: its short name (resolved in the VirtualService's
 * namespace, which is the workload's) or its FQDN. Istio expands only dot-less names, so `web.demo` is
 * another host (one the registry does not know), not the Service.
 */
export function isStableHost(host: string | undefined, service: string, namespace: string): boolean {
  const name = host?.toLowerCase();
  return name === service || name === serviceHost(service, namespace);
}

/** The track's host written in the stable destination's form: `web` → `web-canary`, FQDN → FQDN. */
const trackHost = (host: string, service: string, track: RoutedTrack) =>
  `${trackServiceName(service, track)}${host.toLowerCase().slice(service.length)}`;

/** Whole percents in proportion to `weights` (largest remainder): the weights themselves when they sum to 100. */
export function wholePercents(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (w * 100) / total);
  const out = exact.map(Math.floor);
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = 100 - out.reduce((sum, w) => sum + w, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}

/** Each destination's share of a route in whole percents (one destination: all of it; more: by weight). */
function shares(route: HttpRoute, where: string): number[] {
  const destinations = route.route ?? [];
  if (destinations.length === 1) return [100];
  const weights = destinations.map((d) => d.weight ?? 0);
  if (weights.reduce((sum, w) => sum + w, 0) <= 0)
    throw new ConfigError(
      'traffic.route',
      `${where}: its destinations' weights total 0, which Istio refuses`,
    );
  return wholePercents(weights);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The canary's weight in a route whose stable destination has `share` percent, or exit 2 when not whole. */
function canaryPercent(share: number, options: IstioWeightOptions, where: string): number {
  const exact = (share * options.weight) / 100;
  const whole = Math.round(exact);
  if (Math.abs(exact - whole) < 1e-9) return whole;
  const every = 100 / gcd(share, 100);
  throw new ConfigError(
    'traffic.steps',
    `${options.weight}% of the ${share}% that ${where} sends to ${options.service} is ${+exact.toFixed(4)}%: ` +
      `Istio weights are whole percents (steps that are multiples of ${every} work for this route)`,
  );
}

/** The http route that sends requests carrying the header to the canary only: placed just before `route`. */
function headerRoute(
  route: HttpRoute,
  canary: RouteDestination,
  match: TrafficMatch,
  where: string,
): HttpRoute {
  const header = match.header.toLowerCase();
  const condition = match.exact !== undefined ? { exact: match.exact } : { regex: match.regex ?? '' };
  const matches = (route.match?.length ? route.match : [{}]).map((m): MatchRequest => {
    if (m.headers && Object.keys(m.headers).some((h) => h.toLowerCase() === header))
      throw new ConfigError('traffic.match', `${where} already matches on header ${header}`);
    return { ...structuredClone(m), headers: { ...structuredClone(m.headers), [header]: condition } };
  });
  const { name, route: _route, ...rest } = structuredClone(route);
  return {
    ...(name ? { name: `${name}-canary-match` } : {}),
    ...rest,
    match: matches,
    route: [canary],
  };
}

/**
 * In every http route with a destination to the stable Service, that destination's share is split: `weight`
 * percent of it to the canary, as much to the baseline, the rest stays; other destinations keep their
 * share (exactly when the route's weights sum to 100, else to the nearest whole percent). With `match`, a
 * route sending requests with the header to the canary is placed just before each such route (Istio takes
 * the first route that matches). `stable`: the stable destinations it split, one per route.
 */
export function weightedHttp(
  original: VirtualServiceSpec,
  options: IstioWeightOptions,
): { spec: VirtualServiceSpec; stable: Destination[] } {
  const { service, namespace, baseline } = options;
  const stables: Destination[] = [];
  const http = (original.http ?? []).flatMap((route, index): HttpRoute[] => {
    const destinations = route.route ?? [];
    const at = destinations.findIndex((d) => isStableHost(d.destination?.host, service, namespace));
    const where = `${options.label} http[${index}]${route.name ? ` (${route.name})` : ''}`;
    const percents = at < 0 ? [] : shares(route, where);
    const share = percents[at] ?? 0;
    if (share === 0) return [structuredClone(route)];
    const stable = destinations[at] as RouteDestination & { destination: Destination };
    stables.push(stable.destination);
    const track = (t: RoutedTrack, weight: number): RouteDestination => {
      const { subset: _subset, ...destination } = structuredClone(stable.destination);
      return {
        ...structuredClone(stable),
        destination: { ...destination, host: trackHost(destination.host ?? '', service, t) },
        weight,
      };
    };
    const canary = canaryPercent(share, options, where);
    const base = baseline ? canary : 0;
    const weighted: HttpRoute = {
      ...structuredClone(route),
      route: destinations.flatMap((d, j): RouteDestination[] =>
        j === at
          ? [
              { ...structuredClone(d), weight: share - canary - base },
              track('canary', canary),
              ...(baseline ? [track('baseline', base)] : []),
            ]
          : [{ ...structuredClone(d), weight: percents[j] ?? 0 }],
      ),
    };
    return options.match
      ? [headerRoute(route, track('canary', 100), options.match, where), weighted]
      : [weighted];
  });
  return { spec: { ...structuredClone(original), http }, stable: stables };
}

export type TrafficPolicy = Record<string, unknown> & { portLevelSettings?: PortPolicy[] };
type PortPolicy = Record<string, unknown> & { port?: { number?: number } };
interface Subset {
  name: string;
  trafficPolicy?: TrafficPolicy;
}

/** A DestinationRule, as far as the canary's traffic policy needs it. */
export interface DestinationRuleLike {
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  spec?: {
    host?: string;
    trafficPolicy?: TrafficPolicy;
    subsets?: Subset[];
    exportTo?: string[];
    workloadSelector?: unknown;
  };
}

const fqdn = (host: string, namespace: string) =>
  host.includes('.') || host === '*' ? host.toLowerCase() : serviceHost(host.toLowerCase(), namespace);

/**
 * The DestinationRules of the workload's namespace that apply to the stable host: those naming it exactly
 * (Istio merges them: the oldest policy wins, subsets are joined), else the most specific wildcard. Rules
 * with a workloadSelector apply to some clients only and are left out.
 */
export function rulesFor(
  rules: readonly DestinationRuleLike[],
  service: string,
  namespace: string,
): DestinationRuleLike[] {
  const name = serviceHost(service, namespace);
  const candidates = rules
    .filter((r) => !r.spec?.workloadSelector && typeof r.spec?.host === 'string')
    .map((r) => ({ rule: r, host: fqdn(r.spec?.host ?? '', r.metadata.namespace ?? namespace) }))
    .sort((a, b) =>
      (a.rule.metadata.creationTimestamp ?? '').localeCompare(b.rule.metadata.creationTimestamp ?? ''),
    );
  const exact = candidates.filter((c) => c.host === name);
  if (exact.length > 0) return exact.map((c) => c.rule);
  const wildcards = candidates
    .filter((c) => c.host === '*' || (c.host.startsWith('*.') && name.endsWith(c.host.slice(1))))
    .sort((a, b) => b.host.length - a.host.length);
  return wildcards.slice(0, 1).map((c) => c.rule);
}

/** The fields a port-level setting replaces as a whole (Istio: "port level policies do not inherit"). */
const PORT_FIELDS = ['connectionPool', 'loadBalancer', 'outlierDetection', 'tls'];
const pick = (o: Record<string, unknown> | undefined, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => keys.includes(k)));

/**
 * One policy, for a host without subsets, that gives every port what Istio's MergeTrafficPolicy gives the
 * subset: the host's policy with the subset's top-level fields over it; on a port the subset sets, the
 * subset's port-level setting; on a port only the host sets, the host's setting with the subset's fields over it.
 */
export function mergePolicies(host?: TrafficPolicy, subset?: TrafficPolicy): TrafficPolicy | undefined {
  if (!subset) return host && structuredClone(host);
  const { portLevelSettings: hostPorts = [], ...hostTop } = structuredClone(host ?? {});
  const { portLevelSettings: subsetPorts = [], ...subsetTop } = structuredClone(subset);
  const numbers = [...new Set([...subsetPorts, ...hostPorts].map((p) => p.port?.number))];
  const ports = numbers.flatMap((number): PortPolicy[] => {
    const own = subsetPorts.find((p) => p.port?.number === number);
    if (own) return [own];
    const inherited = hostPorts.find((p) => p.port?.number === number);
    return inherited ? [{ ...inherited, ...pick(subsetTop, PORT_FIELDS) }] : [];
  });
  return { ...hostTop, ...subsetTop, ...(ports.length > 0 ? { portLevelSettings: ports } : {}) };
}

/**
 * The traffic policy the canary and the baseline get: what the stable destinations get from the
 * DestinationRules of the namespace (a subset's merged over its host's). Undefined when there is none; exit 2
 * when a subset is defined nowhere there, or when the stable destinations get different policies.
 */
export function trackPolicy(
  rules: readonly DestinationRuleLike[],
  stable: readonly Destination[],
  options: { service: string; namespace: string; label: string },
): { trafficPolicy: TrafficPolicy; exportTo?: string[] } | undefined {
  const { service, namespace } = options;
  const applying = rulesFor(rules, service, namespace);
  const hostPolicy = applying.find((r) => r.spec?.trafficPolicy)?.spec?.trafficPolicy;
  const policies = stable.map((destination) => {
    if (!destination.subset) return mergePolicies(hostPolicy);
    const subset = applying.flatMap((r) => r.spec?.subsets ?? []).find((s) => s.name === destination.subset);
    if (!subset)
      throw new ConfigError(
        'traffic.route',
        `${options.label} sends to subset ${destination.subset} of ${service}, which no DestinationRule in namespace "${namespace}" defines (only the workload's namespace is read)`,
      );
    return mergePolicies(hostPolicy, subset.trafficPolicy);
  });
  const distinct = [...new Set(policies.map((p) => JSON.stringify(p ?? {})))];
  if (distinct.length > 1)
    throw new ConfigError(
      'traffic.route',
      `${options.label}: its routes to ${service} get different traffic policies from their subsets (${stable.map((d) => d.subset ?? '(none)').join(', ')}); the canary can carry only one`,
    );
  const trafficPolicy = policies[0];
  if (!trafficPolicy || Object.keys(trafficPolicy).length === 0) return undefined;
  const exportTo = applying[0]?.spec?.exportTo;
  return { trafficPolicy, ...(exportTo ? { exportTo: [...exportTo] } : {}) };
}
