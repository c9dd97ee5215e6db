/**
 * The environment every case shares: the e2e release environment (test/e2e/environment.ts: the
 * Kubernetes sandbox in this process, with its `ci` service account) plus a Prometheus the cases may
 * kill and restart, reached by the CLI through a TCP proxy the cases may cut; and a pool of namespaces,
 * each holding the stable `web` Deployment (2 replicas of REPOSITORY:1.0.0) and its Service, so that
 * every case starts from the same state and cases can run side by side.
 *
 * The `ci` account's rules are exactly examples/rbac/role.yaml (plus SelfSubjectAccessReview, which
 * every authenticated user has), granted in each pool namespace as it is created: a run that needs
 * anything else fails, and nothing of a case can reach another namespace.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import { REPO_ROOT } from '../support/cli.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { startReleaseEnvironment, type ReleaseEnvironment } from '../e2e/environment.ts';
import { REPOSITORY, STABLE_TAG, webDeployment, webService, WORKLOAD } from '../e2e/release-objects.ts';
import { apiRequest, type ApiResponse } from '../integration/sandbox/helpers.ts';
import type { Rule, Sandbox } from '../sandbox/index.ts';
import { T } from '../sandbox/controllers/cluster.ts';
import { RESOURCE_TYPES } from '../sandbox/apiserver/resources.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { writeKubeconfig } from '../sandbox/apiserver/kubeconfig.ts';
import { startControlledPrometheus, type ControlledPrometheus } from './prometheus.ts';
import { diff, snapshot, type Snapshot } from './inspect/snapshot.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are loosely typed JSON */

export const STABLE_IMAGE = `${REPOSITORY}:${STABLE_TAG}`;
export { REPOSITORY, WORKLOAD };

/** One namespace as a case gets it: the stable ready, its state recorded. */
export interface CaseNamespace {
  name: string;
  /** The namespace as created (the state every case must leave it in, unless it promoted). */
  baseline: Snapshot;
  /** The port of the Service's listener (traffic goes there). */
  servicePort: number;
  /** Created for one case with rules left out: never reused. */
  restricted?: boolean;
}

export interface FaultEnvironment {
  sandbox: Sandbox;
  prometheus: ControlledPrometheus;
  /** What the configs name as the provider URL: Prometheus through a proxy a case may cut. */
  prometheusUrl: string;
  prometheusProxy: TcpProxy;
  /** A namespace with the stable ready; `permissions` leaves out rules (by resource) for that namespace. */
  acquire(options?: { without?: string[] }): Promise<CaseNamespace>;
  /** Back to the pool when the case left it as it found it; otherwise deleted (in the background). */
  release(namespace: CaseNamespace): void;
  snapshot(namespace: string): Snapshot;
  /** A kubeconfig for the `ci` account in `namespace`, at `server` (default: the API server itself). */
  writeKubeconfig(file: string, namespace: string, server?: string): Promise<void>;
  /** A TCP proxy in front of the API server (for one case; stop it after). */
  apiProxy(): Promise<TcpProxy>;
  /** An admin request to the API server. */
  api(method: string, apiPath: string, body?: unknown): Promise<ApiResponse>;
  /** A stored object, read in-process (undefined when absent). */
  get(kind: 'deployments' | 'leases' | 'configmaps' | 'secrets', namespace: string, name: string): any;
  /** Steady traffic through a namespace's Service (stop it at the end of the case). */
  traffic(namespace: CaseNamespace, ratePerSecond?: number): TrafficGenerator;
  /** Namespaces created so far (for the log). */
  created(): number;
  stop(): Promise<void>;
}

