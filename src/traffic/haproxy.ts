/**
 * The `haproxy` router: HAProxy Ingress (haproxy-ingress.github.io/controller) weights the pods behind the
 * one stable Service by label. Canary and baseline pods keep the Service's selector labels (`track: canary`,
 * `track: baseline`), the stable's pods carry their own `track` (e.g. `stable`), and the step's split is the
 * Ingress's `blue-green-balance` in `blue-green-mode: pod`: a weight per pod of each group, computed from the
 * groups' ready pods (haproxy-blue-green.ts) and recomputed at every re-assertion. Only the Ingress's
 * blue-green annotations change; the ones it had are kept in an annotation on it, so `reset` puts them back
 * exactly, also from another job. HAProxy Ingress reports no status per change: a write is trusted once the
 * Ingress is served (its controller published `status.loadBalancer`).
 */
import type { KubeObject } from '../kube/types.ts';
import { ConfigError, PermissionError } from '../util/errors.ts';
import {
  backendProblem,
  blueGreenAnnotations,
  blueGreenChanges,
  blueGreenConfig,
  describeWeights,
  HAPROXY_INGRESS_CONTROLLER,
  ingressBackends,
  ingressClassOf,
  isReadyPod,
  matchProblem,
  MATCH_LABEL,
  ORIGINAL_ANNOTATIONS,
  podWeights,
  served,
  sharesOf,
  stableGroup,
  stableSelector,
  type GroupCounts,
} from './haproxy-blue-green.ts';
import { routeName, updateLive, waitAccepted, withAnnotation } from './live-object.ts';
import type { RouterContext, TrafficRouter } from './router.ts';
import { ROUTER_ANNOTATIONS } from './weights.ts';

const INGRESS = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' } as const;
/** The most a step's share may differ from its weight for the pod counts it plans (else exit 2). */
const MAX_SHARE_ERROR = 1;

type Labels = Record<string, string>;
const annotationsOf = (o: KubeObject | undefined): Labels => o?.metadata.annotations ?? {};
const sortedJson = (a: Labels) => JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)));
const withAnnotations = (object: KubeObject, changes: Record<string, string | undefined>) =>
  Object.entries(changes).reduce((o, [k, v]) => withAnnotation(o, k, v), object);

/** The Ingress and the stable Service a router instance works on. */
interface Target {
  name: string;
  label: string;
  ref: typeof INGRESS & { name: string };
  service: string;
}

