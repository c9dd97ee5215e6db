/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
import type { Backend, TrafficProxy } from '../node/types.ts';
import { PORT_ANNOTATION } from '../apiserver/handlers.ts';
import type { Cluster, Obj } from './cluster.ts';
import { T, isPodReady } from './cluster.ts';
import { resolveTargetPort, selectedPods } from './endpoints.ts';

export type StartProxy = () => Promise<TrafficProxy>;

interface Listener {
  proxy?: TrafficProxy;
  closed?: boolean;
  /** The groups last handed to the proxy: resetting them unchanged would restart its round-robin. */
  groups?: string;
}

/**
 * kube-proxy and a Gateway, played by real loopback listeners: every selector Service gets one
 * (round-robin over its ready pods, first service port), every HTTPRoute one that weights its first
 * rule's backendRefs; the port is published in the `sandbox.canary-action.dev/port` annotation.
 */
export class NetworkController {
  private listeners = new Map<string, Listener>();

  constructor(
    private readonly cluster: Cluster,
    private readonly startProxy: StartProxy,
    private readonly resync: () => void,
  ) {}

  private backendsOf(namespace: string, serviceName: string, port?: number): Backend[] {
    const service = this.cluster.get(T.services, namespace, serviceName);
    if (!service) return [];
    const servicePort =
      (service.spec.ports ?? []).find((p: any) => port === undefined || p.port === port) ??
      service.spec.ports?.[0];
    if (!servicePort) return [];
    return selectedPods(this.cluster, service)
      .filter(isPodReady)
      .flatMap((pod) => {
        const target = resolveTargetPort(servicePort, pod);
        return target === undefined ? [] : [{ host: pod.status.podIP as string, port: target }];
      });
  }

  syncAll(): void {
    const wanted = new Set<string>();
    for (const service of this.cluster.list(T.services)) {
      if (!service.spec?.selector || !(service.spec.ports ?? []).length || service.metadata.deletionTimestamp)
        continue;
      wanted.add(service.metadata.uid!);
      const backends = this.backendsOf(service.metadata.namespace!, service.metadata.name);
      this.ensure(T.services, service, [{ weight: 1, backends }]);
    }
    for (const route of this.cluster.list(T.httproutes)) {
      const refs: any[] = route.spec?.rules?.[0]?.backendRefs ?? [];
      if (refs.length === 0 || route.metadata.deletionTimestamp) continue;
      wanted.add(route.metadata.uid!);
      const groups = refs
        .filter((ref) => (ref.kind ?? 'Service') === 'Service')
        .map((ref) => ({
          weight: ref.weight ?? 1,
          backends: this.backendsOf(ref.namespace ?? route.metadata.namespace, ref.name, ref.port),
        }));
      this.ensure(T.httproutes, route, groups);
    }
    for (const [uid, listener] of this.listeners) {
      if (wanted.has(uid)) continue;
      this.listeners.delete(uid);
      listener.closed = true;
      void listener.proxy?.close();
    }
  }

  private ensure(
    type: typeof T.services,
    object: Obj,
    groups: Array<{ weight: number; backends: Backend[] }>,
  ): void {
    const uid = object.metadata.uid!;
    const listener = this.listeners.get(uid);
    if (!listener) {
      const fresh: Listener = {};
      this.listeners.set(uid, fresh);
      void this.startProxy().then((proxy) => {
        if (fresh.closed) return void proxy.close();
        fresh.proxy = proxy;
        this.resync();
      });
      return;
    }
    if (!listener.proxy) return;
    const serialized = JSON.stringify(groups);
    if (listener.groups !== serialized) {
      listener.groups = serialized;
      listener.proxy.setBackendGroups(groups);
    }
    const port = String(listener.proxy.port);
    if (object.metadata.annotations?.[PORT_ANNOTATION] !== port) {
      this.cluster.updateIfChanged(type, {
        ...object,
        metadata: {
          ...object.metadata,
          annotations: { ...object.metadata.annotations, [PORT_ANNOTATION]: port },
        },
      });
    }
  }

  async close(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    for (const l of all) l.closed = true;
    await Promise.all(all.map((l) => l.proxy?.close()));
  }
}