/** examples/rbac/role.yaml as sandbox rules; each rule gets its own namespace list, filled as the pool grows. */
function roleRules(): Rule[] {
  const role = load(readFileSync(path.join(REPO_ROOT, 'examples/rbac/role.yaml'), 'utf8')) as {
    rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  };
  return [
    ...role.rules.map((rule) => ({
      verbs: [...rule.verbs],
      apiGroups: [...rule.apiGroups],
      resources: [...rule.resources],
      namespaces: [] as string[],
    })),
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
  ];
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startFaultEnvironment(options: { spare?: number } = {}): Promise<FaultEnvironment> {
  const rules = roleRules();
  const release: ReleaseEnvironment = await startReleaseEnvironment({ prometheus: false, ciRules: rules });
  const { sandbox } = release;
  const stoppers: Array<() => Promise<unknown>> = [() => release.stop()];
  const stopAll = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => undefined);
  };
  try {
    await sandbox.flushTargets();
    const prometheus = await startControlledPrometheus({ fileSdPath: sandbox.targetsFile });
    stoppers.push(() => prometheus.stop());
    const prometheusProxy = await startTcpProxy({ targetPort: prometheus.port });
    stoppers.push(() => prometheusProxy.stop());
    const api = (method: string, apiPath: string, body?: unknown) =>
      apiRequest(sandbox, method, apiPath, body === undefined ? {} : { body });
    const must = async (method: string, apiPath: string, body?: unknown) => {
      const res = await api(method, apiPath, body);
      if (res.status >= 300) throw new Error(`${method} ${apiPath}: ${res.status} ${res.text}`);
      return res;
    };
    const types = {
      deployments: T.deployments,
      configmaps: T.configmaps,
      secrets: T.secrets,
      leases: RESOURCE_TYPES.find((t) => t.group === 'coordination.k8s.io' && t.plural === 'leases'),
    };

    let counter = 0;
    const pool: CaseNamespace[] = [];
    const deleting = new Set<Promise<unknown>>();

    const create = async (without: string[] = []): Promise<CaseNamespace> => {
      const name = `faults-${String(++counter).padStart(3, '0')}`;
      for (const rule of rules) {
        if (!rule.namespaces) continue;
        if (rule.resources.some((r) => without.includes(r))) continue;
        rule.namespaces.push(name);
      }
      await must('POST', '/api/v1/namespaces', { metadata: { name } });
      await must(
        'POST',
        `/apis/apps/v1/namespaces/${name}/deployments`,
        webDeployment({ image: STABLE_IMAGE, replicas: 2, namespace: name }),
      );
      await must('POST', `/api/v1/namespaces/${name}/services`, webService(name));
      await waitUntil(
        `the stable in ${name}`,
        () => {
          const stable = sandbox.store.get(T.deployments, name, WORKLOAD) as any;
          return (
            stable?.status?.readyReplicas === 2 &&
            stable?.status?.updatedReplicas === 2 &&
            stable?.status?.observedGeneration === stable?.metadata?.generation &&
            sandbox.listenerPort('service', name, WORKLOAD) !== undefined
          );
        },
        120_000,
      );
      await sandbox.settle();
      return {
        name,
        baseline: snapshot(sandbox.store, name),
        servicePort: sandbox.listenerPort('service', name, WORKLOAD)!,
        ...(without.length > 0 ? { restricted: true } : {}),
      };
    };

    const dropNamespace = (name: string) => {
      for (const rule of rules) {
        if (rule.namespaces) rule.namespaces = rule.namespaces.filter((n) => n !== name);
      }
      const task = api('DELETE', `/api/v1/namespaces/${name}`)
        .catch(() => undefined)
        .finally(() => deleting.delete(task));
      deleting.add(task);
    };

    let prewarming: Promise<void> | undefined;
    const spare = options.spare ?? 1;
    const prewarm = () => {
      if (prewarming || pool.length >= spare) return;
      prewarming = create()
        .then((ns) => {
          pool.push(ns);
        })
        .catch(() => undefined)
        .finally(() => {
          prewarming = undefined;
        });
    };

    const env: FaultEnvironment = {
      sandbox,
      prometheus,
      prometheusProxy,
      prometheusUrl: `http://${prometheusProxy.address}`,
      async acquire(acquireOptions = {}) {
        if (acquireOptions.without?.length) return create(acquireOptions.without);
        await prewarming;
        const ns = pool.shift() ?? (await create());
        prewarm();
        return ns;
      },
      release(namespace) {
        const clean = diff(namespace.baseline, snapshot(sandbox.store, namespace.name)).length === 0;
        const stable = sandbox.store.get(T.deployments, namespace.name, WORKLOAD) as any;
        const ready = stable?.status?.readyReplicas === 2 && stable?.status?.updatedReplicas === 2;
        if (clean && ready && !namespace.restricted) pool.push(namespace);
        else dropNamespace(namespace.name);
      },
      snapshot: (name) => snapshot(sandbox.store, name),
      async writeKubeconfig(file, namespace, server = sandbox.url) {
        await mkdir(path.dirname(file), { recursive: true });
        await writeKubeconfig(file, {
          server,
          ca: sandbox.ca,
          user: 'ci',
          token: sandbox.ciToken,
          namespace,
        });
      },
      apiProxy: () => startTcpProxy({ targetPort: sandbox.port }),
      api,
      get(kind, namespace, name) {
        const type = types[kind];
        return type ? sandbox.store.get(type, namespace, name) : undefined;
      },
      traffic: (namespace, ratePerSecond = 30) =>
        startTrafficGenerator({ url: `http://127.0.0.1:${namespace.servicePort}/`, ratePerSecond }),
      created: () => counter,
      async stop() {
        await prewarming;
        await Promise.all([...deleting]);
        await stopAll();
        // The sandbox keeps its directory (certificates, kubeconfigs, pod logs) after stop(): ours goes.
        await rm(sandbox.dir, { recursive: true, force: true }).catch(() => undefined);
      },
    };
    prewarm();
    return env;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