export function haproxyRouter(context: RouterContext): TrafficRouter {
  const { cluster, platform, traffic, workload } = context;
  const name = routeName(traffic.route, ['ingress'], 'haproxy');
  const target: Target = {
    name,
    label: `ingress/${name}`,
    ref: { ...INGRESS, name },
    service: traffic.service ?? workload,
  };
  const { label, ref, service } = target;
  const header = traffic.match?.header;
  let selector: Labels | undefined;
  let stableTrack: string | undefined;
  /** The Ingress's blue-green annotations before the run. */
  let original: Labels | undefined;
  /** What the run last wrote: the sorted JSON of its blue-green annotations. */
  let written: string | undefined;
  let weight = 0;

  const planned = (stable: number, replicas: number): GroupCounts => ({
    stable,
    canary: replicas,
    baseline: traffic.baseline ? replicas : 0,
  });
  const replicasAt = (w: number, stable: number) =>
    traffic.canaryReplicas ?? Math.max(1, Math.round((stable * w) / 100));
  const configFor = (w: number, pods: GroupCounts) => {
    if (!stableTrack || !original) throw new Error('haproxy router: prepare() was not called');
    const weights = podWeights(w, pods, traffic.baseline);
    const step = { stableTrack, weights, baseline: traffic.baseline, ...(header ? { header } : {}) };
    return { config: blueGreenConfig(step), weights, shares: sharesOf(weights, pods) };
  };
  const describe = (step: ReturnType<typeof configFor>, pods: GroupCounts) =>
    describeWeights(step.weights, pods, traffic.baseline);
  const readyPods = () => countReadyPods(context, selector ?? {}, stableTrack ?? '');

  const servedWithin = () =>
    waitAccepted(
      async () => {
        const live = await cluster.get(ref);
        return live ? served(live) : { state: 'pending', message: 'the Ingress is gone' };
      },
      label,
      context.acceptTimeoutMs,
    );
  const write = async (pods: GroupCounts) => {
    const step = configFor(weight, pods);
    const changes = blueGreenChanges(step.config, original);
    await updateLive(cluster, ref, label, (live) => withAnnotations(live, changes));
    written = sortedJson(step.config);
    await servedWithin();
    if (Math.abs(step.shares.canary - weight) > MAX_SHARE_ERROR)
      platform.warning(
        `${label}: with the pods ready now the canary gets ${step.shares.canary.toFixed(1)}%, not ${weight}%`,
      );
    return step;
  };

  return {
    name: 'haproxy',
    weighted: true,
    access: HAPROXY_ACCESS,
    annotations: { ...ROUTER_ANNOTATIONS('haproxy', label, service) },
    route: ({ weight: w, stableReplicas }) => {
      const replicas = replicasAt(w, stableReplicas);
      if (!original) return { replicas, objects: [] };
      // Applied with the step's Deployments, so the canary's first ready pod already gets its weight.
      const { config } = configFor(w, planned(stableReplicas, replicas));
      const bare = { ...INGRESS, metadata: { name, namespace: cluster.namespace } };
      return { replicas, objects: [withAnnotations(bare, blueGreenChanges(config, original))] };
    },
    podLabels: (track, labels) => {
      const pod: Labels = { ...labels };
      delete pod[MATCH_LABEL];
      if (track === 'canary' && traffic.match?.exact !== undefined) pod[MATCH_LABEL] = traffic.match.exact;
      const outside = Object.entries(selector ?? {}).filter(([k, v]) => pod[k] !== v);
      if (outside.length > 0)
        throw new ConfigError(
          '--manifests',
          `the ${track}'s pods would lack ${outside.map(([k, v]) => `${k}=${v}`).join(', ')}, which service/${service} selects: the haproxy router weights pods behind that one Service`,
        );
      return pod;
    },
    async prepare() {
      checkTraffic(traffic);
      selector = await readSelector(context, target);
      const ingress = await readIngress(context, target);
      const stable = await readStable(context, selector);
      stableTrack = stable.track;
      const kept = annotationsOf(ingress)[ORIGINAL_ANNOTATIONS];
      original = kept ? (JSON.parse(kept) as Labels) : blueGreenAnnotations(annotationsOf(ingress));
      if (kept)
        platform.info(`${label} still carries a run's weights: starting from its original annotations`);
      for (const step of traffic.steps) {
        const pods = planned(stable.replicas, replicasAt(step, stable.replicas));
        const { shares } = configFor(step, pods);
        if (Math.abs(shares.canary - step) > MAX_SHARE_ERROR)
          throw new ConfigError(
            traffic.canaryReplicas ? 'traffic.canaryReplicas' : 'traffic.steps',
            `at ${step}% with ${pods.stable} stable and ${pods.canary} canary pod(s), pod weights of at most 256 give the canary ${shares.canary.toFixed(1)}% at best`,
          );
      }
    },
    async setWeight(w) {
      weight = w;
      const pods = await readyPods();
      const step = await write(pods);
      platform.info(`${label}: ${w}% to the canary (pod weights: ${describe(step, pods)}), served`);
    },
    async reassert() {
      if (written === undefined) return false;
      const live = await cluster.get(ref);
      const pods = await readyPods();
      const reverted =
        !live ||
        sortedJson(blueGreenAnnotations(annotationsOf(live))) !== written ||
        annotationsOf(live)[ORIGINAL_ANNOTATIONS] === undefined;
      if (!reverted && sortedJson(configFor(weight, pods).config) === written) return false;
      if (reverted)
        platform.warning(`${label} was changed by someone else: re-asserting ${weight}% to the canary`);
      const step = await write(pods);
      if (!reverted)
        platform.info(`${label}: the ready pods changed, pod weights now ${describe(step, pods)}`);
      return reverted;
    },
    async reset() {
      written = undefined;
      const live = await cluster.get(ref);
      const kept = annotationsOf(live)[ORIGINAL_ANNOTATIONS];
      const before = kept ? (JSON.parse(kept) as Labels) : original;
      if (!live || !before) return;
      if (!kept && sortedJson(blueGreenAnnotations(annotationsOf(live))) === sortedJson(before)) return;
      const changes = blueGreenChanges(before, undefined);
      await updateLive(cluster, ref, label, (current) => withAnnotations(current, changes));
      platform.info(
        `${label}: blue-green annotations restored, the pods of service/${service} weighted as before`,
      );
      // Not waited for: whether the Ingress is served does not depend on the user's own annotations.
      if (stableTrack) await warnIfStableUnlabelled(context, stableTrack);
    },
  };
}

/** The ready pods of each track behind the Service: what HAProxy Ingress balances over. */
async function countReadyPods({ cluster, traffic }: RouterContext, selector: Labels, stableTrack: string) {
  const base = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  const count = async (track: string) => {
    const pods = await cluster.list('v1', 'Pod', [...base, `track=${track}`].join(','));
    return pods.filter(isReadyPod).length;
  };
  const counts: GroupCounts = {
    stable: await count(stableTrack),
    canary: await count('canary'),
    baseline: 0,
  };
  return traffic.baseline ? { ...counts, baseline: await count('baseline') } : counts;
}

