import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deploymentStatus,
  findPodFailure,
  firstUnreadyPod,
  newestReplicaSet,
  podSummary,
  selectorString,
} from '../../../src/kube/rollout-status.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

function deployment(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 2,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      uid: 'd-1',
      generation,
      annotations: { 'deployment.kubernetes.io/revision': '3' },
    },
    spec: { replicas: 3, ...spec },
    status: { observedGeneration: 2, ...status },
  };
}

function replicaSet(name: string, revision: string, owner = 'd-1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      labels: { 'pod-template-hash': name.split('-')[1] ?? '' },
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ kind: 'Deployment', uid: owner }],
    },
  };
}

function pod(name: string, containers: Record<string, unknown>[], ready = false): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: containers,
    },
  };
}

describe('deploymentStatus (kubectl rollout status)', () => {
  test('waits for the spec update to be observed', () => {
    const s = deploymentStatus(deployment({}, { observedGeneration: 1 }));
    assert.equal(s.done, false);
    assert.equal(s.message, 'Waiting for deployment "web" spec update to be observed...');
  });

  test('walks through updated, old pending termination, available, done', () => {
    const cases: [Record<string, number>, string][] = [
      [{ replicas: 3, updatedReplicas: 1 }, '1 out of 3 new replicas have been updated...'],
      [{ replicas: 4, updatedReplicas: 3 }, '1 old replicas are pending termination...'],
      [{ replicas: 3, updatedReplicas: 3, availableReplicas: 2 }, '2 of 3 updated replicas are available...'],
    ];
    for (const [status, tail] of cases) {
      const s = deploymentStatus(deployment({}, status));
      assert.equal(s.done, false);
      assert.equal(s.message, `Waiting for deployment "web" rollout to finish: ${tail}`);
    }
    const done = deploymentStatus(
      deployment({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 }),
    );
    assert.deepEqual(done, {
      done: true,
      message: 'deployment "web" successfully rolled out',
      progress: {
        name: 'web',
        ready: 3,
        updated: 3,
        desired: 3,
        message: 'deployment "web" successfully rolled out',
      },
    });
  });

  test('a Deployment scaled to zero is done at once; absent replicas default to 1', () => {
    assert.equal(deploymentStatus(deployment({ replicas: 0 }, {})).done, true);
    assert.equal(deploymentStatus(deployment({ replicas: undefined }, { updatedReplicas: 0 })).done, false);
  });

  test('ProgressDeadlineExceeded fails', () => {
    const s = deploymentStatus(
      deployment(
        {},
        {
          updatedReplicas: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-x" has timed out progressing.',
            },
          ],
        },
      ),
    );
    assert.equal(s.failed, 'ProgressDeadlineExceeded');
    assert.equal(
      s.message,
      'deployment "web" exceeded its progress deadline: ReplicaSet "web-x" has timed out progressing.',
    );
  });
});

describe('pods of the new template', () => {
  test('selectorString renders matchLabels and every matchExpressions operator', () => {
    assert.equal(
      selectorString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['canary', 'baseline'] },
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,track in (canary,baseline),tier notin (db),team,!legacy',
    );
  });

  test('newestReplicaSet picks the owned ReplicaSet of the current revision', () => {
    const sets = [
      replicaSet('web-aaa', '2'),
      replicaSet('web-bbb', '3'),
      replicaSet('web-ccc', '9', 'other'),
    ];
    assert.equal(newestReplicaSet(deployment({}, {}), sets)?.metadata.name, 'web-bbb');
    const noRevision = { ...deployment({}, {}), metadata: { name: 'web', uid: 'd-1' } };
    assert.equal(
      newestReplicaSet(noRevision, sets)?.metadata.name,
      'web-bbb',
      'else the highest owned revision',
    );
    assert.equal(newestReplicaSet(deployment({}, {}), []), undefined);
  });

  test('findPodFailure reports the first container waiting for a reason that will not pass', () => {
    const pods = [
      pod('web-1', [{ name: 'app', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }]),
      pod('web-2', [
        { name: 'proxy', ready: true, state: { running: {} } },
        {
          name: 'app',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
        },
      ]),
    ];
    assert.deepEqual(findPodFailure(pods), {
      pod: 'web-2',
      container: 'app',
      reason: 'CrashLoopBackOff',
      message: 'back-off 40s',
      restartCount: 4,
    });
    assert.equal(findPodFailure(pods.slice(0, 1)), undefined);
    const init = {
      ...pod('web-3', []),
      status: {
        initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'ImagePullBackOff' } } }],
      },
    };
    assert.equal(findPodFailure([init])?.container, 'migrate');
  });

  test('firstUnreadyPod and podSummary describe a stalled rollout', () => {
    const pods = [
      pod('web-1', [{ name: 'app', ready: true, state: { running: {} } }], true),
      pod('web-2', [{ name: 'app', ready: false, restartCount: 2, state: { running: {} } }]),
    ];
    assert.deepEqual(firstUnreadyPod(pods), { pod: 'web-2', container: 'app' });
    assert.deepEqual(podSummary(pods), [
      'web-1: Running; app=ready',
      'web-2: Running; app=not ready (running), 2 restarts',
    ]);
  });
});
