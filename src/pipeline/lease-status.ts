/**
 * `status`: whether the run that holds a release is still there, from its Lease: expired, not renewed
 * within the renewal deadline, released while the canary is mid-flight, or its process gone on this host.
 */
import os from 'node:os';
import { leaseExpiresAt, renewDeadlineMs, type LeaseSpec } from '../kube/lease-time.ts';
import type { Cluster } from '../kube/types.ts';
import type { LiveState } from './live-release.ts';
import { lockName } from './names.ts';

/** Phases in which a run is acting on the release and must hold its Lease. */
const ACTING = new Set(['deploying', 'analysing', 'promoting', 'rolling-back']);

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

/** The holder's process, when the holder identity (`run/host/pid`) names this host; undefined if unknown. */
function processAlive(holder: string): boolean | undefined {
  const [host, pid] = holder.split('/').slice(-2);
  if (host !== os.hostname() || !/^\d+$/.test(pid ?? '')) return undefined;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function leaseStatus(
  cluster: Cluster,
  workload: string,
  state: LiveState | undefined,
  now: number,
): Promise<{ runGone: boolean; line: string }> {
  const name = lockName(workload);
  const lease = await cluster.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name });
  const spec = (lease?.spec ?? {}) as LeaseSpec;
  const holder = spec.holderIdentity ?? '';
  const acting = state !== undefined && ACTING.has(state.phase);
  const run = state ? `run ${state.runId} (phase ${state.phase})` : 'the run holding it';
  const finish = `"canary-action rollback --workload deployment/${workload}" or the next run removes what it left`;
  if (!holder) {
    const line = `lock ${name}: not held`;
    return acting
      ? { runGone: true, line: `${line}: ${run} is gone (it stopped mid-release); ${finish}` }
      : { runGone: false, line };
  }
  const expiresAt = leaseExpiresAt(spec);
  const renewedAt = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  const held = `lock ${name}: held by "${holder}"`;
  if (expiresAt <= now)
    return {
      runGone: true,
      line: `${held}, expired ${seconds(now - expiresAt)} ago: ${run} is gone (lease not renewed since ${spec.renewTime ?? '?'}); ${finish}`,
    };
  const expires = `its lease expires in ${seconds(expiresAt - now)}`;
  if (processAlive(holder) === false)
    return {
      runGone: true,
      line: `${held}: ${run} is gone (its process is no longer running on this host); ${expires}, then ${finish}`,
    };
  const deadline = renewDeadlineMs(spec.leaseDurationSeconds ?? 0);
  if (Number.isFinite(renewedAt) && now - renewedAt > deadline)
    return {
      runGone: true,
      line: `${held}, not renewed for ${seconds(now - renewedAt)}: ${run} has stopped acting (gone or cut off from the API); ${expires}`,
    };
  return { runGone: false, line: `${held}, renewed ${seconds(now - renewedAt)} ago (${expires})` };
}
