/** An in-memory Cluster for unit tests of the phases: records every write, rolls out instantly. */
import type {
  AccessCheck,
  AccessResult,
  Cluster,
  KubeObject,
  Lock,
  ObjectRef,
} from '../../../src/kube/types.ts';
import { BackendError, RolloutError } from '../../../src/util/errors.ts';

export class FakeCluster implements Cluster {
  readonly namespace = 'demo';
  readonly objects = new Map<string, KubeObject>();
  readonly writes: string[] = [];
  denied: AccessCheck[] = [];
  /** Deployment names whose rollout fails. */
  failingRollouts = new Set<string>();
  lockHeld = false;
  /** While true every call fails as an unreachable API server would. */
  down = false;
  /** Called after a rollout succeeded (a test cuts the API there). */
  afterRollout?: (name: string) => void;

  private reach() {
    if (this.down) throw new BackendError('cannot reach the Kubernetes API server (ECONNREFUSED)');
  }
  private losing: AbortController | undefined;

  private key = (kind: string, name: string) => `${kind}/${name}`;

  seed(...objects: KubeObject[]): void {
    for (const o of objects) this.objects.set(this.key(o.kind, o.metadata.name), structuredClone(o));
  }
  async version() {
    return 'v1.30.0-fake';
  }
  async checkAccess(checks: AccessCheck[]): Promise<AccessResult[]> {
    return checks.map((c) => ({
      ...c,
      allowed: !this.denied.some((d) => d.verb === c.verb && d.resource === c.resource),
    }));
  }
  async get(ref: ObjectRef) {
    this.reach();
    const o = this.objects.get(this.key(ref.kind, ref.name));
    return o ? structuredClone(o) : undefined;
  }
  async list(_apiVersion: string, kind: string, labelSelector?: string) {
    this.reach();
    const wanted = (labelSelector ?? '')
      .split(',')
      .filter(Boolean)
      .map((p) => p.split('='));
    return [...this.objects.values()].filter(
      (o) => o.kind === kind && wanted.every(([k, v]) => o.metadata.labels?.[k as string] === v),
    );
  }
  /** As the real cluster does: once the lock's Lease is lost, every write is refused. */
  private fence(): void {
    this.losing?.signal.throwIfAborted();
  }
  /** The Lease is lost (renewal deadline passed, deleted, taken): the lock's `lost` fires. */
  loseLock(error: Error): void {
    this.losing?.abort(error);
  }
  async apply(object: KubeObject) {
    this.reach();
    this.fence();
    this.writes.push(`apply ${object.kind}/${object.metadata.name}`);
    this.objects.set(this.key(object.kind, object.metadata.name), structuredClone(object));
    return object;
  }
  async replace(object: KubeObject) {
    this.writes.push(`replace ${object.kind}/${object.metadata.name}`);
    this.objects.set(this.key(object.kind, object.metadata.name), structuredClone(object));
    return object;
  }
  async delete(ref: ObjectRef) {
    this.reach();
    this.fence();
    this.writes.push(`delete ${ref.kind}/${ref.name}`);
    return this.objects.delete(this.key(ref.kind, ref.name));
  }
  async waitForRollout(name: string, options: { signal?: AbortSignal }) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (this.failingRollouts.has(name)) {
      throw new RolloutError(
        `deployment "${name}": pod ${name}-abc-xyz: CrashLoopBackOff (back-off restarting failed container)`,
      );
    }
    this.afterRollout?.(name);
  }
  async acquireLock(name: string, holder: string): Promise<Lock> {
    if (this.lockHeld) throw new Error(`lock ${name} is held`);
    this.lockHeld = true;
    this.writes.push(`lock ${name}`);
    const losing = new AbortController();
    this.losing = losing;
    return {
      name,
      holder,
      lost: losing.signal,
      release: async () => {
        this.losing = undefined;
        if (losing.signal.aborted) return;
        this.reach();
        if (this.lockHeld) this.writes.push(`unlock ${name}`);
        this.lockHeld = false;
      },
    };
  }
  /** Names of objects the engine created for the workload (canary, baseline, clones). */
  owned(): string[] {
    return [...this.objects.values()]
      .filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'canary-action')
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
  }
}
