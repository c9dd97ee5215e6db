import type { Backend, TrafficProxy } from '../node/types.ts';
import { PORTS_ANNOTATION, PORT_ANNOTATION } from '../apiserver/handlers.ts';
import type { ResourceType } from '../apiserver/resources.ts';
import { evaluateGatewayApi } from '../routing/gateway-api.ts';
import { evaluateIngresses } from '../routing/ingress.ts';
import { evaluateIstio } from '../routing/istio.ts';
import { readyEndpoints, strip } from '../routing/services.ts';
import type { RouteTable } from '../routing/table.ts';
import { compileRouter } from '../routing/table.ts';
import type { Cluster, Obj } from './cluster.ts';
import { T } from './cluster.ts';

export type StartProxy = () => Promise<TrafficProxy>;

/** What a listener does: relay connections to endpoints (kube-proxy), or route requests by a table. */
export type ListenerConfig =
  { endpoints: Backend[]; clientIPAffinitySeconds?: number } | { table: RouteTable };

interface Listener {
  proxy?: TrafficProxy;
  closed?: boolean;
  /** The config last handed to the proxy: re-applying it unchanged would reset its balancing state. */
  config?: string;
}

/**
 * kube-proxy, a mesh, a Gateway and ingress controllers, played by real loopback listeners on
 * 127.0.0.1 at random ports, published in annotations (`sandbox.canary-action.dev/port`: the first
 * port's listener; `…/ports`: JSON from each declared port to its listener):
 *
 * - every port of every selector Service: a random ready endpoint per new connection (kube-proxy), or,
 *   when a GAMMA HTTPRoute or an Istio VirtualService routes that Service (the client's sidecar
 *   intercepting the traffic), every request routed by it;
 * - every listener port of a Gateway of the sandbox's GatewayClasses: requests routed by the HTTPRoutes
 *   attached to it;
 * - every IngressClass of ingress-nginx or HAProxy Ingress: requests routed by its Ingresses.
 */
export class NetworkController {
  private listeners = new Map<string, Listener>();
  private configs = new Map<string, ListenerConfig>();

  constructor(
    private readonly cluster: Cluster,
    private readonly startProxy: StartProxy,
    private readonly resync: () => void,
  ) {}

  /** The config of a listener, by `service|gateway/<namespace>/<name>/<port>` or `ingressclass/<name>`. */
  configOf(id: string): ListenerConfig | undefined {
    return this.configs.get(id);
  }

  syncAll(): void {
    const wanted = new Set<string>();
    const gatewayApi = evaluateGatewayApi(this.cluster);
    const istio = evaluateIstio(this.cluster);

    for (const service of this.cluster.list(T.services)) {
      if (!service.spec?.selector || service.spec.clusterIP === 'None' || service.metadata.deletionTimestamp)
        continue;
      const id = `${service.metadata.namespace}/${service.metadata.name}`;
      const ports: number[] = [];
      const configs: ListenerConfig[] = [];
      for (const servicePort of service.spec.ports ?? []) {
        if ((servicePort.protocol ?? 'TCP') !== 'TCP') continue;
        const table =
          gatewayApi.meshTables.get(id)?.get(servicePort.port) ?? istio.get(id)?.get(servicePort.port);
        ports.push(servicePort.port);
        const affinity =
          service.spec.sessionAffinity === 'ClientIP'
            ? {
                clientIPAffinitySeconds:
                  service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
              }
            : {};
        configs.push(
          table
            ? { table }
            : { endpoints: strip(readyEndpoints(this.cluster, service, servicePort)), ...affinity },
        );
      }
      this.publish(T.services, service, `service/${id}`, ports, configs, wanted);
    }

    for (const gateway of this.cluster.list(T.gateways)) {
      const id = `${gateway.metadata.namespace}/${gateway.metadata.name}`;
      const tables = gatewayApi.gatewayTables.get(id);
      if (!tables) continue;
      const ports = [...tables.keys()];
      this.publish(
        T.gateways,
        gateway,
        `gateway/${id}`,
        ports,
        ports.map((p) => ({ table: tables.get(p)! })),
        wanted,
      );
    }

    for (const [name, model] of evaluateIngresses(this.cluster)) {
      const listener = this.ensure(
        `ingressclass/${name}`,
        model.ingressClass.metadata.uid!,
        { table: model.table },
        wanted,
      );
      if (listener !== undefined) this.annotate(T.ingressclasses, model.ingressClass, listener, undefined);
    }

    for (const [key, listener] of this.listeners) {
      if (wanted.has(key)) continue;
      this.listeners.delete(key);
      this.configs.delete(key.slice(key.indexOf('|') + 1));
      listener.closed = true;
      void listener.proxy?.close();
    }
  }

  private publish(
    type: ResourceType,
    object: Obj,
    id: string,
    ports: number[],
    configs: ListenerConfig[],
    wanted: Set<string>,
  ): void {
    const published: Record<string, number> = {};
    ports.forEach((port, i) => {
      const listener = this.ensure(`${id}/${port}`, object.metadata.uid!, configs[i]!, wanted);
      if (listener !== undefined) published[String(port)] = listener;
    });
    const first = ports.length > 0 ? published[String(ports[0])] : undefined;
    if (first !== undefined) this.annotate(type, object, first, published);
  }

  /** Starts (or reconfigures) a listener; its port once it listens. */
  private ensure(id: string, uid: string, config: ListenerConfig, wanted: Set<string>): number | undefined {
    const key = `${uid}|${id}`;
    wanted.add(key);
    this.configs.set(id, config);
    const listener = this.listeners.get(key);
    if (!listener) {
      const fresh: Listener = {};
      this.listeners.set(key, fresh);
      void this.startProxy().then((proxy) => {
        if (fresh.closed) return void proxy.close();
        fresh.proxy = proxy;
        this.resync();
      });
      return undefined;
    }
    if (!listener.proxy) return undefined;
    const serialized = JSON.stringify(config);
    if (listener.config !== serialized) {
      listener.config = serialized;
      if ('table' in config) listener.proxy.setRouter(compileRouter(config.table));
      else
        listener.proxy.setConnectionBackends(
          config.endpoints,
          config.clientIPAffinitySeconds !== undefined
            ? { clientIPAffinitySeconds: config.clientIPAffinitySeconds }
            : {},
        );
    }
    return listener.proxy.port;
  }

  private annotate(
    type: ResourceType,
    object: Obj,
    port: number,
    ports: Record<string, number> | undefined,
  ): void {
    const annotations: Record<string, string> = {
      ...object.metadata.annotations,
      [PORT_ANNOTATION]: String(port),
      ...(ports ? { [PORTS_ANNOTATION]: JSON.stringify(ports) } : {}),
    };
    if (JSON.stringify(annotations) === JSON.stringify(object.metadata.annotations)) return;
    this.cluster.updateIfChanged(type, { ...object, metadata: { ...object.metadata, annotations } });
  }

  async close(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    for (const l of all) l.closed = true;
    await Promise.all(all.map((l) => l.proxy?.close()));
  }
}
