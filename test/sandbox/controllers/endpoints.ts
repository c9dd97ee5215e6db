/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
import { matchesRequirements, selectorRequirements } from '../apiserver/selectors.ts';
import type { Cluster, Obj } from './cluster.ts';
import { T, isPodReady } from './cluster.ts';

/** A Service port's targetPort on one pod: a number, or a named containerPort. */
export function resolveTargetPort(servicePort: any, pod: Obj): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

export function selectedPods(cluster: Cluster, service: Obj): Obj[] {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const requirements = selectorRequirements({ matchLabels: selector });
  return cluster
    .list(T.pods, service.metadata.namespace)
    .filter(
      (p) =>
        p.status?.podIP &&
        !p.metadata.deletionTimestamp &&
        matchesRequirements(p.metadata.labels, requirements),
    );
}

/** The Endpoints controller: one Endpoints object per selector Service, ready and not-ready addresses. */
export class EndpointsController {
  constructor(private readonly cluster: Cluster) {}

  syncAll(): void {
    const services = this.cluster.list(T.services);
    const known = new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    for (const service of services) if (service.spec?.selector) this.sync(service);
    for (const ep of this.cluster.list(T.endpoints)) {
      if (!known.has(`${ep.metadata.namespace}/${ep.metadata.name}`))
        this.cluster.store.remove(T.endpoints, ep.metadata.namespace, ep.metadata.name);
    }
  }

  private sync(service: Obj): void {
    const subsets = new Map<string, { addresses: any[]; notReadyAddresses: any[]; ports: any[] }>();
    for (const pod of selectedPods(this.cluster, service)) {
      const ports = (service.spec.ports ?? []).flatMap((sp: any) => {
        const port = resolveTargetPort(sp, pod);
        return port === undefined
          ? []
          : [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' }];
      });
      if (ports.length === 0) continue;
      const key = JSON.stringify(ports);
      const subset = subsets.get(key) ?? { addresses: [], notReadyAddresses: [], ports };
      const address = {
        ip: pod.status.podIP,
        nodeName: pod.spec.nodeName,
        targetRef: {
          kind: 'Pod',
          namespace: pod.metadata.namespace,
          name: pod.metadata.name,
          uid: pod.metadata.uid,
        },
      };
      (isPodReady(pod) ? subset.addresses : subset.notReadyAddresses).push(address);
      subsets.set(key, subset);
    }
    const list = [...subsets.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ports: s.ports,
    }));
    const labels = { ...service.metadata.labels };
    const existing = this.cluster.get(T.endpoints, service.metadata.namespace, service.metadata.name);
    const metadata = {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
    };
    const body = { metadata, ...(list.length ? { subsets: list } : {}) };
    if (!existing) this.cluster.store.create(T.endpoints, body);
    else {
      const next: Obj = { ...existing, metadata: { ...existing.metadata, ...metadata } };
      if (list.length) next.subsets = list;
      else delete next.subsets;
      this.cluster.updateIfChanged(T.endpoints, next);
    }
  }
}
