/**
 * A weighted router that edits the spec of one routing object the user owns (an HTTPRoute, a
 * VirtualService): the step's spec is derived from the original spec, which is kept in an annotation on
 * the object itself, so `reset` writes it back byte for byte, also from another job. The canary and the
 * baseline get their own Services (track-services.ts). A router module supplies what is specific to its
 * kind: how weights enter the spec and how its controller reports that it took a change, and, if it needs
 * them, objects of its own beside the track Services (istio: DestinationRules carrying the stable's policy).
 */
import type { AccessCheck, KubeObject, ObjectRef } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';
import { updateLive, waitAccepted, withAnnotation, type Acceptance } from './live-object.ts';
import type { RouterContext, RoutedTrack, TrafficRouter } from './router.ts';
import { trackServices, TRACK_SERVICE_ACCESS } from './track-services.ts';
import { ORIGINAL_SPEC, ROUTER_ANNOTATIONS } from './weights.ts';

export type Spec = Record<string, unknown>;

export interface SpecRouteKind {
  /** The `traffic.router` name. */
  router: string;
  /** The routing object (its name from `traffic.route`). */
  ref: ObjectRef & { name: string };
  /** How the object is named in messages and in the canary's annotations: `httproute/web`. */
  label: string;
  /** Permissions to read and update the object. */
  access: readonly AccessCheck[];
  /** The original spec with `weight` percent to the canary (and as much to the baseline) where it sent to the service. */
  weighted(original: Spec, weight: number, service: string): { spec: Spec; stableRoutes: number };
  /** What "a rule that sends to the service" is called in the exit-2 message when there is none. */
  noStableRoute(service: string): string;
  /** Whether the controller took the live object's current spec. */
  acceptance(live: KubeObject): Acceptance;
  /** Optional: the kind's own checks and reads of the original spec, before any change (ConfigError, exit 2). */
  prepare?(original: Spec, service: string): Promise<void>;
  /** Optional: objects of the kind's own, applied with each step beside the track Services (after `prepare`). */
  objects?(tracks: readonly RoutedTrack[]): KubeObject[];
  /** Optional: removes those objects (never one it did not create); idempotent, also from another job. */
  remove?(): Promise<void>;
}

export function specRouter(context: RouterContext, kind: SpecRouteKind): TrafficRouter {
  const { cluster, platform, traffic } = context;
  const services = trackServices(context);
  const { service } = services;
  const tracks: RoutedTrack[] = traffic.baseline ? ['canary', 'baseline'] : ['canary'];
  let original: Spec | undefined;
  let written: string | undefined;
  let weight = 0;

  const accepted = () =>
    waitAccepted(
      async () => {
        const live = await cluster.get(kind.ref);
        return live ? kind.acceptance(live) : { state: 'pending', message: 'the object is gone' };
      },
      kind.label,
      context.acceptTimeoutMs,
    );

  const apply = async () => {
    if (!original) throw new Error(`${kind.router} router: prepare() was not called`);
    const { spec } = kind.weighted(original, weight, service);
    const keep = JSON.stringify(original);
    const saved = await updateLive(cluster, kind.ref, kind.label, (live) => ({
      ...withAnnotation(live, ORIGINAL_SPEC, keep),
      spec,
    }));
    written = JSON.stringify(saved.spec);
    await accepted();
  };

  return {
    name: kind.router,
    weighted: true,
    access: [...kind.access, ...TRACK_SERVICE_ACCESS],
    annotations: { ...ROUTER_ANNOTATIONS(kind.router, kind.label, service) },
    route: ({ weight: w, stableReplicas }) => ({
      replicas: traffic.canaryReplicas ?? Math.max(1, Math.round((stableReplicas * w) / 100)),
      objects: [...services.objects(tracks), ...(kind.objects?.(tracks) ?? [])],
    }),
    podLabels: (track, labels) => services.podLabels(track, labels),
    async prepare() {
      const tooHigh = traffic.steps.find((s) => traffic.baseline && s > 50);
      if (tooHigh !== undefined)
        throw new ConfigError(
          'traffic.steps',
          `${tooHigh}% with a baseline of the same weight leaves the stable less than nothing: at most 50 under the ${kind.router} router`,
        );
      await services.load();
      const live = await cluster.get(kind.ref);
      if (!live)
        throw new ConfigError(
          'traffic.route',
          `${kind.label} was not found in namespace "${cluster.namespace}"`,
        );
      const kept = live.metadata.annotations?.[ORIGINAL_SPEC];
      original = kept ? (JSON.parse(kept) as Spec) : ((live.spec ?? {}) as Spec);
      if (kind.weighted(original, 0, service).stableRoutes === 0)
        throw new ConfigError('traffic.route', `${kind.label} ${kind.noStableRoute(service)}`);
      await kind.prepare?.(original, service);
      if (kept) platform.info(`${kind.label} still carries a run's weights: starting from its original spec`);
    },
    async setWeight(w) {
      weight = w;
      await apply();
      platform.info(`${kind.label}: ${weight}% to ${service}-canary, accepted`);
    },
    async reassert() {
      if (!original || written === undefined) return false;
      const live = await cluster.get(kind.ref);
      if (live && JSON.stringify(live.spec) === written) return false;
      platform.warning(`${kind.label} was changed by someone else: re-asserting ${weight}% to the canary`);
      await apply();
      return true;
    },
    async reset() {
      const live = await cluster.get(kind.ref);
      const kept = live?.metadata.annotations?.[ORIGINAL_SPEC];
      if (kept) {
        await updateLive(cluster, kind.ref, kind.label, (current) => ({
          ...withAnnotation(current, ORIGINAL_SPEC, undefined),
          spec: JSON.parse(kept) as Spec,
        }));
        platform.info(`${kind.label}: all traffic back to service/${service}, spec restored`);
        await accepted().catch((error: Error) =>
          platform.warning(`the restored route is not accepted yet: ${error.message}`),
        );
      }
      written = undefined;
      await services.remove();
      await kind.remove?.();
    },
  };
}
