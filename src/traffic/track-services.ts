/**
 * The Services a weighted router gives the canary and the baseline: `<service>-canary` and
 * `<service>-baseline`, each with the stable Service's ports and a selector of its own track's pods only.
 * The pods' labels are moved off the stable Service's selector (see `podLabels`), so the stable Service
 * never sends them a request and the route's weight is the whole of their exposure.
 */
import type { KubeObject } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';
import type { RouterContext, RoutedTrack } from './router.ts';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'canary-action' } as const;

export const trackServiceName = (service: string, track: RoutedTrack) => `${service}-${track}`;

const SERVICE_PORT_FIELDS = ['name', 'port', 'targetPort', 'protocol', 'appProtocol'];

interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: Array<Record<string, unknown>>;
}

export interface TrackServices {
  /** The stable Service's name. */
  readonly service: string;
  /** Reads the stable Service; a ConfigError (exit 2) when it is missing or selects nothing. */
  load(): Promise<void>;
  /** Pod labels the stable Service does not select: each of its selector's labels gets `-<track>`. */
  podLabels(track: RoutedTrack, labels: Readonly<Record<string, string>>): Record<string, string>;
  /** The track Services to apply with a step's Deployments. */
  objects(tracks: readonly RoutedTrack[]): KubeObject[];
  /** Deletes the track Services this tool created (never one it did not). Idempotent. */
  remove(): Promise<void>;
}

export function trackServices(context: RouterContext): TrackServices {
  const { cluster, platform, workload, traffic } = context;
  const service = traffic.service ?? workload;
  let stableSelector: Record<string, string> = {};
  let stablePorts: Array<Record<string, unknown>> = [];

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
      labels: { ...MANAGED_BY, 'canary-action.dev/workload': workload, track },
    },
    spec: {
      selector: podLabels(track, { ...stableSelector, track }),
      ports: stablePorts.map((p) =>
        Object.fromEntries(Object.entries(p).filter(([k]) => SERVICE_PORT_FIELDS.includes(k))),
      ),
    },
  });

  return {
    service,
    async load() {
      const stable = await cluster.get({ apiVersion: 'v1', kind: 'Service', name: service });
      const field = traffic.service ? 'traffic.service' : 'traffic.service (default: the workload)';
      if (!stable)
        throw new ConfigError(field, `service/${service} was not found in namespace "${cluster.namespace}"`);
      const spec = stable.spec as ServiceSpec;
      if (!spec.selector || Object.keys(spec.selector).length === 0)
        throw new ConfigError(field, `service/${service} has no selector: the canary's Service copies it`);
      stableSelector = spec.selector;
      stablePorts = spec.ports ?? [];
    },
    podLabels,
    objects: (tracks) => tracks.map(trackService),
    async remove() {
      for (const track of ['canary', 'baseline'] as const) {
        const name = trackServiceName(service, track);
        const found = await cluster.get({ apiVersion: 'v1', kind: 'Service', name });
        if (
          found?.metadata.labels?.['app.kubernetes.io/managed-by'] !==
          MANAGED_BY['app.kubernetes.io/managed-by']
        )
          continue;
        await cluster.delete({ apiVersion: 'v1', kind: 'Service', name });
        platform.info(`deleted Service ${name}`);
      }
    },
  };
}

/** The permissions behind `trackServices`: own the track Services. */
export const TRACK_SERVICE_ACCESS = Object.freeze([
  { verb: 'create', resource: 'services', group: '' },
  { verb: 'patch', resource: 'services', group: '' },
  { verb: 'delete', resource: 'services', group: '' },
]);
