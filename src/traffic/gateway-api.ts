/**
 * The `gateway-api` router: the user's HTTPRoute (gateway.networking.k8s.io/v1) stays theirs. In each rule
 * that sends to the stable Service, `<service>-canary` and `<service>-baseline` are added beside it with the
 * step's weight (weights.ts); a change is trusted once every parent reports it Accepted at the route's
 * generation (gateway-status.ts). Gateway parents and Service parents (GAMMA) alike.
 */
import { acceptance } from './gateway-status.ts';
import { routeName } from './live-object.ts';
import type { RouterContext, TrafficRouter } from './router.ts';
import { specRouter } from './spec-router.ts';
import { weightedRules } from './weights.ts';

const HTTPROUTE = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' } as const;

export function gatewayApiRouter(context: RouterContext): TrafficRouter {
  const { cluster, traffic } = context;
  const name = routeName(traffic.route, ['httproute'], 'gateway-api');
  return specRouter(context, {
    router: 'gateway-api',
    ref: { ...HTTPROUTE, name },
    label: `httproute/${name}`,
    access: GATEWAY_API_ACCESS,
    weighted: (original, weight, service) => {
      const { spec, stableRules } = weightedRules(original, {
        service,
        namespace: cluster.namespace,
        weight,
        baseline: traffic.baseline,
        ...(traffic.match ? { match: traffic.match } : {}),
      });
      return { spec, stableRoutes: stableRules };
    },
    noStableRoute: (service) => `has no rule with a backendRef to Service ${service}`,
    acceptance,
  });
}

/** Read and update the route (the track Services' permissions come with every weighted router). */
export const GATEWAY_API_ACCESS = Object.freeze([
  { verb: 'get', resource: 'httproutes', group: 'gateway.networking.k8s.io' },
  { verb: 'update', resource: 'httproutes', group: 'gateway.networking.k8s.io' },
]);
