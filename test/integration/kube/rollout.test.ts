/** waitForRollout against the sandbox's real controllers and demo-app pods. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../../src/kube/client.ts';
import { DeploymentRolloutError } from '../../../src/kube/errors.ts';
import type { Cluster, KubeObject, RolloutProgress } from '../../../src/kube/types.ts';
import { RolloutError } from '../../../src/util/errors.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';

const TIMEOUT_MS = 120_000;

function deployment(
  name: string,
  options: {
    image?: string;
    env?: Record<string, string>;
    readyPath?: string;
    progressDeadlineSeconds?: number;
  } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image ?? 'registry.local/demo-app:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: Object.entries(options.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
              readinessProbe: {
                httpGet: { path: options.readyPath ?? '/healthz', port: 'http' },
                periodSeconds: 1,
              },
            },
          ],
        },
      },
    },
  };
}

async function rolloutFailure(cluster: Cluster, name: string): Promise<DeploymentRolloutError> {
  try {
    await cluster.waitForRollout(name, { timeoutMs: TIMEOUT_MS });
  } catch (error) {
    assert.ok(error instanceof DeploymentRolloutError, String(error));
    assert.ok(error instanceof RolloutError);
    return error;
  }
  assert.fail(`deployment ${name} rolled out, expected a failure`);
}

describe('waitForRollout', () => {
  let sandbox: Sandbox;
  let cluster: Cluster;

  before(async () => {
    sandbox = await startSandbox({
      timeScale: 0.05,
      imageExists: async (image) => !image.includes('missing'),
    });
    cluster = await connect({ kubeconfig: sandbox.kubeconfig }, { pollIntervalMs: 200 });
  });
  after(() => sandbox?.stop());

  test('a good Deployment rolls out, reporting progress, and an update rolls out again', async () => {
    const progress: RolloutProgress[] = [];
    await cluster.apply(deployment('good'));
    await cluster.waitForRollout('good', { timeoutMs: TIMEOUT_MS, onProgress: (p) => progress.push(p) });
    const last = progress.at(-1);
    assert.deepEqual(last, {
      name: 'good',
      ready: 2,
      updated: 2,
      desired: 2,
      message: 'deployment "good" successfully rolled out',
    });
    assert.ok(progress.length >= 2, 'progress is reported while it rolls');
    const live = (await cluster.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'good',
    })) as KubeObject & {
      status: { availableReplicas: number };
    };
    assert.equal(live.status.availableReplicas, 2);

    await cluster.apply(deployment('good', { env: { DEMO_VERSION: '2' } }));
    await cluster.waitForRollout('good', { timeoutMs: TIMEOUT_MS });
    const pods = await cluster.list('v1', 'Pod', 'app=good');
    const versions = pods.map((p) =>
      JSON.stringify((p.spec as { containers: { env?: unknown }[] }).containers[0]?.env),
    );
    assert.ok(
      versions.length >= 2 && versions.every((v) => v.includes('DEMO_VERSION')),
      'only new pods remain ready',
    );
  });

  test('a crash-looping pod fails fast with CrashLoopBackOff, its events and its log line', async () => {
    await cluster.apply(deployment('crash', { env: { DEMO_CRASH: '1' } }));
    const error = await rolloutFailure(cluster, 'crash');
    assert.equal(error.reason, 'CrashLoopBackOff');
    assert.equal(error.container, 'app');
    assert.match(error.pod ?? '', /^crash-\w+-\w+$/);
    assert.match(
      error.message,
      /deployment "crash" in namespace "demo" cannot become ready: pod crash-\S+ container "app" is waiting with CrashLoopBackOff/,
    );
    assert.match(error.message, /events of pod crash-\S+ \(Warning first/);
    assert.match(error.message, /Warning +BackOff/);
    assert.match(
      error.message,
      /(log line|log lines) of container "app" \(previous instance\):\n.*DEMO_CRASH is set/,
    );
  });

  test('a missing image fails fast with the image pull reason', async () => {
    await cluster.apply(deployment('pull', { image: 'registry.local/missing:9' }));
    const error = await rolloutFailure(cluster, 'pull');
    assert.match(error.reason, /^(ImagePullBackOff|ErrImagePull)$/);
    assert.match(error.message, /is waiting with (ImagePullBackOff|ErrImagePull)/);
    assert.match(error.message, /registry\.local\/missing:9/);
  });

  test('a never-ready pod fails on ProgressDeadlineExceeded with the pod states', async () => {
    await cluster.apply(deployment('stuck', { readyPath: '/not-there', progressDeadlineSeconds: 2 }));
    const error = await rolloutFailure(cluster, 'stuck');
    assert.equal(error.reason, 'ProgressDeadlineExceeded');
    assert.match(error.message, /deployment "stuck" exceeded its progress deadline/);
    assert.match(error.message, /pods:\n {2}stuck-\S+: (Running|Pending)/);
  });

  test('a timeout says how far the rollout got', async () => {
    await cluster.apply(deployment('slow', { readyPath: '/not-there' }));
    await assert.rejects(cluster.waitForRollout('slow', { timeoutMs: 1500 }), (error: unknown) => {
      assert.ok(error instanceof DeploymentRolloutError, String(error));
      assert.equal(error.reason, 'Timeout');
      assert.match(
        error.message,
        /did not finish rolling out within 2s \(\d\/2 updated, 0 ready\); last status: /,
      );
      return true;
    });
  });

  test('an abort signal stops the wait with its reason', async () => {
    const controller = new AbortController();
    const waiting = cluster.waitForRollout('slow', { timeoutMs: TIMEOUT_MS, signal: controller.signal });
    controller.abort(new Error('cancelled by SIGTERM'));
    await assert.rejects(waiting, /cancelled by SIGTERM/);
  });
});
