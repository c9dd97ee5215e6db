import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Faults } from './apiserver/faults.ts';
import { PORTS_ANNOTATION, PORT_ANNOTATION } from './apiserver/handlers.ts';
import { writeKubeconfig } from './apiserver/kubeconfig.ts';
import type { Rule, User } from './apiserver/rbac.ts';
import { ADMIN_RULES, canaryRules } from './apiserver/rbac.ts';
import { ResourceApi } from './apiserver/rest.ts';
import type { ApiServer } from './apiserver/server.ts';
import { startApiServer } from './apiserver/server.ts';
import { Store } from './apiserver/store.ts';
import { ApiError } from './apiserver/status.ts';
import { ensureCertificates } from './apiserver/tls.ts';
import { Cluster, T } from './controllers/cluster.ts';
import { DeploymentController } from './controllers/deployment.ts';
import { EndpointsController } from './controllers/endpoints.ts';
import { GarbageCollector } from './controllers/gc.ts';
import { GatewayStatusController } from './controllers/gateway.ts';
import { IstioStatusController } from './controllers/istio-status.ts';
import { ControllerManager } from './controllers/manager.ts';
import { NetworkController } from './controllers/network.ts';
import type { ListenerConfig } from './controllers/network.ts';
import { classOf } from './routing/ingress.ts';
import { PodController, PodIpAllocator } from './controllers/pods.ts';
import { ReplicaSetController } from './controllers/replicaset.ts';
import { TargetsController } from './controllers/targets.ts';
import type { WriteTargets } from './controllers/targets.ts';
import { createKubelet, PodLogsError } from './node/kubelet.ts';
import type { SandboxKubeletOptions } from './node/kubelet.ts';
import { startTrafficProxy } from './node/proxy.ts';
import { writePrometheusTargets } from './node/targets.ts';
import type { Kubelet, TrafficProxy } from './node/types.ts';

export { PORTS_ANNOTATION, PORT_ANNOTATION } from './apiserver/handlers.ts';
export { GATEWAY_CONTROLLER } from './routing/gateway-api.ts';
export { HAPROXY_INGRESS_CONTROLLER, INGRESS_NGINX_CONTROLLER } from './routing/ingress.ts';
export { ROUTE_HEADER } from './node/proxy.ts';
export type { ListenerConfig } from './controllers/network.ts';
export type { RouteTable } from './routing/table.ts';

/** What has a listener: Services (kube-proxy or mesh), Gateways, and Ingresses (their IngressClass's). */
export type ListenerKind = 'service' | 'gateway' | 'ingress' | 'ingressclass';
export type { FaultRule } from './apiserver/faults.ts';
export type { Rule } from './apiserver/rbac.ts';
export { canaryRules } from './apiserver/rbac.ts';

export interface SandboxOptions {
  /** Where kubeconfigs, certificates, pod logs and the targets file go. Default: a new temporary directory. */
  dir?: string;
  /** API server port. Default: a random free port. */
  port?: number;
  /** The namespace the `ci` service account may use. Default `demo`. */
  namespace?: string;
  /** The `ci` service account's rules. Default: canaryRules(namespace). */
  ciRules?: Rule[];
  /** Forwarded to the kubelet: multiplies probe periods and crash back-off. Default 1. */
  timeScale?: number;
  /** Forwarded to the kubelet: which images can be pulled. Default: all. */
  imageExists?: (image: string) => Promise<boolean>;
  /** Watch bookmark period. Default 10 s. */
  bookmarkIntervalMs?: number;
  /** One line per API request. */
  log?: (line: string) => void;
  /**
   * Play istiod with its status on (PILOT_ENABLE_STATUS, distribution tracking and analysis):
   * VirtualServices and DestinationRules get observedGeneration, a Reconciled condition and IST0101
   * validation messages (controllers/istio-status.ts). Default false, as istiod's default: no status.
   */
  istioStatus?: boolean;
  /** Replacements for the node side (unit tests of the controllers only). */
  node?: {
    createKubelet?: (options: SandboxKubeletOptions) => Kubelet;
    startProxy?: () => Promise<TrafficProxy>;
    writeTargets?: WriteTargets;
  };
}

