/**
 * The `nginx` router, for ingress-nginx (legacy: the project was retired in March 2026; prefer the
 * `gateway-api` router). The user's Ingress is never changed: beside it, a canary Ingress
 * `<ingress>-canary` of the same class repeats its locations (host, path, pathType) that send to the stable
 * Service, annotated `nginx.ingress.kubernetes.io/canary` and `canary-weight` (nginx-ingress.ts).
 *
 * ingress-nginx merges only one canary Ingress into a backend, so the canary and the baseline share it:
 * the canary Ingress sends 2w% to `<service>-canary-baseline`, a Service selecting the canary's and the
 * baseline's pods (as many of each, by the label `canary-action.dev/canary-or-baseline`), and nginx's
 * per-request round robin over its endpoints gives each w%. Without a baseline it sends w% to
 * `<service>-canary`, and `traffic.match` becomes `canary-by-header`.
 */
import type { TrafficConfig } from '../config/types.ts';
import type { Cluster, KubeObject } from '../kube/types.ts';
import type { Platform } from '../platform/types.ts';
import { ConfigError } from '../util/errors.ts';
import { routeName, updateLive, waitAccepted } from './live-object.ts';
import {
  addresses,
  canaryIngress,
  drift,
  headerAnnotations,
  ingressClass,
  isCanary,
  matchProblem,
  NGINX,
  rivalCanary,
  served,
  stableLocations,
  weightAnnotations,
  type Location,
} from './nginx-ingress.ts';
import type { RouterContext, TrafficRouter } from './router.ts';
import { MANAGED_BY, trackServiceName, trackServices, TRACK_SERVICE_ACCESS } from './track-services.ts';
import { ROUTER_ANNOTATIONS } from './weights.ts';

const INGRESS = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' } as const;

/** On the canary's and the baseline's pods (value: the workload): what `<service>-canary-baseline` selects. */
export const PAIR_LABEL = 'canary-action.dev/canary-or-baseline';

const managed = (o: KubeObject | undefined) =>
  o?.metadata.labels?.['app.kubernetes.io/managed-by'] === MANAGED_BY['app.kubernetes.io/managed-by'];

/** The canary Ingress's share of the main backend's requests: the canary's, and the baseline's as much. */
const shareOf = (traffic: TrafficConfig, weight: number) => (traffic.baseline ? 2 * weight : weight);

/** Steps and match that ingress-nginx can carry as asked; a ConfigError otherwise. */
function checkTraffic(traffic: TrafficConfig): void {
  for (const step of traffic.steps) {
    if (shareOf(traffic, step) > 100)
      throw new ConfigError(
        'traffic.steps',
        `${step}% for the canary and as much for the baseline is more than all traffic: at most 50 under the nginx router`,
      );
    if (!weightAnnotations(shareOf(traffic, step)))
      throw new ConfigError(
        'traffic.steps',
        `${step}% is finer than the nginx router can split: canary-weight of canary-weight-total gives 0.01%${traffic.baseline ? ' for canary and baseline together' : ''}`,
      );
  }
  if (traffic.match && traffic.baseline)
    throw new ConfigError(
      'traffic.match',
      'needs traffic.baseline: false under the nginx router: its one canary Ingress sends to the canary and the baseline alike, so matching requests would reach the baseline too',
    );
  const problem = traffic.match && matchProblem(traffic.match);
  if (problem) throw new ConfigError('traffic.match', problem);
}

/** The main Ingress, served and sending to the stable, with no other canary Ingress in the way; exit 2 otherwise. */
async function readMainIngress(
  cluster: Cluster,
  platform: Platform,
  names: { main: string; canary: string; service: string },
): Promise<{ main: KubeObject; locations: Location[] }> {
  const { service } = names;
  const label = `ingress/${names.main}`;
  const refuse = (why: string) => new ConfigError('traffic.route', `${label} ${why}`);
  const main = await cluster.get({ ...INGRESS, name: names.main });
  if (!main) throw refuse(`was not found in namespace "${cluster.namespace}"`);
  if (isCanary(main)) throw refuse(`is itself a canary Ingress (${NGINX}canary): name the main Ingress`);
  const locations = stableLocations(main, service);
  if (locations.length === 0) throw refuse(`has no rule with a path to Service ${service}`);
  if (!addresses(main))
    throw refuse(
      'has no load-balancer address in its status: no controller reports serving it (ingress-nginx writes one unless started with --update-status=false)',
    );
  const all = await cluster.list(INGRESS.apiVersion, INGRESS.kind);
  const taken = all.find((i) => i.metadata.name === names.canary);
  if (taken && !managed(taken))
    throw refuse(
      `needs the name ${names.canary} for its canary Ingress, and that Ingress is not canary-action's`,
    );
  const rival = rivalCanary(all, { className: ingressClass(main), service, own: names.canary });
  if (rival)
    throw refuse(
      `already has a canary Ingress for Service ${service}, ingress/${rival.metadata.name}: ingress-nginx merges only one (the oldest) into a backend`,
    );
  if (main.metadata.annotations?.[`${NGINX}affinity`])
    platform.info(
      `${label} has session affinity: ingress-nginx keeps a client on the backend it first got, so the weight splits new sessions rather than requests`,
    );
  return { main, locations };
}

