import { ConfigError } from '../util/errors.ts';
import { LeaseLostError, LockHeldError } from './errors.ts';
import type { KubeIO } from './io.ts';
import type { LeaseSpec } from './lease-time.ts';
import { leaseState, renewDeadlineMs, renewIntervalMs, takeLease } from './lease-time.ts';
import type { KubeObject, Lock, ObjectRef } from './types.ts';

export interface LockOptions {
  leaseSeconds: number;
  waitMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  onWait?: (heldBy: string) => void;
  onLost?: (reason: string) => void;
  /** How long renewals may fail before the lock counts as lost; default renewDeadlineMs(leaseSeconds). */
  renewDeadlineMs?: number;
}

const specOf = (lease: KubeObject): LeaseSpec => (lease.spec as LeaseSpec | undefined) ?? {};

/** What identifies our tenure: a Lease deleted and made again, or taken over, differs in one of these. */
const tokenOf = (lease: KubeObject) => {
  const spec = specOf(lease);
  return `${lease.metadata.uid ?? ''}|${spec.holderIdentity ?? ''}|${spec.acquireTime ?? ''}|${spec.leaseTransitions ?? 0}`;
};

/**
 * A held Lease, renewed every renewIntervalMs. Past renewDeadlineMs without a renewal, or once a renewal
 * finds the Lease deleted or held by someone else, `lost` is aborted (with a LeaseLostError) and the lock
 * never writes again; `assertHeld` is the fence every write of the cluster passes first.
 */
/** A Lock the cluster fences its writes with. */
export interface FencingLock extends Lock {
  /** Throws the LeaseLostError unless the Lease, read again now, is still ours (holder and tenure). */
  assertHeld(): Promise<void>;
}

class LeaseLock implements FencingLock {
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly losing = new AbortController();
  private renewing: Promise<void> | undefined;
  private stopped = false;
  private renewedAt: number;
  private readonly token: string;
  private readonly intervalMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly io: KubeIO,
    private readonly ref: ObjectRef,
    readonly holder: string,
    taken: KubeObject,
    private readonly options: LockOptions,
  ) {
    this.renewedAt = io.clock.now();
    this.token = tokenOf(taken);
    this.intervalMs = renewIntervalMs(options.leaseSeconds);
    this.deadlineMs = options.renewDeadlineMs ?? renewDeadlineMs(options.leaseSeconds);
    this.timer = setInterval(() => this.tick(), Math.max(50, Math.min(1000, this.intervalMs / 5)));
    this.timer.unref();
  }

  get name(): string {
    return this.ref.name;
  }

  get lost(): AbortSignal {
    return this.losing.signal;
  }

  private tick(): void {
    if (this.stopped) return;
    const since = this.io.clock.now() - this.renewedAt;
    if (since > this.deadlineMs) {
      this.lose(
        undefined,
        `lease ${this.name} could not be renewed for ${Math.round(since / 1000)}s (renewal deadline ${Math.round(this.deadlineMs / 1000)}s of a ${this.options.leaseSeconds}s lease)`,
      );
      return;
    }
    if (this.renewing || since < this.intervalMs) return;
    this.renewing = this.renewOnce()
      // A failed renewal is tried again on the next tick, until the renewal deadline.
      .catch(() => undefined)
      .finally(() => (this.renewing = undefined));
  }

  private lose(heldBy: string | undefined, reason: string): void {
    if (this.stopped) return;
    this.stop();
    const error = new LeaseLostError(this.name, heldBy, reason);
    this.losing.abort(error);
    this.options.onLost?.(error.message);
  }

  /** Compares the Lease with our tenure; loses the lock when it is not ours any more. */
  private judge(lease: KubeObject | undefined): lease is KubeObject {
    const heldBy = lease ? specOf(lease).holderIdentity || undefined : undefined;
    if (!lease) this.lose(undefined, `lease ${this.name} was deleted`);
    else if (heldBy !== this.holder)
      this.lose(heldBy, `lease ${this.name} is now held by "${heldBy ?? 'nobody'}"`);
    else if (tokenOf(lease) !== this.token)
      this.lose(heldBy, `lease ${this.name} was taken and given back since this run acquired it`);
    return !this.stopped;
  }

  private async renewOnce(): Promise<void> {
    const lease = await this.io.get(this.ref);
    if (this.stopped || !this.judge(lease)) return;
    const at = this.io.clock.now();
    const spec = takeLease(specOf(lease), this.holder, this.options.leaseSeconds, at);
    const renewed = await this.io.replace({ ...lease, spec: { ...spec } });
    if (renewed && !this.stopped) this.renewedAt = at;
  }

  async assertHeld(): Promise<void> {
    this.tick();
    this.lost.throwIfAborted();
    const lease = await this.io.get(this.ref);
    this.lost.throwIfAborted();
    this.judge(lease);
    this.lost.throwIfAborted();
  }

  private stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  async release(): Promise<void> {
    if (this.lost.aborted) return;
    this.stop();
    await this.renewing;
    const lease = await this.io.get(this.ref);
    if (lease && specOf(lease).holderIdentity === this.holder) await this.io.delete(this.ref);
  }
}