export interface Sandbox {
  readonly dir: string;
  readonly url: string;
  readonly port: number;
  /** PEM of the sandbox CA. */
  readonly ca: string;
  /** Paths of the cluster-admin and the namespace-scoped (`ci`) kubeconfigs. */
  readonly adminKubeconfig: string;
  readonly kubeconfig: string;
  readonly adminToken: string;
  readonly ciToken: string;
  readonly ciUser: string;
  readonly namespace: string;
  readonly targetsFile: string;
  readonly faults: Faults;
  readonly store: Store;
  /**
   * The loopback port (on 127.0.0.1) of a listener, once published in the object's annotations:
   * a Service's (`port`: a service port, default the first), a Gateway's (`port`: a listener port,
   * default the first), an Ingress's (its IngressClass's controller), an IngressClass's (namespace
   * ignored).
   */
  listenerPort(
    kind: ListenerKind,
    namespace: string | undefined,
    name: string,
    port?: number,
  ): number | undefined;
  /**
   * What a listener does right now: `{ endpoints }` (kube-proxy: a random endpoint per connection) or
   * `{ table }` (an L7 proxy's routing table). Same arguments as listenerPort.
   */
  listenerConfig(
    kind: ListenerKind,
    namespace: string | undefined,
    name: string,
    port?: number,
  ): ListenerConfig | undefined;
  /** Resolves after a whole controller pass that started after the call: every earlier change is applied (statuses, listeners). */
  settle(): Promise<void>;
  /** Resolves once the targets file reflects every change seen so far. */
  flushTargets(): Promise<void>;
  /** Stops and restarts the API server on the same port; state and controllers keep running. */
  restartApiServer(): Promise<void>;
  stop(): Promise<void>;
}

function bootstrap(api: ResourceApi, namespace: string): void {
  const system = { manager: 'sandbox-bootstrap' };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', namespace]) {
    try {
      api.create(T.namespaces, undefined, { metadata: { name } }, system);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
    }
    api.create(T.serviceaccounts, name, { metadata: { name: 'default' } }, system);
  }
  api.create(T.serviceaccounts, namespace, { metadata: { name: 'ci' } }, system);
}

