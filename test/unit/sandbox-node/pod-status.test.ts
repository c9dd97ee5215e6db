import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pullPolicy } from '../../sandbox/node/pod-spec.ts';
import type { PodSpec } from '../../sandbox/node/pod-spec.ts';
import { buildPodStatus, kubeTime, podPhase, qosClass } from '../../sandbox/node/pod-status.ts';
import type { ContainerStatus, PodCondition } from '../../sandbox/node/pod-status.ts';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:00:05Z';

const status = (fields: Partial<ContainerStatus>): ContainerStatus => ({
  name: 'app',
  image: 'web:1',
  imageID: '',
  ready: false,
  started: false,
  restartCount: 0,
  state: { waiting: { reason: 'ContainerCreating' } },
  lastState: {},
  ...fields,
});
const running = status({ ready: true, started: true, state: { running: { startedAt: T0 } } });
const spec: PodSpec = { containers: [{ name: 'app', image: 'web:1' }] };

describe('podPhase', () => {
  test('Pending until a container has run', () => {
    assert.equal(podPhase([status({})]), 'Pending');
    assert.equal(podPhase([status({ state: { waiting: { reason: 'ImagePullBackOff' } } })]), 'Pending');
  });

  test('Running while running or restarting after a crash', () => {
    assert.equal(podPhase([running]), 'Running');
    const crashLooping = status({
      restartCount: 2,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: T0, finishedAt: T1 } },
    });
    assert.equal(podPhase([crashLooping]), 'Running');
  });

  test('Succeeded or Failed once every container terminated for good', () => {
    const done = (exitCode: number) =>
      status({
        state: {
          terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: T0, finishedAt: T1 },
        },
      });
    assert.equal(podPhase([done(0), done(0)]), 'Succeeded');
    assert.equal(podPhase([done(0), done(1)]), 'Failed');
    assert.equal(podPhase([done(0), running]), 'Running');
  });
});

describe('qosClass', () => {
  test('BestEffort without requests or limits', () => {
    assert.equal(qosClass(spec), 'BestEffort');
  });

  test('Guaranteed when every container has equal cpu and memory limits and requests (requests default to limits)', () => {
    const limits = { cpu: '100m', memory: '64Mi' };
    assert.equal(qosClass({ containers: [{ name: 'a', image: 'x', resources: { limits } }] }), 'Guaranteed');
    assert.equal(
      qosClass({ containers: [{ name: 'a', image: 'x', resources: { limits, requests: { ...limits } } }] }),
      'Guaranteed',
    );
  });

  test('Burstable otherwise', () => {
    assert.equal(
      qosClass({ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '100m' } } }] }),
      'Burstable',
    );
    assert.equal(
      qosClass({
        containers: [
          { name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } },
          { name: 'b', image: 'x' },
        ],
      }),
      'Burstable',
    );
  });
});

describe('buildPodStatus', () => {
  const build = (containers: ContainerStatus[], previousConditions: PodCondition[], now: string) =>
    buildPodStatus({
      spec,
      hostIP: '127.0.0.1',
      podIP: '127.0.3.4',
      startTime: T0,
      containers,
      previousConditions,
      now,
    });

  test('reports every field of a v1 PodStatus', () => {
    const result = build([running], [], T0);
    assert.equal(result.phase, 'Running');
    assert.equal(result.podIP, '127.0.3.4');
    assert.deepEqual(result.podIPs, [{ ip: '127.0.3.4' }]);
    assert.deepEqual(result.hostIPs, [{ ip: '127.0.0.1' }]);
    assert.equal(result.startTime, T0);
    assert.equal(result.qosClass, 'BestEffort');
    assert.deepEqual(result.containerStatuses, [running]);
    const conditions = result.conditions as PodCondition[];
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status]),
      [
        ['Initialized', 'True'],
        ['Ready', 'True'],
        ['ContainersReady', 'True'],
        ['PodScheduled', 'True'],
      ],
    );
  });

  test('names the unready containers and keeps lastTransitionTime while a condition holds', () => {
    const first = build([status({})], [], T0).conditions as PodCondition[];
    const ready = first.find((c) => c.type === 'Ready');
    assert.deepEqual(ready, {
      type: 'Ready',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: T0,
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const still = build([status({})], first, T1).conditions as PodCondition[];
    assert.equal(still.find((c) => c.type === 'Ready')?.lastTransitionTime, T0);
    const flipped = build([running], still, T1).conditions as PodCondition[];
    assert.equal(flipped.find((c) => c.type === 'Ready')?.lastTransitionTime, T1);
    assert.equal(flipped.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, T0);
  });
});

describe('helpers', () => {
  test('kubeTime has second precision', () => {
    assert.equal(kubeTime(new Date('2025-03-04T05:06:07.891Z')), '2025-03-04T05:06:07Z');
  });

  test('default pull policy: Always for :latest or no tag, IfNotPresent otherwise', () => {
    assert.equal(pullPolicy({ name: 'a', image: 'web' }), 'Always');
    assert.equal(pullPolicy({ name: 'a', image: 'registry:5000/web:latest' }), 'Always');
    assert.equal(pullPolicy({ name: 'a', image: 'registry:5000/web' }), 'Always');
    assert.equal(pullPolicy({ name: 'a', image: 'web:1.2' }), 'IfNotPresent');
    assert.equal(pullPolicy({ name: 'a', image: `web@sha256:${'0'.repeat(64)}` }), 'IfNotPresent');
    assert.equal(pullPolicy({ name: 'a', image: 'web:1', imagePullPolicy: 'Never' }), 'Never');
  });
});