/** What the config asks that the annotations cannot express: a header regex, more than 50% beside a baseline. */
function checkTraffic(traffic: RouterContext['traffic']): void {
  const problem = traffic.match ? matchProblem(traffic.match) : undefined;
  if (problem) throw new ConfigError('traffic.match', problem);
  const tooHigh = traffic.steps.find((s) => traffic.baseline && s > 50);
  if (tooHigh !== undefined)
    throw new ConfigError(
      'traffic.steps',
      `${tooHigh}% with a baseline of the same weight leaves the stable less than nothing: at most 50 under the haproxy router`,
    );
}

async function readSelector({ cluster, traffic }: RouterContext, { service }: Target): Promise<Labels> {
  const field = traffic.service ? 'traffic.service' : 'traffic.service (default: the workload)';
  const found = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: service });
  if (!found)
    throw new ConfigError(field, `service/${service} was not found in namespace "${cluster.namespace}"`);
  return stableSelector(found, field);
}

async function readStable({ cluster, platform, workload }: RouterContext, labels: Labels) {
  const found = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: workload });
  if (!found)
    throw new ConfigError(
      'workload',
      `deployment/${workload} was not found in namespace "${cluster.namespace}"`,
    );
  const stable = stableGroup(found, labels);
  if (!stable.inSelector)
    platform.info(
      `keep "track: ${stable.track}" in the pod template of your manifests: promotion applies their template, and stable pods without it get no requests until the Ingress is restored`,
    );
  return stable;
}

/** The Ingress: HAProxy Ingress's, sending to the stable Service only, and no other Ingress's keys on it. */
async function readIngress(
  context: RouterContext,
  { name, label, ref, service }: Target,
): Promise<KubeObject> {
  const { cluster } = context;
  const ingress = await cluster.get(ref);
  if (!ingress)
    throw new ConfigError('traffic.route', `${label} was not found in namespace "${cluster.namespace}"`);
  await checkClass(context, label, ingress);
  const problem = backendProblem(ingress, service);
  if (problem) throw new ConfigError('traffic.route', `${label} ${problem}`);
  const className = ingressClassOf(ingress).name;
  for (const other of await cluster.list(INGRESS.apiVersion, INGRESS.kind)) {
    const keys = Object.keys(blueGreenAnnotations(annotationsOf(other)));
    if (other.metadata.name === name || keys.length === 0 || ingressClassOf(other).name !== className)
      continue;
    if (ingressBackends(other).includes(`service/${service}`))
      throw new ConfigError(
        'traffic.route',
        `ingress/${other.metadata.name} also sends to service/${service} and carries ${keys.join(', ')}: HAProxy Ingress takes one blue-green configuration per backend (the oldest Ingress's), which could override the run's`,
      );
  }
  return ingress;
}

/** Its IngressClass names HAProxy Ingress's controller; a class the run may not read is said, not assumed. */
async function checkClass(
  { cluster, platform }: RouterContext,
  label: string,
  ingress: KubeObject,
): Promise<void> {
  const { name: className, byAnnotation } = ingressClassOf(ingress);
  if (!className)
    return platform.warning(
      `${label} names no IngressClass: HAProxy Ingress serves it only with --watch-ingress-without-class`,
    );
  const ingressClass = await cluster
    .get({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', name: className })
    .catch((error: unknown) => {
      if (!(error instanceof PermissionError)) throw error;
      platform.info(
        `IngressClass ${className} cannot be read (cluster scope): its controller is not checked`,
      );
      return null;
    });
  if (ingressClass === null) return;
  if (!ingressClass && byAnnotation)
    return platform.info(
      `${label}: its class annotation "${className}" names no IngressClass; HAProxy Ingress compares it with its --ingress-class`,
    );
  if (!ingressClass)
    throw new ConfigError('traffic.route', `${label} is of IngressClass ${className}, which does not exist`);
  const controller = (ingressClass.spec as { controller?: string } | undefined)?.controller;
  if (controller !== HAPROXY_INGRESS_CONTROLLER)
    throw new ConfigError(
      'traffic.route',
      `${label} is of IngressClass ${className}, whose controller is ${controller ?? '(none)'}, not HAProxy Ingress (${HAPROXY_INGRESS_CONTROLLER})`,
    );
}

/** After a promotion whose manifests dropped the group label: the next run would refuse to start. */
async function warnIfStableUnlabelled({ cluster, platform, workload }: RouterContext, stableTrack: string) {
  const stable = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: workload });
  const spec = stable?.spec as { template?: { metadata?: { labels?: Labels } } } | undefined;
  if (stable && spec?.template?.metadata?.labels?.track !== stableTrack)
    platform.warning(
      `the pods of deployment/${workload} no longer carry track: ${stableTrack} (your manifests lack it): add it back before the next haproxy run`,
    );
}

/** Read, list (other Ingresses on the Service), apply (with a step's Deployments) and update the Ingress. */
export const HAPROXY_ACCESS = Object.freeze([
  { verb: 'get', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'list', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'patch', resource: 'ingresses', group: 'networking.k8s.io' },
  { verb: 'update', resource: 'ingresses', group: 'networking.k8s.io' },
]);
