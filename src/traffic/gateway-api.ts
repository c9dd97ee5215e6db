/**
 * The `gateway-api` router: the user's HTTPRoute (gateway.networking.k8s.io/v1) stays theirs. In each rule
 * that sends to the stable Service, `<service>-canary` and `<service>-baseline` are added beside it with the
 * step's weight; their pods carry labels the stable Service does not select (see `podLabels`), so the weight
 * is the exposure. The route's original spec is kept in an annotation on the route, and `reset` writes it
 * back unchanged, also from another job.
 */
import type { KubeObject } from '../kube/types.ts';
import { BackendError, ConfigError } from '../util/errors.ts';
import { acceptance } from './gateway-status.ts';
import {
  ORIGINAL_SPEC,
  ROUTER_ANNOTATIONS,
  trackServiceName,
  weightedRules,
  type RouteSpec,
} from './weights.ts';
import type { RouterContext, RoutedTrack, TrafficRouter } from './router.ts';

const HTTPROUTE = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' } as const;
const MANAGED = { 'app.kubernetes.io/managed-by': 'canary-action' };
const POLL_MS = 250;

interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: Array<Record<string, unknown>>;
}

/** The HTTPRoute's name from `traffic.route` (`httproute/NAME`, any case of the kind). */
export function routeName(route: string | undefined): string {
  const [kind, name] = (route ?? '').split('/');
  if (!name || kind?.toLowerCase() !== 'httproute') {
    throw new ConfigError(
      'traffic.route',
      `${JSON.stringify(route ?? '')} is not an HTTPRoute: the gateway-api router expects httproute/NAME`,
    );
  }
  return name;
}