function heldMessage(
  io: KubeIO,
  name: string,
  heldBy: string,
  spec: LeaseSpec,
  options: LockOptions,
): string {
  const since = spec.acquireTime ? ` since ${spec.acquireTime}` : '';
  const renewed = spec.renewTime ? `, last renewed ${spec.renewTime}` : '';
  return (
    `lock ${name} in namespace "${io.namespace}" is held by "${heldBy}"${since}${renewed} ` +
    `(lease ${spec.leaseDurationSeconds ?? '?'}s); gave up after waiting ${Number((options.waitMs / 1000).toFixed(1))}s. ` +
    `Another canary run on this workload is in progress: let it finish, or if it is gone, wait for the lease ` +
    `to expire or delete it: kubectl -n ${io.namespace} delete lease ${name}`
  );
}

/** Takes the Lease `name` for `holder`, waiting up to waitMs while someone else holds an unexpired one. */
export async function acquireLeaseLock(
  io: KubeIO,
  name: string,
  holder: string,
  options: LockOptions,
): Promise<FencingLock> {
  if (!holder) throw new ConfigError('lock.holder', 'expected a non-empty holder identity, got ""');
  if (!(options.leaseSeconds >= 1))
    throw new ConfigError('lock.leaseSeconds', `expected at least 1 second, got ${options.leaseSeconds}`);
  const leaseSeconds = Math.ceil(options.leaseSeconds);
  const ref: ObjectRef = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name };
  const deadline = io.clock.now() + options.waitMs;
  let reportedHolder: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const lease = await io.get(ref);
    const now = io.clock.now();
    if (!lease) {
      const spec = takeLease({}, holder, leaseSeconds, now);
      const created = await io.create({
        ...ref,
        metadata: { name, namespace: io.namespace },
        spec: { ...spec },
      });
      if (created) return new LeaseLock(io, ref, holder, created, { ...options, leaseSeconds });
      continue;
    }
    const spec = specOf(lease);
    const state = leaseState(spec, holder, now);
    if (state.kind !== 'held') {
      const taken = await io.replace({ ...lease, spec: { ...takeLease(spec, holder, leaseSeconds, now) } });
      if (taken) return new LeaseLock(io, ref, holder, taken, { ...options, leaseSeconds });
      continue;
    }
    if (state.heldBy !== reportedHolder) {
      reportedHolder = state.heldBy;
      options.onWait?.(state.heldBy);
    }
    if (now >= deadline)
      throw new LockHeldError(name, state.heldBy, heldMessage(io, name, state.heldBy, spec, options));
    const untilExpiry = Math.max(50, state.expiresAt - now);
    await io.clock.sleep(Math.min(options.pollIntervalMs, deadline - now, untilExpiry), options.signal);
  }
}
