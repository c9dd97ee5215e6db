/** The Lease lock against the sandbox: acquire, wait and give up, hand over on release, take over when expired, renew. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../../src/kube/client.ts';
import { LeaseLostError, LockHeldError } from '../../../src/kube/errors.ts';
import type { Cluster, KubeObject } from '../../../src/kube/types.ts';
import { ExitCode } from '../../../src/util/errors.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { waitFor } from '../sandbox/helpers.ts';
import { Lease as LeaseModel } from 'kubernetes-models/coordination.k8s.io/v1';

const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

type Lease = KubeObject & {
  spec: {
    holderIdentity?: string;
    renewTime?: string;
    acquireTime?: string;
    leaseDurationSeconds?: number;
    leaseTransitions?: number;
  };
};

describe('acquireLock (coordination.k8s.io/v1 Lease)', () => {
  let sandbox: Sandbox;
  let cluster: Cluster;
  const lease = (name: string) =>
    cluster.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name }) as Promise<Lease | undefined>;

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.05 });
    cluster = await connect({ kubeconfig: sandbox.kubeconfig }, { pollIntervalMs: 50 });
  });
  after(() => sandbox?.stop());

  test('acquire creates the Lease; a second holder waits, then fails clearly; release lets it in', async () => {
    const first = await cluster.acquireLock('web-canary-lock', 'run-1', { leaseSeconds: 30, waitMs: 0 });
    const held = await lease('web-canary-lock');
    assert.equal(held?.spec.holderIdentity, 'run-1');
    assert.equal(held?.spec.leaseDurationSeconds, 30);
    assert.match(held?.spec.acquireTime ?? '', MICRO_TIME);
    assert.match(held?.spec.renewTime ?? '', MICRO_TIME);
    // The Lease the engine wrote validates against the Kubernetes schema (kubernetes-models).
    assert.doesNotThrow(() => new LeaseModel(held as ConstructorParameters<typeof LeaseModel>[0]).validate());

    const waitedFor: string[] = [];
    await assert.rejects(
      cluster.acquireLock('web-canary-lock', 'run-2', {
        leaseSeconds: 30,
        waitMs: 300,
        onWait: (h) => waitedFor.push(h),
      }),
      (error: unknown) => {
        assert.ok(error instanceof LockHeldError, String(error));
        assert.equal(error.exitCode, ExitCode.Infrastructure);
        assert.equal(error.heldBy, 'run-1');
        assert.match(
          error.message,
          /lock web-canary-lock in namespace "demo" is held by "run-1" since .*gave up after waiting 0.3s/,
        );
        assert.match(error.message, /kubectl -n demo delete lease web-canary-lock/);
        return true;
      },
    );
    assert.deepEqual(waitedFor, ['run-1']);

    const second = cluster.acquireLock('web-canary-lock', 'run-2', { leaseSeconds: 30, waitMs: 60_000 });
    await first.release();
    await first.release();
    const lock = await second;
    assert.equal(lock.holder, 'run-2');
    assert.equal((await lease('web-canary-lock'))?.spec.holderIdentity, 'run-2');
    await lock.release();
    assert.equal(await lease('web-canary-lock'), undefined, 'release deletes the Lease');
  });

  test('the same holder re-acquires its own lease (a resumed run)', async () => {
    const a = await cluster.acquireLock('resume-lock', 'run-9', { leaseSeconds: 30, waitMs: 0 });
    const b = await cluster.acquireLock('resume-lock', 'run-9', { leaseSeconds: 30, waitMs: 0 });
    await b.release();
    await a.release();
    assert.equal(await lease('resume-lock'), undefined);
  });

  test('an expired lease is taken over', async () => {
    const stale = '2020-01-01T00:00:00.000000Z';
    await cluster.apply({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'stale-lock' },
      spec: { holderIdentity: 'crashed-run', leaseDurationSeconds: 15, acquireTime: stale, renewTime: stale },
    });
    const lock = await cluster.acquireLock('stale-lock', 'run-3', { leaseSeconds: 15, waitMs: 0 });
    const taken = await lease('stale-lock');
    assert.equal(taken?.spec.holderIdentity, 'run-3');
    assert.equal(taken?.spec.leaseTransitions, 1);
    assert.notEqual(taken?.spec.acquireTime, stale);
    await lock.release();
  });

  test('renewal keeps renewTime moving; losing the lease is reported', async () => {
    const lost: string[] = [];
    // Its own connection: a lost lock halts the cluster it was taken through.
    const own = await connect({ kubeconfig: sandbox.kubeconfig }, { pollIntervalMs: 50 });
    const lock = await own.acquireLock('renewed-lock', 'run-4', {
      leaseSeconds: 3,
      waitMs: 0,
      onLost: (r) => lost.push(r),
    });
    const firstRenew = (await lease('renewed-lock'))?.spec.renewTime;
    const renewed = await waitFor('a renewal', async () => {
      const current = await lease('renewed-lock');
      return current?.spec.renewTime !== firstRenew && current;
    });
    assert.equal(renewed.spec.holderIdentity, 'run-4');
    assert.ok(Date.parse(renewed.spec.renewTime ?? '') > Date.parse(firstRenew ?? ''));

    await cluster.apply({ ...renewed, spec: { ...renewed.spec, holderIdentity: 'intruder' } });
    await waitFor('the loss to be reported', () => lost.length > 0);
    assert.deepEqual(lost, ['lease lost: lease renewed-lock is now held by "intruder"']);
    await lock.release();
    assert.equal(
      (await lease('renewed-lock'))?.spec.holderIdentity,
      'intruder',
      "release leaves someone else's lease alone",
    );
  });
  test('a lock whose renewals fail past the deadline is lost: lost fires, and the cluster sends nothing more', async () => {
    const lost: string[] = [];
    const own = await connect({ kubeconfig: sandbox.kubeconfig }, { pollIntervalMs: 50 });
    const lock = await own.acquireLock('deadline-lock', 'run-5', {
      leaseSeconds: 1,
      waitMs: 0,
      onLost: (r) => lost.push(r),
    });
    const stop = sandbox.faults.add({
      path: '/leases/deadline-lock',
      methods: ['PUT'],
      errorRate: 1,
      status: 503,
    });
    try {
      await waitFor('the loss', () => lock.lost.aborted);
    } finally {
      stop();
    }
    assert.ok(lock.lost.reason instanceof LeaseLostError);
    assert.match(
      lost[0] ?? '',
      /^lease lost: lease deadline-lock could not be renewed for \ds \(renewal deadline 1s of a 1s lease\)/,
    );
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'after-loss' },
      data: { a: 'b' },
    };
    await assert.rejects(own.apply(configMap), LeaseLostError);
    await assert.rejects(
      own.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'after-loss' }),
      LeaseLostError,
    );
    await lock.release();
    assert.equal(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'after-loss' }), undefined);
    assert.equal(
      (await lease('deadline-lock'))?.spec.holderIdentity,
      'run-5',
      'a lost lock does not delete its Lease',
    );
  });

  test('every write is fenced: once another holder took the Lease, the next write is refused before it is sent', async () => {
    const fresh = await connect({ kubeconfig: sandbox.kubeconfig }, { pollIntervalMs: 50 });
    const lock = await fresh.acquireLock('fenced-lock', 'run-6', { leaseSeconds: 30, waitMs: 0 });
    const configMap = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name },
      data: { a: 'b' },
    });
    await fresh.apply(configMap('while-held'));
    const current = await lease('fenced-lock');
    await cluster.apply({ ...current!, spec: { ...current!.spec, holderIdentity: 'run-7' } });
    await assert.rejects(fresh.apply(configMap('after-taken')), (error: unknown) => {
      assert.ok(error instanceof LeaseLostError, String(error));
      assert.equal(error.heldBy, 'run-7');
      assert.match(error.message, /^lease lost: lease fenced-lock is now held by "run-7"/);
      return true;
    });
    await assert.rejects(
      fresh.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'while-held' }),
      LeaseLostError,
    );
    assert.ok(lock.lost.aborted);
    await lock.release();
    assert.equal(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'after-taken' }), undefined);
    assert.ok(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'while-held' }), 'not deleted');
    assert.equal(
      (await lease('fenced-lock'))?.spec.holderIdentity,
      'run-7',
      "the new holder's Lease is left alone",
    );
  });
});
