/**
 * The Deployment and ReplicaSet controllers step by step, with a fake kubelet whose pods become
 * ready only when the test says so (so every intermediate state of a rolling update can be checked).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import type { Kubelet, KubeObject } from '../../sandbox/node/types.ts';
import type { SandboxKubeletOptions } from '../../sandbox/node/kubelet.ts';
import { apiRequest, kubectl, kubectlMissing, waitFor } from './helpers.ts';

/** Pods start Pending and turn Ready on `ready()`; removal is immediate. */
class FakeKubelet implements Kubelet {
  pods = new Map<string, KubeObject>();
  constructor(private readonly options: SandboxKubeletOptions) {}
  sync(pod: KubeObject): void {
    this.pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
  }
  ready(namespace: string, name: string): void {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.options.onStatus(namespace, name, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now }],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          started: true,
          image: 'x',
          imageID: '',
          state: { running: { startedAt: now } },
        },
      ],
    });
  }
  async remove(namespace: string, name: string): Promise<void> {
    this.pods.delete(`${namespace}/${name}`);
  }
  logs(): string {
    return '';
  }
  async stop(): Promise<void> {}
}

type Pod = KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } };

describe('Deployment controller with a fake kubelet', () => {
  let sandbox: Sandbox;
  let kubelet: FakeKubelet;
  const DEPLOY = '/apis/apps/v1/namespaces/demo/deployments';

  before(async () => {
    sandbox = await startSandbox({
      node: {
        createKubelet: (options) => (kubelet = new FakeKubelet(options)),
      },
    });
  });
  after(async () => {
    await sandbox?.stop();
  });

  const pods = async (): Promise<Pod[]> =>
    (await apiRequest(sandbox, 'GET', '/api/v1/namespaces/demo/pods?labelSelector=app%3Droll')).json.items;
  const live = (list: Pod[]) => list.filter((p) => !p.metadata.deletionTimestamp);
  const isReady = (p: Pod) =>
    Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

  test('a rolling update never exceeds maxSurge nor drops below replicas - maxUnavailable', async () => {
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'roll' },
      spec: {
        replicas: 4,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        selector: { matchLabels: { app: 'roll' } },
        template: {
          metadata: { labels: { app: 'roll' } },
          spec: { containers: [{ name: 'app', image: 'demo:1' }] },
        },
      },
    };
    assert.equal((await apiRequest(sandbox, 'POST', DEPLOY, { body })).status, 201);
    await waitFor('4 pods', async () => live(await pods()).length === 4);
    for (const p of await pods()) kubelet.ready('demo', p.metadata.name);
    await waitFor(
      '4 available',
      async () => (await apiRequest(sandbox, 'GET', `${DEPLOY}/roll`)).json.status?.availableReplicas === 4,
    );

    await apiRequest(sandbox, 'PATCH', `${DEPLOY}/roll`, {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'demo:2' }] } } } },
    });
    let steps = 0;
    for (;;) {
      const d = (await apiRequest(sandbox, 'GET', `${DEPLOY}/roll`)).json;
      if (
        d.status?.observedGeneration === d.metadata.generation &&
        d.status?.updatedReplicas === 4 &&
        d.status?.availableReplicas === 4 &&
        (d.status?.replicas ?? 0) === 4
      )
        break;
      const current = live(await pods());
      assert.ok(current.length <= 5, `at most replicas + maxSurge pods, got ${current.length}`);
      assert.ok(
        current.filter(isReady).length >= 4,
        `at least replicas - maxUnavailable ready, got ${current.filter(isReady).length}`,
      );
      const pending = current.find((p) => !isReady(p));
      if (pending) {
        kubelet.ready('demo', pending.metadata.name);
        steps += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(steps <= 10, 'the rollout finishes in a bounded number of steps');
    }
    assert.equal(steps, 4, 'one surge pod at a time, four times');
    const d = (await apiRequest(sandbox, 'GET', `${DEPLOY}/roll`)).json;
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.equal(
      d.status.conditions.find((c: { type: string }) => c.type === 'Progressing').reason,
      'NewReplicaSetAvailable',
    );
    const events = (
      await apiRequest(
        sandbox,
        'GET',
        '/api/v1/namespaces/demo/events?fieldSelector=involvedObject.name%3Droll',
      )
    ).json.items;
    assert.ok(
      events.some(
        (e: { reason: string; message: string }) =>
          e.reason === 'ScalingReplicaSet' &&
          /^Scaled down replica set roll-\w+ from 1 to 0$/.test(e.message),
      ),
    );
  });

  test('the controllers go quiet once the state has settled', async () => {
    const rv = sandbox.store.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(sandbox.store.resourceVersion, rv, 'no writes while nothing changes');
  });

  test(
    'a rollout stuck past progressDeadlineSeconds reports ProgressDeadlineExceeded, and kubectl rollout status fails',
    { skip: kubectlMissing },
    async () => {
      const body = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'stuck' },
        spec: {
          replicas: 1,
          progressDeadlineSeconds: 1,
          selector: { matchLabels: { app: 'stuck' } },
          template: {
            metadata: { labels: { app: 'stuck' } },
            spec: { containers: [{ name: 'app', image: 'demo:1' }] },
          },
        },
      };
      await apiRequest(sandbox, 'POST', DEPLOY, { body });
      const condition = await waitFor('ProgressDeadlineExceeded', async () => {
        const d = (await apiRequest(sandbox, 'GET', `${DEPLOY}/stuck`)).json;
        return d.status?.conditions?.find((c: { reason: string }) => c.reason === 'ProgressDeadlineExceeded');
      });
      assert.equal(condition.status, 'False');
      assert.match(condition.message, /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
      const result = await kubectl(sandbox.kubeconfig, [
        'rollout',
        'status',
        'deployment/stuck',
        '--timeout=30s',
      ]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /error: deployment "stuck" exceeded its progress deadline/);
    },
  );
});
