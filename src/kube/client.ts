import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { ConfigError } from '../util/errors.ts';
import { accessResult, selfSubjectAccessReview } from './access.ts';
import type { Operation } from './errors.ts';
import type { KubeIO } from './io.ts';
import { loadKubeconfig } from './kubeconfig.ts';
import { acquireLeaseLock, type FencingLock } from './lease-lock.ts';
import { RawObjectApi } from './raw-api.ts';
import { HttpStatusError, withRetry } from './retry.ts';
import type { RetryOptions } from './retry.ts';
import { waitForRollout } from './rollout-wait.ts';
import type { AccessCheck, AccessResult, Cluster, KubeObject, KubeTarget, Lock, ObjectRef } from './types.ts';

export const FIELD_MANAGER = 'canary-action';

const WRITES = new Set(['patch', 'create', 'update', 'delete']);

export interface ConnectOptions {
  clock?: Clock;
  /** Per-request timeout. Default 30 s. */
  requestTimeoutMs?: number;
  /** Retries of one request (429, 5xx, network; conflicts for writes). */
  retry?: Pick<RetryOptions, 'attempts' | 'budgetMs' | 'baseDelayMs' | 'maxDelayMs'>;
  /** How often waitForRollout and acquireLock look again. Default 500 ms. */
  pollIntervalMs?: number;
}

/** Loads the kubeconfig and returns the cluster in the target namespace; nothing is requested yet. */
export async function connect(target: KubeTarget, options: ConnectOptions = {}): Promise<Cluster> {
  const { kc, namespace } = loadKubeconfig(target);
  await runExecPlugin(kc);
  return new KubeCluster(
    RawObjectApi.create(kc, namespace, options.requestTimeoutMs ?? 30_000),
    namespace,
    options,
  );
}

/**
 * A user with an exec credential plugin gets its credentials now, once (the client caches them), so a
 * plugin that fails or is missing is a clear exit 2 before any request instead of an unexpected error.
 */
async function runExecPlugin(kc: ReturnType<typeof loadKubeconfig>['kc']): Promise<void> {
  const user = kc.getCurrentUser();
  if (!user?.exec) return;
  const raw = (user.exec as { command?: unknown }).command;
  const command = typeof raw === 'string' ? raw : '';
  try {
    await kc.applyToHTTPSOptions({});
  } catch (error) {
    const detail = String((error as Error).message || 'it exited with an error and printed nothing')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .slice(0, 3)
      .join(' / ')
      .slice(0, 300);
    throw new ConfigError(
      'kubeconfig',
      `the exec credential plugin "${command}" of user "${user.name}" failed: ${detail}; expected it to print an ExecCredential (run it by hand to see why)`,
    );
  }
}

// Fields the server owns; sending them in an apply is rejected (managedFields) or becomes a precondition.
const SERVER_FIELDS = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
];

function applyBody(object: KubeObject, namespace: string | undefined): KubeObject {
  const metadata = { ...object.metadata };
  for (const field of SERVER_FIELDS) delete metadata[field];
  const body: KubeObject = { ...object, metadata: namespace ? { ...metadata, namespace } : metadata };
  delete body.status;
  return body;
}

class KubeCluster implements Cluster, KubeIO {
  readonly clock: Clock;
  private readonly retry: RetryOptions;
  private readonly pollIntervalMs: number;
  /** The lock this cluster's writes are fenced with, while one is held. */
  private fence: FencingLock | undefined;

