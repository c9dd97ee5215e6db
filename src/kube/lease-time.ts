/* Lease arithmetic, as client-go's leader election does it: held until renewTime + leaseDurationSeconds. */

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** A MicroTime as the API server requires it: RFC 3339 with exactly six fractional digits, in UTC. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** When the lease stops protecting its holder (ms since the epoch); 0 when it carries no time at all. */
export function leaseExpiresAt(spec: LeaseSpec): number {
  const stamp = spec.renewTime ?? spec.acquireTime;
  const at = stamp ? Date.parse(stamp) : NaN;
  if (!Number.isFinite(at)) return 0;
  return at + Math.max(0, spec.leaseDurationSeconds ?? 0) * 1000;
}

export type LeaseState =
  | { kind: 'free' }
  | { kind: 'ours' }
  | { kind: 'expired'; heldBy: string }
  | { kind: 'held'; heldBy: string; expiresAt: number };

export function leaseState(spec: LeaseSpec, holder: string, now: number): LeaseState {
  const heldBy = spec.holderIdentity ?? '';
  if (heldBy === '') return { kind: 'free' };
  if (heldBy === holder) return { kind: 'ours' };
  const expiresAt = leaseExpiresAt(spec);
  return expiresAt <= now ? { kind: 'expired', heldBy } : { kind: 'held', heldBy, expiresAt };
}

/** The spec after `holder` takes or renews the lease at `now`. */
export function takeLease(spec: LeaseSpec, holder: string, leaseSeconds: number, now: number): LeaseSpec {
  const renewing = spec.holderIdentity === holder;
  return {
    ...spec,
    holderIdentity: holder,
    leaseDurationSeconds: leaseSeconds,
    acquireTime: renewing && spec.acquireTime ? spec.acquireTime : microTime(now),
    renewTime: microTime(now),
    leaseTransitions: (spec.leaseTransitions ?? 0) + (renewing || !spec.holderIdentity ? 0 : 1),
  };
}

/** Renewals come twelve times per lease period (every 5 s of a 60 s lease). */
export function renewIntervalMs(leaseSeconds: number): number {
  return Math.max(100, (leaseSeconds * 1000) / 12);
}

/**
 * A holder that could not renew for this long stops acting: two thirds of the lease, so it has stopped
 * well before anyone may take the lease over (40 s of a 60 s lease: a 30 s API blip is ridden out).
 */
export function renewDeadlineMs(leaseSeconds: number): number {
  return (leaseSeconds * 1000 * 2) / 3;
}