export function gatewayApiRouter(context: RouterContext): TrafficRouter {
  const { cluster, platform, workload, traffic } = context;
  const service = traffic.service ?? workload;
  const name = routeName(traffic.route);
  const ref = { ...HTTPROUTE, name };
  let stableSelector: Record<string, string> = {};
  let stablePorts: Array<Record<string, unknown>> = [];
  let original: RouteSpec | undefined;
  let written: string | undefined;
  let weight = 0;

  /** Pod labels that the stable Service does not select: each of its selector's labels gets `-<track>`. */
  const podLabels = (track: RoutedTrack, labels: Readonly<Record<string, string>>) => {
    const keys = Object.keys(stableSelector);
    const selected = keys.length > 0 && keys.every((k) => labels[k] === stableSelector[k]);
    if (!selected) return { ...labels };
    const moved = Object.fromEntries(
      keys.filter((k) => k !== 'track').map((k) => [k, `${labels[k]}-${track}`]),
    );
    return { ...labels, ...moved };
  };

  const trackService = (track: RoutedTrack): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: trackServiceName(service, track),
      namespace: cluster.namespace,
      labels: { ...MANAGED, 'canary-action.dev/workload': workload, track },
    },
    spec: {
      selector: podLabels(track, { ...stableSelector, track }),
      ports: stablePorts.map((p) =>
        Object.fromEntries(
          Object.entries(p).filter(([k]) =>
            ['name', 'port', 'targetPort', 'protocol', 'appProtocol'].includes(k),
          ),
        ),
      ),
    },
  });

  /** Writes a spec (and the original-spec annotation, or its removal) onto the live route; retries 409. */
  const write = async (spec: RouteSpec, keepOriginal: string | undefined): Promise<KubeObject> => {
    for (let attempt = 0; ; attempt += 1) {
      const live = await cluster.get(ref);
      if (!live) throw new BackendError(`httproute/${name} disappeared during the run`);
      const annotations = { ...live.metadata.annotations };
      if (keepOriginal === undefined) delete annotations[ORIGINAL_SPEC];
      else annotations[ORIGINAL_SPEC] = keepOriginal;
      const { annotations: _a, ...metadata } = live.metadata;
      const body: KubeObject = {
        ...live,
        metadata: { ...metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
        spec,
      };
      const saved = await cluster.replace(body);
      if (saved) return saved;
      if (attempt >= 5)
        throw new BackendError(`httproute/${name}: conflicting writes, gave up after 6 attempts`);
    }
  };

  /** Resolves once every parent reports the route Accepted at its generation; exit 4 with its message if not. */
  const waitAccepted = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await cluster.get(ref);
      const verdict = live ? acceptance(live) : { state: 'pending' as const, message: 'gone' };
      if (verdict.state === 'accepted') return;
      if (verdict.state === 'rejected')
        throw new BackendError(`httproute/${name} is not accepted: ${verdict.message}`);
      if (Date.now() > deadline)
        throw new BackendError(
          `httproute/${name}: ${verdict.message} after ${Math.round(timeoutMs / 1000)} s`,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  const apply = async (spec: RouteSpec) => {
    const saved = await write(spec, JSON.stringify(original));
    written = JSON.stringify(saved.spec);
    await waitAccepted(context.acceptTimeoutMs);
  };

  return {
    name: 'gateway-api',
    weighted: true,
    access: GATEWAY_API_ACCESS,
    annotations: { ...ROUTER_ANNOTATIONS('gateway-api', `httproute/${name}`, service) },
    route: ({ weight: w, stableReplicas }) => ({
      replicas: traffic.canaryReplicas ?? Math.max(1, Math.round((stableReplicas * w) / 100)),
      objects: [trackService('canary'), ...(traffic.baseline ? [trackService('baseline')] : [])],
    }),
    podLabels,
    async prepare() {
      const tooHigh = traffic.steps.find((s) => traffic.baseline && s > 50);
      if (tooHigh !== undefined)
        throw new ConfigError(
          'traffic.steps',
          `${tooHigh}% with a baseline of the same weight leaves the stable less than nothing: at most 50 under the gateway-api router`,
        );
      const stable = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: service });
      const field = traffic.service ? 'traffic.service' : 'traffic.service (default: the workload)';
      if (!stable)
        throw new ConfigError(field, `service/${service} was not found in namespace "${cluster.namespace}"`);
      const spec = stable.spec as ServiceSpec;
      if (!spec.selector || Object.keys(spec.selector).length === 0)
        throw new ConfigError(field, `service/${service} has no selector: the canary's Service copies it`);
      stableSelector = spec.selector;
      stablePorts = spec.ports ?? [];
      const route = await cluster.get(ref);
      if (!route)
        throw new ConfigError(
          'traffic.route',
          `httproute/${name} was not found in namespace "${cluster.namespace}"`,
        );
      const kept = route.metadata.annotations?.[ORIGINAL_SPEC];
      original = kept ? (JSON.parse(kept) as RouteSpec) : (route.spec as RouteSpec);
      if (
        weightedRules(original, { service, namespace: cluster.namespace, weight: 0, baseline: false })
          .stableRules === 0
      )
        throw new ConfigError(
          'traffic.route',
          `httproute/${name} has no rule with a backendRef to Service ${service}`,
        );
      if (kept)
        platform.info(`httproute/${name} still carries a run's weights: starting from its original spec`);
    },
    async setWeight(w) {
      if (!original) throw new Error('gateway-api router: prepare() was not called');
      weight = w;
      const { spec } = weightedRules(original, {
        service,
        namespace: cluster.namespace,
        weight,
        baseline: traffic.baseline,
        ...(traffic.match ? { match: traffic.match } : {}),
      });
      await apply(spec);
      platform.info(
        `httproute/${name}: ${weight}% to ${trackServiceName(service, 'canary')}, accepted by its parents`,
      );
    },
    async reassert() {
      if (!original || written === undefined) return false;
      const live = await cluster.get(ref);
      if (live && JSON.stringify(live.spec) === written) return false;
      platform.warning(
        `httproute/${name} was changed by someone else: re-asserting ${weight}% to the canary`,
      );
      const { spec } = weightedRules(original, {
        service,
        namespace: cluster.namespace,
        weight,
        baseline: traffic.baseline,
        ...(traffic.match ? { match: traffic.match } : {}),
      });
      await apply(spec);
      return true;
    },
    async reset() {
      const live = await cluster.get(ref);
      const kept = live?.metadata.annotations?.[ORIGINAL_SPEC];
      if (kept) {
        await write(JSON.parse(kept) as RouteSpec, undefined);
        platform.info(`httproute/${name}: all traffic back to service/${service}, spec restored`);
        await waitAccepted(context.acceptTimeoutMs).catch((error: Error) =>
          platform.warning(`the restored route is not accepted yet: ${error.message}`),
        );
      }
      written = undefined;
      for (const track of ['canary', 'baseline'] as const) {
        const serviceName = trackServiceName(service, track);
        const found = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: serviceName });
        if (found?.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'canary-action') continue;
        await cluster.delete({ apiVersion: 'v1', kind: 'Service', name: serviceName });
        platform.info(`deleted Service ${serviceName}`);
      }
    },
  };
}

/** What the router does beyond the engine's own permissions: edit the route, own the track Services. */
export const GATEWAY_API_ACCESS = Object.freeze([
  { verb: 'get', resource: 'httproutes', group: 'gateway.networking.k8s.io' },
  { verb: 'update', resource: 'httproutes', group: 'gateway.networking.k8s.io' },
  { verb: 'create', resource: 'services', group: '' },
  { verb: 'patch', resource: 'services', group: '' },
  { verb: 'delete', resource: 'services', group: '' },
]);
