import { ConfigError } from '../util/errors.ts';
import { LockHeldError } from './errors.ts';
import type { KubeIO } from './io.ts';
import type { LeaseSpec } from './lease-time.ts';
import { leaseState, renewIntervalMs, takeLease } from './lease-time.ts';
import type { KubeObject, Lock, ObjectRef } from './types.ts';

export interface LockOptions {
  leaseSeconds: number;
  waitMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  onWait?: (heldBy: string) => void;
  onLost?: (reason: string) => void;
}

const specOf = (lease: KubeObject): LeaseSpec => (lease.spec as LeaseSpec | undefined) ?? {};

class LeaseLock implements Lock {
  private readonly timer: ReturnType<typeof setInterval>;
  private renewing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly io: KubeIO,
    private readonly ref: ObjectRef,
    readonly holder: string,
    private readonly options: LockOptions,
  ) {
    this.timer = setInterval(() => this.renew(), renewIntervalMs(options.leaseSeconds));
    this.timer.unref();
  }

  get name(): string {
    return this.ref.name;
  }

  private renew(): void {
    if (this.renewing || this.stopped) return;
    this.renewing = this.renewOnce()
      // A failed renewal is retried on the next tick; the lease outlives two missed renewals.
      .catch(() => undefined)
      .finally(() => (this.renewing = undefined));
  }

  private async renewOnce(): Promise<void> {
    const lease = await this.io.get(this.ref);
    if (this.stopped) return;
    const heldBy = lease ? (specOf(lease).holderIdentity ?? '') : undefined;
    if (heldBy !== this.holder) {
      this.stop();
      this.options.onLost?.(
        heldBy === undefined
          ? `lease ${this.name} was deleted`
          : `lease ${this.name} is now held by "${heldBy}"`,
      );
      return;
    }
    const spec = takeLease(specOf(lease!), this.holder, this.options.leaseSeconds, this.io.clock.now());
    await this.io.replace({ ...lease!, spec: { ...spec } });
  }

  private stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  async release(): Promise<void> {
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
): Promise<Lock> {
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
      if (created) return new LeaseLock(io, ref, holder, { ...options, leaseSeconds });
      continue;
    }
    const spec = specOf(lease);
    const state = leaseState(spec, holder, now);
    if (state.kind !== 'held') {
      const taken = await io.replace({ ...lease, spec: { ...takeLease(spec, holder, leaseSeconds, now) } });
      if (taken) return new LeaseLock(io, ref, holder, { ...options, leaseSeconds });
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
