/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
import type { Cluster, Obj } from '../controllers/cluster.ts';
import { T, isPodReady } from '../controllers/cluster.ts';
import { resolveTargetPort, selectedPods } from '../controllers/endpoints.ts';
import type { Backend } from '../node/types.ts';

/** A ready endpoint of a Service port, with the labels of its pod (for subsets and blue/green groups). */
export interface PodEndpoint extends Backend {
  pod: string;
  labels: Record<string, string>;
}

/** A Service port by number or by name; undefined when the Service has no such port. */
export function findServicePort(service: Obj, port: number | string | undefined): any {
  const ports: any[] = service.spec?.ports ?? [];
  if (port === undefined) return ports[0];
  return ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

/** The ready endpoints of one Service port: what kube-proxy, Envoy (EDS) and ingress controllers balance over. */
export function readyEndpoints(cluster: Cluster, service: Obj, servicePort: any): PodEndpoint[] {
  if (!servicePort || (servicePort.protocol ?? 'TCP') !== 'TCP') return [];
  return selectedPods(cluster, service)
    .filter(isPodReady)
    .flatMap((pod) => {
      const port = resolveTargetPort(servicePort, pod);
      return port === undefined
        ? []
        : [
            {
              host: pod.status.podIP as string,
              port,
              pod: pod.metadata.name,
              labels: pod.metadata.labels ?? {},
            },
          ];
    });
}

export function getService(cluster: Cluster, namespace: string, name: string): Obj | undefined {
  const service = cluster.get(T.services, namespace, name);
  return service && !service.metadata.deletionTimestamp ? service : undefined;
}

/** Oldest first, then by namespace/name: the order controllers use to break ties between objects. */
export function byAge(a: Obj, b: Obj): number {
  const ta = Date.parse(String(a.metadata.creationTimestamp ?? '')) || 0;
  const tb = Date.parse(String(b.metadata.creationTimestamp ?? '')) || 0;
  if (ta !== tb) return ta - tb;
  return `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
    `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
  );
}

export const strip = (backends: PodEndpoint[]): Backend[] =>
  backends.map(({ host, port }) => ({ host, port }));
