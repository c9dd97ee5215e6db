/** `status` on a release whose run is gone: the Lease expired, stale, released mid-release, or its process dead. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { microTime } from '../../../src/kube/lease-time.ts';
import type { LiveState } from '../../../src/pipeline/live-release.ts';
import { leaseStatus } from '../../../src/pipeline/lease-status.ts';
import { FakeCluster } from './fake-cluster.ts';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const state = (phase: LiveState['phase']): LiveState => ({
  runId: '42',
  revision: 'abc',
  image: 'web:2',
  digest: '',
  phase,
  startedAt: '',
  runUrl: '',
  step: '0',
});

function withLease(holder: string, renewedSecondsAgo: number): FakeCluster {
  const cluster = new FakeCluster();
  const at = microTime(NOW - renewedSecondsAgo * 1000);
  cluster.seed({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'web-canary-lock' },
    spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: at, renewTime: at },
  });
  return cluster;
}

test('an expired Lease: the run is gone', async () => {
  const { runGone, line } = await leaseStatus(
    withLease('42/elsewhere/1', 72),
    'web',
    state('promoting'),
    NOW,
  );
  assert.equal(runGone, true);
  assert.match(
    line,
    /^lock web-canary-lock: held by "42\/elsewhere\/1", expired 12s ago: run 42 \(phase promoting\) is gone/,
  );
  assert.match(line, /canary-action rollback --workload deployment\/web/);
});

test('a Lease not renewed within its renewal deadline: the run has stopped acting', async () => {
  const { runGone, line } = await leaseStatus(
    withLease('42/elsewhere/1', 45),
    'web',
    state('analysing'),
    NOW,
  );
  assert.equal(runGone, true);
  assert.match(line, /not renewed for 45s: run 42 \(phase analysing\) has stopped acting .*expires in 15s/);
});

test('a fresh Lease held by a process of this host that no longer runs: gone; by a live one: held', async () => {
  const dead = await leaseStatus(
    withLease(`42/${os.hostname()}/999999999`, 2),
    'web',
    state('promoting'),
    NOW,
  );
  assert.equal(dead.runGone, true);
  assert.match(
    dead.line,
    /run 42 \(phase promoting\) is gone \(its process is no longer running on this host\)/,
  );
  const alive = await leaseStatus(
    withLease(`42/${os.hostname()}/${process.pid}`, 2),
    'web',
    state('promoting'),
    NOW,
  );
  assert.equal(alive.runGone, false);
  assert.match(alive.line, /renewed 2s ago \(its lease expires in 58s\)/);
});

test('no Lease: gone while the canary is mid-release, normal when it is held on purpose', async () => {
  const mid = await leaseStatus(new FakeCluster(), 'web', state('analysing'), NOW);
  assert.equal(mid.runGone, true);
  assert.match(mid.line, /^lock web-canary-lock: not held: run 42 \(phase analysing\) is gone/);
  const held = await leaseStatus(new FakeCluster(), 'web', state('held'), NOW);
  assert.deepEqual(held, { runGone: false, line: 'lock web-canary-lock: not held' });
});