  constructor(
    private readonly api: RawObjectApi,
    readonly namespace: string,
    options: ConnectOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.retry = { ...options.retry, clock: this.clock };
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  async version(): Promise<string> {
    const op = { verb: 'get', resource: '/version' };
    const info = await withRetry(
      op,
      () => this.api.send<{ gitVersion?: string }>({ method: 'GET', path: '/version' }),
      this.retry,
    );
    return info.gitVersion ?? 'unknown';
  }

  async checkAccess(checks: AccessCheck[]): Promise<AccessResult[]> {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const op = { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' };
    const results: AccessResult[] = [];
    for (let i = 0; i < checks.length; i += 8) {
      const batch = checks.slice(i, i + 8).map(async (check) => {
        const body = selfSubjectAccessReview(check, this.namespace);
        const review = await withRetry(op, () => this.api.send({ method: 'POST', path, body }), this.retry);
        return accessResult(check, review);
      });
      results.push(...(await Promise.all(batch)));
    }
    return results;
  }

  /** Discovery: the plural resource and the namespace an object of this kind lives in. */
  private async locate(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Promise<{ resource: string; namespace?: string }> {
    const op = { verb: 'discover', resource: `${apiVersion} ${kind}` };
    const found = await withRetry(
      op,
      () =>
        this.api.resourceOf(apiVersion, kind).catch((error: unknown) => {
          if (error instanceof HttpStatusError && error.status === 404) return undefined;
          throw error;
        }),
      this.retry,
    );
    if (!found)
      throw new ConfigError(
        'kind',
        `${apiVersion} ${kind} is not served by this cluster (is its CRD installed?)`,
      );
    return { resource: found.name, ...(found.namespaced ? { namespace: namespace ?? this.namespace } : {}) };
  }

  private async request<T>(
    verb: string,
    ref: { apiVersion: string; kind: string; name?: string; namespace?: string },
    send: (path: string, op: Operation) => Promise<T>,
    retry: RetryOptions = this.retry,
  ): Promise<T> {
    if (WRITES.has(verb)) await this.checkFence(ref);
    const { resource, namespace } = await this.locate(ref.apiVersion, ref.kind, ref.namespace);
    const op: Operation = {
      verb,
      resource,
      ...(ref.name ? { name: ref.name } : {}),
      ...(namespace ? { namespace } : {}),
    };
    const path = await this.api.objectPath(ref.apiVersion, ref.kind, namespace ?? '', ref.name);
    return withRetry(op, () => send(path, op), retry);
  }

  /** Before a write: the lock's Lease must still be ours (its own renewals and release excepted). */
  private async checkFence(ref: { kind: string; name?: string }): Promise<void> {
    const fence = this.fence;
    if (!fence || (ref.kind === 'Lease' && ref.name === fence.name)) return;
    await fence.assertHeld();
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.request('get', ref, (path) =>
      this.api.send({ method: 'GET', path }).catch((error: unknown) => {
        if (error instanceof HttpStatusError && error.status === 404) return undefined;
        throw error;
      }),
    );
  }

  async list(
    apiVersion: string,
    kind: string,
    selectors?: string | { labelSelector?: string; fieldSelector?: string },
  ): Promise<KubeObject[]> {
    const query = typeof selectors === 'string' ? { labelSelector: selectors } : (selectors ?? {});
    const list = await this.request('list', { apiVersion, kind }, (path) =>
      this.api.send<{ items?: KubeObject[] }>({ method: 'GET', path, query }),
    );
    return (list.items ?? []).map((item) => ({ ...item, apiVersion, kind }));
  }

  async apply(object: KubeObject): Promise<KubeObject> {
    const ref = { ...object, name: object.metadata.name, namespace: object.metadata.namespace };
    return this.request(
      'patch',
      ref,
      (path, op) =>
        this.api.send({
          method: 'PATCH',
          path,
          query: { fieldManager: FIELD_MANAGER, force: true },
          body: applyBody(object, op.namespace),
          contentType: 'application/apply-patch+yaml',
        }),
      { ...this.retry, retryConflicts: true },
    );
  }

  async create(object: KubeObject): Promise<KubeObject | undefined> {
    const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace };
    return this.request('create', ref, (path, op) =>
      this.api
        .send({
          method: 'POST',
          path,
          query: { fieldManager: FIELD_MANAGER },
          body: applyBody(object, op.namespace),
        })
        .catch((error: unknown) => {
          if (error instanceof HttpStatusError && error.status === 409) return undefined;
          throw error;
        }),
    );
  }

  async replace(object: KubeObject): Promise<KubeObject | undefined> {
    const ref = { ...object, name: object.metadata.name, namespace: object.metadata.namespace };
    return this.request('update', ref, (path) =>
      this.api
        .send({ method: 'PUT', path, query: { fieldManager: FIELD_MANAGER }, body: object })
        .catch((error: unknown) => {
          if (error instanceof HttpStatusError && error.status === 409) return undefined;
          throw error;
        }),
    );
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    return this.request('delete', ref, (path) =>
      this.api.send({ method: 'DELETE', path, query: { propagationPolicy: 'Background' } }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof HttpStatusError && error.status === 404) return false;
          throw error;
        },
      ),
    );
  }

  async podLog(
    pod: string,
    container: string,
    options: { previous: boolean; tailLines: number },
  ): Promise<string> {
    const op = { verb: 'get', resource: 'pods/log', name: pod, namespace: this.namespace };
    const path = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(pod)}/log`;
    const query = { container, previous: options.previous, tailLines: options.tailLines };
    const log = await withRetry(op, () => this.api.send<unknown>({ method: 'GET', path, query }), this.retry);
    return typeof log === 'string' ? log : JSON.stringify(log);
  }

  waitForRollout(name: string, options: Parameters<Cluster['waitForRollout']>[1]): Promise<void> {
    return waitForRollout(this, name, { pollIntervalMs: this.pollIntervalMs, ...options });
  }

  async acquireLock(
    name: string,
    holder: string,
    options: Parameters<Cluster['acquireLock']>[2],
  ): Promise<Lock> {
    const lock = await acquireLeaseLock(this, name, holder, {
      pollIntervalMs: this.pollIntervalMs,
      ...options,
    });
    this.fence = lock;
    // A lost Lease: nothing more is sent, and requests in flight are cut.
    lock.lost.addEventListener('abort', () => this.api.halt(lock.lost.reason), { once: true });
    return {
      name: lock.name,
      holder: lock.holder,
      lost: lock.lost,
      release: async () => {
        if (this.fence === lock) this.fence = undefined;
        await lock.release();
      },
    };
  }
}