/** Starts the whole sandbox: API server, controllers, kubelet and listeners; writes the kubeconfigs. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'k8s-sandbox-')));
  await mkdir(dir, { recursive: true });
  const namespace = options.namespace ?? 'demo';
  const certificates = await ensureCertificates(dir);
  const store = new Store();
  const api = new ResourceApi(store);
  bootstrap(api, namespace);
  const cluster = new Cluster(store, api);
  const faults = new Faults();

  const adminToken = randomBytes(24).toString('hex');
  const ciToken = randomBytes(24).toString('hex');
  const ciUser = `system:serviceaccount:${namespace}:ci`;
  const users = new Map<string, User>([
    [
      adminToken,
      { name: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'], rules: ADMIN_RULES },
    ],
    [
      ciToken,
      {
        name: ciUser,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        rules: options.ciRules ?? canaryRules(namespace),
      },
    ],
  ]);

  const pods: { controller?: PodController } = {};
  const kubelet = (options.node?.createKubelet ?? createKubelet)({
    workDir: path.join(dir, 'node'),
    timeScale: options.timeScale ?? 1,
    ...(options.imageExists ? { imageExists: options.imageExists } : {}),
    onStatus: (ns, name, status) => pods.controller?.onStatus(ns, name, status),
    onEvent: (event) => pods.controller?.onEvent(event),
    resolveRef: ({ kind, namespace: ns, name }) => {
      const object = cluster.get(kind === 'ConfigMap' ? T.configmaps : T.secrets, ns, name);
      if (!object) return undefined;
      if (kind === 'ConfigMap') return { ...(object.data ?? {}) };
      const data: Record<string, string> = { ...(object.stringData ?? {}) };
      for (const [k, v] of Object.entries((object.data ?? {}) as Record<string, string>))
        data[k] = Buffer.from(v, 'base64').toString('utf8');
      return data;
    },
  });
  pods.controller = new PodController(cluster, kubelet, new PodIpAllocator());
  const targetsFile = path.join(dir, 'prometheus-targets.json');
  const targets = new TargetsController(
    cluster,
    targetsFile,
    options.node?.writeTargets ?? writePrometheusTargets,
  );
  const network = new NetworkController(
    cluster,
    options.node?.startProxy ?? (() => startTrafficProxy()),
    () => manager?.schedule(),
  );
  const manager = new ControllerManager(store, [
    new DeploymentController(cluster),
    new ReplicaSetController(cluster),
    new GarbageCollector(cluster),
    pods.controller,
    new EndpointsController(cluster),
    new GatewayStatusController(cluster),
    network,
    ...(options.istioStatus ? [new IstioStatusController(cluster)] : []),
    targets,
  ]);

  let server: ApiServer;
  try {
    server = await startApiServer({
      store,
      api,
      faults,
      certificates,
      authenticate: (token) => users.get(token),
      logs: (ns, name, logOptions) => {
        try {
          return kubelet.logs(ns, name, logOptions);
        } catch (error) {
          if (error instanceof PodLogsError)
            throw new ApiError(
              error.statusCode,
              error.statusCode === 404 ? 'NotFound' : 'BadRequest',
              error.message,
            );
          throw error;
        }
      },
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    await kubelet.stop();
    throw error;
  }
  manager.start();

  const adminKubeconfig = path.join(dir, 'admin.kubeconfig');
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeKubeconfig(adminKubeconfig, {
    server: server.url,
    ca: certificates.ca,
    user: 'sandbox-admin',
    token: adminToken,
    namespace: 'default',
  });
  await writeKubeconfig(kubeconfig, {
    server: server.url,
    ca: certificates.ca,
    user: 'ci',
    token: ciToken,
    namespace,
  });

  const listenerObject = (kind: ListenerKind, ns: string | undefined, name: string) => {
    switch (kind) {
      case 'service':
        return cluster.get(T.services, ns, name);
      case 'gateway':
        return cluster.get(T.gateways, ns, name);
      case 'ingressclass':
        return cluster.get(T.ingressclasses, undefined, name);
      case 'ingress': {
        const ingress = cluster.get(T.ingresses, ns, name);
        const className = ingress ? classOf(ingress) : undefined;
        return className ? cluster.get(T.ingressclasses, undefined, className) : undefined;
      }
    }
  };

  let stopped = false;
  return {
    dir,
    url: server.url,
    port: server.port,
    ca: certificates.ca,
    adminKubeconfig,
    kubeconfig,
    adminToken,
    ciToken,
    ciUser,
    namespace,
    targetsFile,
    faults,
    store,
    listenerPort(kind, ns, name, port) {
      const object = listenerObject(kind, ns, name);
      const annotations = object?.metadata.annotations ?? {};
      const found =
        port === undefined
          ? Number(annotations[PORT_ANNOTATION])
          : Number(
              (JSON.parse(annotations[PORTS_ANNOTATION] ?? '{}') as Record<string, number>)[String(port)],
            );
      return found > 0 ? found : undefined;
    },
    listenerConfig(kind, ns, name, port) {
      const object = listenerObject(kind, ns, name);
      if (!object) return undefined;
      if (kind === 'ingress' || kind === 'ingressclass')
        return network.configOf(`ingressclass/${object.metadata.name}`);
      const declared =
        port ?? (kind === 'service' ? object.spec?.ports?.[0]?.port : object.spec?.listeners?.[0]?.port);
      return network.configOf(`${kind}/${ns}/${name}/${declared}`);
    },
    settle: () => manager.nextPass(),
    flushTargets: () => targets.flush(),
    restartApiServer: () => server.restart(),
    async stop() {
      if (stopped) return;
      stopped = true;
      manager.stop();
      await server.close();
      await network.close();
      await kubelet.stop();
      await targets.flush();
    },
  };
}