export function nginxRouter(context: RouterContext): TrafficRouter {
  const { cluster, platform, workload, traffic } = context;
  const name = routeName(traffic.route, ['ingress'], 'nginx');
  const services = trackServices(context);
  const { service } = services;
  const canary = { ...INGRESS, name: `${name}-canary` };
  const [label, canaryLabel] = [`ingress/${name}`, `ingress/${canary.name}`];
  const pair = { apiVersion: 'v1', kind: 'Service', name: `${service}-canary-baseline` } as const;
  const backend = traffic.baseline ? pair.name : trackServiceName(service, 'canary');
  const ownLabels = { ...MANAGED_BY, 'canary-action.dev/workload': workload };
  let found: { main: KubeObject; locations: Location[] } | undefined;
  let written: KubeObject | undefined;
  let weight = 0;

  /** `<service>-canary-baseline`: the stable Service's ports, the canary's and the baseline's pods. */
  const pairService = (): KubeObject => {
    const [template] = services.objects(['canary']);
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: pair.name, namespace: cluster.namespace, labels: ownLabels },
      spec: { ...(template?.spec as object), selector: { [PAIR_LABEL]: workload } },
    };
  };

  /** Writes the canary Ingress for the current weight and waits until it is served like the main one. */
  const write = async () => {
    if (!found) throw new Error('nginx router: prepare() was not called');
    const want = canaryIngress({
      ...found,
      name: canary.name,
      backend,
      labels: ownLabels,
      routing: { ...weightAnnotations(shareOf(traffic, weight)), ...headerAnnotations(traffic.match) },
    });
    if (await cluster.get(canary))
      await updateLive(cluster, canary, canaryLabel, (live) => ({
        ...want,
        metadata: { ...want.metadata, resourceVersion: live.metadata.resourceVersion },
      }));
    else await cluster.apply(want);
    written = want;
    const verdict = async () => served(await cluster.get(canary), await cluster.get({ ...INGRESS, name }));
    await waitAccepted(verdict, canaryLabel, context.acceptTimeoutMs);
  };

  return {
    name: 'nginx',
    weighted: true,
    access: [...NGINX_ACCESS, ...TRACK_SERVICE_ACCESS],
    annotations: { ...ROUTER_ANNOTATIONS('nginx', label, service) },
    route: ({ weight: w, stableReplicas }) => ({
      replicas: traffic.canaryReplicas ?? Math.max(1, Math.round((stableReplicas * w) / 100)),
      objects: traffic.baseline ? [pairService()] : services.objects(['canary']),
    }),
    podLabels: (track, labels) => ({ ...services.podLabels(track, labels), [PAIR_LABEL]: workload }),
    async prepare() {
      checkTraffic(traffic);
      await services.load();
      found = await readMainIngress(cluster, platform, { main: name, canary: canary.name, service });
    },
    async setWeight(w) {
      weight = w;
      await write();
      platform.info(
        `${canaryLabel}: ${shareOf(traffic, w)}% of ${label}'s requests to service/${backend}${traffic.baseline ? ` (${w}% each to the canary and the baseline)` : ''}, served`,
      );
    },
    async reassert() {
      if (!written) return false;
      const live = await cluster.get(canary);
      const change = live ? drift(live, written) : 'it was deleted';
      if (!change) return false;
      platform.warning(
        `${canaryLabel} was changed by someone else (${change}): re-asserting ${weight}% to the canary`,
      );
      await write();
      return true;
    },
    async reset() {
      written = undefined;
      if (managed(await cluster.get(canary))) {
        await cluster.delete(canary);
        platform.info(`deleted ${canaryLabel}: all of ${label}'s traffic back to service/${service}`);
      }
      if (managed(await cluster.get(pair))) {
        await cluster.delete(pair);
        platform.info(`deleted Service ${pair.name}`);
      }
      await services.remove();
    },
  };
}

/** Read the Ingresses, own the canary Ingress (the track Services' permissions come with every weighted router). */
export const NGINX_ACCESS = Object.freeze([
  { verb: 'get', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'list', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'create', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'patch', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'update', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'delete', resource: 'ingresses', group: 'networking.k8s.io' },
]);
