import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  leaseExpiresAt,
  leaseState,
  microTime,
  renewDeadlineMs,
  renewIntervalMs,
  takeLease,
} from '../../../src/kube/lease-time.ts';

const T0 = Date.parse('2024-05-01T12:00:00.250Z');

test('microTime has exactly six fractional digits in UTC', () => {
  assert.equal(microTime(T0), '2024-05-01T12:00:00.250000Z');
  assert.equal(Date.parse(microTime(T0)), T0);
});

test('a lease expires leaseDurationSeconds after its renewTime (else acquireTime)', () => {
  assert.equal(leaseExpiresAt({ renewTime: microTime(T0), leaseDurationSeconds: 15 }), T0 + 15_000);
  assert.equal(leaseExpiresAt({ acquireTime: microTime(T0), leaseDurationSeconds: 15 }), T0 + 15_000);
  assert.equal(leaseExpiresAt({ leaseDurationSeconds: 15 }), 0, 'no time at all: expired');
});

test('leaseState: free, ours, held until expiry, then expired', () => {
  const spec = { holderIdentity: 'run-1', renewTime: microTime(T0), leaseDurationSeconds: 10 };
  assert.deepEqual(leaseState({}, 'run-2', T0), { kind: 'free' });
  assert.deepEqual(leaseState(spec, 'run-1', T0 + 60_000), { kind: 'ours' });
  assert.deepEqual(leaseState(spec, 'run-2', T0 + 9_999), {
    kind: 'held',
    heldBy: 'run-1',
    expiresAt: T0 + 10_000,
  });
  assert.deepEqual(leaseState(spec, 'run-2', T0 + 10_000), { kind: 'expired', heldBy: 'run-1' });
});

test('takeLease: a takeover counts a transition and resets acquireTime; a renewal keeps it', () => {
  const old = {
    holderIdentity: 'run-1',
    acquireTime: microTime(T0),
    renewTime: microTime(T0),
    leaseDurationSeconds: 10,
    leaseTransitions: 2,
  };
  const taken = takeLease(old, 'run-2', 30, T0 + 20_000);
  assert.deepEqual(taken, {
    holderIdentity: 'run-2',
    acquireTime: microTime(T0 + 20_000),
    renewTime: microTime(T0 + 20_000),
    leaseDurationSeconds: 30,
    leaseTransitions: 3,
  });
  const renewed = takeLease(taken, 'run-2', 30, T0 + 30_000);
  assert.equal(renewed.acquireTime, taken.acquireTime);
  assert.equal(renewed.renewTime, microTime(T0 + 30_000));
  assert.equal(renewed.leaseTransitions, 3);
  assert.equal(takeLease({}, 'run-1', 30, T0).leaseTransitions, 0);
});

test('renewals come twelve times per lease period; the renewal deadline is two thirds of it', () => {
  assert.equal(renewIntervalMs(60), 5_000);
  assert.equal(renewIntervalMs(0.1), 100);
  assert.equal(renewDeadlineMs(60), 40_000);
});
