import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PodLogsError } from '../../sandbox/node/kubelet.ts';
import { request, waitFor } from './helpers.ts';
import { condition, makePod, withKubelet } from './kubelet-harness.ts';
import { assertValidPodStatus } from './pod-status-shape.ts';

describe('kubelet: pod states and status', () => {
  test('runs a pod to Ready with its resolved env and reports a valid v1 PodStatus', () =>
    withKubelet(
      {
        resolveRef: ({ kind, namespace, name }) =>
          kind === 'ConfigMap' && namespace === 'demo' && name === 'web-config'
            ? { version: '2.0.0' }
            : undefined,
      },
      async (h) => {
        const pod = await makePod('web-1', {
          env: [
            { name: 'DEMO_VERSION', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'version' } } },
            { name: 'CANARY_TRACK', valueFrom: { fieldRef: { fieldPath: "metadata.labels['track']" } } },
            { name: 'APP_VERSION', value: 'sha-abc' },
          ],
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
          resources: { requests: { cpu: '50m' } },
        });
        h.kubelet.sync(pod);
        await waitFor('Ready', () => condition(h.status('web-1'), 'Ready')?.status === 'True');

        const status = h.status('web-1') ?? {};
        assertValidPodStatus(status);
        assert.equal(status.phase, 'Running');
        assert.equal(status.podIP, '127.0.0.1');
        assert.equal(status.qosClass, 'Burstable');
        const container = h.container('web-1');
        assert.equal(container?.ready, true);
        assert.equal(container?.started, true);
        assert.equal(container?.restartCount, 0);
        assert.equal(container?.image, 'registry.local/web:1.0.0');
        assert.match(container?.imageID ?? '', /^registry\.local\/web@sha256:[0-9a-f]{64}$/);
        assert.ok(container?.state.running);

        const first = h.statuses.find((entry) => entry.name === 'web-1')?.status;
        assert.equal(first?.phase, 'Pending');
        h.statuses
          .filter((entry) => entry.name === 'web-1')
          .forEach((entry) => assertValidPodStatus(entry.status));

        const app = await request(`http://127.0.0.1:${pod.port}/`);
        assert.deepEqual(JSON.parse(app.body), {
          service: 'demo-app',
          version: '2.0.0',
          appVersion: 'sha-abc',
          track: 'canary',
          hostname: 'web-1',
        });
        // Probes that ran before the app listened may add Unhealthy events, as on a real node.
        assert.deepEqual(
          h
            .eventsOf('web-1')
            .map((event) => event.split(':')[0])
            .filter((reason) => reason !== 'Unhealthy'),
          ['Pulling', 'Pulled', 'Created', 'Started'],
        );
      },
    ));

  test('a crashing process ends in CrashLoopBackOff with restartCount and lastState.terminated', () =>
    withKubelet({}, async (h) => {
      h.kubelet.sync(await makePod('crash', { env: [{ name: 'DEMO_CRASH', value: '1' }] }));
      const container = await h.waitForContainer(
        'crash',
        'CrashLoopBackOff after a restart',
        (c) => c.state.waiting?.reason === 'CrashLoopBackOff' && c.restartCount >= 1,
      );
      assert.match(
        container.state.waiting?.message ?? '',
        /^back-off \d+s restarting failed container=app pod=crash_demo\(/,
      );
      assert.equal(container.lastState.terminated?.exitCode, 1);
      assert.equal(container.lastState.terminated?.reason, 'Error');
      assert.equal(container.ready, false);
      const status = h.status('crash') ?? {};
      assertValidPodStatus(status);
      assert.equal(status.phase, 'Running');
      assert.equal(condition(status, 'Ready')?.status, 'False');
      assert.ok(
        h
          .eventsOf('crash')
          .some((e) => /^BackOff: Back-off restarting failed container app in pod crash_demo/.test(e)),
      );
      assert.match(h.kubelet.logs('demo', 'crash'), /DEMO_CRASH is set/);
      assert.match(h.kubelet.logs('demo', 'crash', { previous: true }), /DEMO_CRASH is set/);
    }));

  test('restartPolicy Never: a failed process leaves the pod Failed, not restarted', () =>
    withKubelet({}, async (h) => {
      h.kubelet.sync(
        await makePod('once', { env: [{ name: 'DEMO_CRASH', value: '1' }] }, { restartPolicy: 'Never' }),
      );
      await waitFor('phase Failed', () => h.status('once')?.phase === 'Failed');
      const container = h.container('once');
      assert.equal(container?.state.terminated?.exitCode, 1);
      assert.equal(container?.restartCount, 0);
      assertValidPodStatus(h.status('once') ?? {});
    }));

  test('an image the registry does not have: ErrImagePull, then ImagePullBackOff, until it appears', async () => {
    const registry = new Set(['registry.local/web:1.0.0']);
    await withKubelet({ imageExists: async (image) => registry.has(image) }, async (h) => {
      h.kubelet.sync(await makePod('pull', { image: 'registry.local/web:9.9.9' }));
      await h.waitForContainer(
        'pull',
        'ImagePullBackOff',
        (c) => c.state.waiting?.reason === 'ImagePullBackOff',
      );
      const reasons = h.statuses
        .filter((entry) => entry.name === 'pull')
        .map(
          (entry) =>
            (entry.status.containerStatuses as Array<{ state: { waiting?: { reason: string } } }>)[0]?.state
              .waiting?.reason,
        );
      assert.ok(
        reasons.indexOf('ErrImagePull') >= 0 &&
          reasons.indexOf('ErrImagePull') < reasons.indexOf('ImagePullBackOff'),
      );
      assert.equal(h.status('pull')?.phase, 'Pending');
      assertValidPodStatus(h.status('pull') ?? {});
      const events = h.eventsOf('pull');
      assert.ok(events.includes('Pulling: Pulling image "registry.local/web:9.9.9"'));
      assert.ok(
        events.some((e) =>
          e.startsWith('Failed: Failed to pull image "registry.local/web:9.9.9": rpc error: code = NotFound'),
        ),
      );
      assert.ok(events.includes('BackOff: Back-off pulling image "registry.local/web:9.9.9"'));
      assert.throws(
        () => h.kubelet.logs('demo', 'pull'),
        (error: unknown) =>
          error instanceof PodLogsError &&
          error.statusCode === 400 &&
          /is waiting to start/.test(error.message),
      );

      registry.add('registry.local/web:9.9.9');
      await h.waitForContainer('pull', 'ready once the image exists', (c) => c.ready);
    });
  });

  test('a missing ConfigMap key: CreateContainerConfigError', () =>
    withKubelet({ resolveRef: () => ({ other: 'x' }) }, async (h) => {
      const pod = await makePod('config', {
        env: [
          { name: 'DEMO_VERSION', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'version' } } },
        ],
      });
      h.kubelet.sync(pod);
      const container = await h.waitForContainer(
        'config',
        'CreateContainerConfigError',
        (c) => c.state.waiting?.reason === 'CreateContainerConfigError',
      );
      assert.equal(
        container.state.waiting?.message,
        "couldn't find key version in ConfigMap demo/web-config",
      );
      assert.ok(
        h
          .eventsOf('config')
          .includes("Failed: Error: couldn't find key version in ConfigMap demo/web-config"),
      );
    }));

  test('a failing readiness probe keeps the pod unready and reports Unhealthy', () =>
    withKubelet({}, async (h) => {
      h.kubelet.sync(
        await makePod('unready', {
          readinessProbe: { httpGet: { path: '/missing', port: 'http' }, periodSeconds: 1 },
        }),
      );
      await waitFor('an Unhealthy event', () =>
        h
          .eventsOf('unready')
          .includes('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404'),
      );
      assert.equal(h.container('unready')?.ready, false);
      assert.ok(h.container('unready')?.state.running);
      assert.equal(condition(h.status('unready'), 'Ready')?.message, 'containers with unready status: [app]');
    }));

  test('a failing liveness probe restarts the container', () =>
    withKubelet({}, async (h) => {
      h.kubelet.sync(
        await makePod('live', {
          // The startup probe holds the liveness probe back until the app listens, as in a real manifest.
          startupProbe: {
            httpGet: { path: '/healthz', port: 'http' },
            periodSeconds: 1,
            failureThreshold: 1000,
          },
          livenessProbe: {
            httpGet: { path: '/missing', port: 'http' },
            periodSeconds: 1,
            failureThreshold: 2,
          },
        }),
      );
      const container = await h.waitForContainer('live', 'a restart', (c) => c.restartCount >= 1);
      assert.equal(container.lastState.terminated?.reason, 'Completed', 'the app exits 0 on SIGTERM');
      assert.match(h.kubelet.logs('demo', 'live', { previous: true }), /received SIGTERM, shutting down/);
      const events = h.eventsOf('live');
      assert.ok(events.includes('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404'));
      assert.ok(events.includes('Killing: Container app failed liveness probe, will be restarted'));
    }));
});
