/**
 * The `istio` router: the user's VirtualService (networking.istio.io/v1) stays theirs. In each http route
 * with a destination to the stable Service, `<service>-canary` and `<service>-baseline` are added beside it,
 * in the same host form and port, with whole-percent weights (istio-weights.ts). The user's
 * DestinationRules are never changed: when one gives the stable destination a traffic policy (its host's,
 * or its subset's merged over it), DestinationRules `<service>-canary` / `-baseline` carrying that policy
 * are created for the track hosts and removed at reset. A change is trusted once istiod's status (when it
 * writes one) reports it for the VirtualService's generation (istio-status.ts).
 */
import type { KubeObject } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';
import { istioAcceptance, type IstioObject } from './istio-status.ts';
import {
  serviceHost,
  trackPolicy,
  weightedHttp,
  type Destination,
  type DestinationRuleLike,
  type TrafficPolicy,
} from './istio-weights.ts';
import { routeName, type Acceptance } from './live-object.ts';
import type { RoutedTrack, RouterContext, TrafficRouter } from './router.ts';
import { specRouter } from './spec-router.ts';
import { MANAGED_BY, trackServiceName } from './track-services.ts';

const API_VERSION = 'networking.istio.io/v1';
const VIRTUAL_SERVICE = { apiVersion: API_VERSION, kind: 'VirtualService' } as const;
const DESTINATION_RULE = { apiVersion: API_VERSION, kind: 'DestinationRule' } as const;
const MANAGED_SELECTOR = Object.entries(MANAGED_BY)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

export function istioRouter(context: RouterContext): TrafficRouter {
  const { cluster, platform, traffic, workload } = context;
  const { namespace } = cluster;
  const name = routeName(traffic.route, ['virtualservice'], 'istio');
  const label = `virtualservice/${name}`;
  const service = traffic.service ?? workload;
  const rules = policyRules(context, service, label);
  let trustedSaid = false;

  const weighted = (original: Record<string, unknown>, weight: number) =>
    weightedHttp(original, {
      service,
      namespace,
      weight,
      baseline: traffic.baseline,
      label,
      ...(traffic.match ? { match: traffic.match } : {}),
    });

  const acceptance = (live: IstioObject): Acceptance => {
    const verdict = istioAcceptance(live);
    if (verdict.state !== 'untracked') return verdict;
    if (!trustedSaid)
      platform.info(
        `${label} carries no status from istiod (PILOT_ENABLE_STATUS is off by default): each change is trusted as written`,
      );
    trustedSaid = true;
    return { state: 'accepted' };
  };

  return specRouter(context, {
    router: 'istio',
    ref: { ...VIRTUAL_SERVICE, name },
    label,
    access: ISTIO_ACCESS,
    weighted: (original, weight) => {
      const { spec, stable } = weighted(original, weight);
      return { spec, stableRoutes: stable.length };
    },
    noStableRoute: (s) =>
      `has no http route with a destination to ${s} (host ${s} or ${serviceHost(s, namespace)}; Istio does not expand ${s}.${namespace})`,
    acceptance,
    async prepare(original) {
      // Every step is written before any change: one that is not a whole percent of a route is exit 2 now.
      for (const step of traffic.steps) weighted(original, step);
      await rules.load(weighted(original, 0).stable);
    },
    objects: (tracks) => rules.objects(tracks),
    remove: () => rules.remove(),
  });
}

/** The DestinationRules that give the track hosts the stable destination's traffic policy. */
function policyRules(context: RouterContext, service: string, label: string) {
  const { cluster, platform, workload } = context;
  const { namespace } = cluster;
  const ruleName = (track: RoutedTrack) => trackServiceName(service, track);
  let policy: { trafficPolicy: TrafficPolicy; exportTo?: string[] } | undefined;

  return {
    async load(stable: readonly Destination[]) {
      const all = (await cluster.list(API_VERSION, 'DestinationRule')) as unknown as Array<
        DestinationRuleLike & KubeObject
      >;
      const managed = (r: KubeObject) =>
        r.metadata.labels?.['app.kubernetes.io/managed-by'] === MANAGED_BY['app.kubernetes.io/managed-by'];
      for (const track of ['canary', 'baseline'] as const) {
        const taken = all.find((r) => r.metadata.name === ruleName(track) && !managed(r));
        if (taken)
          throw new ConfigError(
            'traffic.service',
            `destinationrule/${ruleName(track)} exists and was not created by canary-action: the ${track}'s traffic policy needs that name`,
          );
      }
      policy = trackPolicy(
        all.filter((r) => !managed(r)),
        stable,
        { service, namespace, label },
      );
      if (policy)
        platform.info(
          `${service}-canary and ${service}-baseline get the stable's traffic policy through DestinationRules of their own`,
        );
    },
    objects: (tracks: readonly RoutedTrack[]): KubeObject[] =>
      policy
        ? tracks.map((track) => ({
            ...DESTINATION_RULE,
            metadata: {
              name: ruleName(track),
              namespace,
              labels: { ...MANAGED_BY, 'canary-action.dev/workload': workload, track },
            },
            spec: {
              host: serviceHost(ruleName(track), namespace),
              trafficPolicy: policy?.trafficPolicy,
              ...(policy?.exportTo ? { exportTo: policy.exportTo } : {}),
            },
          }))
        : [],
    async remove() {
      const ours = await cluster.list(API_VERSION, 'DestinationRule', MANAGED_SELECTOR);
      for (const track of ['canary', 'baseline'] as const) {
        if (!ours.some((r) => r.metadata.name === ruleName(track))) continue;
        await cluster.delete({ ...DESTINATION_RULE, name: ruleName(track) });
        platform.info(`deleted DestinationRule ${ruleName(track)}`);
      }
    },
  };
}

/**
 * Read and update the VirtualService; list the DestinationRules (the stable's policy, the names we need),
 * and create, apply and delete the track hosts' own (the track Services' permissions come with every
 * weighted router).
 */
export const ISTIO_ACCESS = Object.freeze([
  { verb: 'get', resource: 'virtualservices', group: 'networking.istio.io' },
  { verb: 'update', resource: 'virtualservices', group: 'networking.istio.io' },
  { verb: 'list', resource: 'destinationrules', group: 'networking.istio.io' },
  { verb: 'create', resource: 'destinationrules', group: 'networking.istio.io' },
  { verb: 'patch', resource: 'destinationrules', group: 'networking.istio.io' },
  { verb: 'delete', resource: 'destinationrules', group: 'networking.istio.io' },
]);
