import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createKubelet, PodLogsError } from '../../sandbox/node/kubelet.ts';
import type { PodCondition } from '../../sandbox/node/pod-status.ts';
import type { KubeObject } from '../../sandbox/node/types.ts';
import { freePort, isAlive, waitFor } from './helpers.ts';
import { makePod, pidIn, TIME_SCALE, withKubelet } from './kubelet-harness.ts';

describe('kubelet: pod lifecycle and processes', () => {
  test('a new image in an updated pod restarts the container; logs keep the current and previous instance', () =>
    withKubelet({}, async (h) => {
      const pod = await makePod('update');
      h.kubelet.sync(pod);
      await h.waitForContainer('update', 'ready', (c) => c.ready);
      const spec = pod.spec as { containers: Array<{ image: string }> };
      h.kubelet.sync({
        ...pod,
        spec: { ...spec, containers: [{ ...spec.containers[0], image: 'registry.local/web:2.0.0' }] },
      });
      const container = await h.waitForContainer(
        'update',
        'ready on the new image',
        (c) => c.ready && c.image === 'registry.local/web:2.0.0',
      );
      assert.equal(container.restartCount, 1);
      assert.ok(
        h.eventsOf('update').includes('Killing: Container app definition changed, will be restarted'),
      );

      const previous = h.kubelet.logs('demo', 'update', { previous: true });
      const current = await waitFor('the new instance start line', () => {
        const logs = h.kubelet.logs('demo', 'update');
        return pidIn(logs) === undefined ? undefined : logs;
      });
      assert.match(previous, /received SIGTERM, shutting down/);
      assert.ok(pidIn(previous) !== undefined && pidIn(previous) !== pidIn(current));
      assert.doesNotMatch(current, /received SIGTERM/);
      assert.equal(h.kubelet.logs('demo', 'update', { tailLines: 1 }).split('\n').filter(Boolean).length, 1);
    }));

  test('an onStatus handler that syncs the updated pod back (as the API server does) starts one process', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'kubelet-reentrant-'));
    const pod = await makePod('echo');
    let latest: KubeObject = pod;
    let ready = false;
    const started: string[] = [];
    const kubelet = createKubelet({
      workDir,
      timeScale: TIME_SCALE,
      onStatus: (_namespace, _name, status) => {
        latest = { ...latest, status: { ...status, podIP: '127.0.0.1' } };
        ready = (status.conditions as PodCondition[]).some((c) => c.type === 'Ready' && c.status === 'True');
        kubelet.sync(latest);
      },
      onEvent: (event) => {
        if (event.reason === 'Started') started.push(event.message);
      },
    });
    try {
      kubelet.sync(pod);
      await waitFor('Ready', () => ready);
      assert.deepEqual(started, ['Started container app']);
    } finally {
      await kubelet.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  });

  test('remove() ends the process and forgets the pod', () =>
    withKubelet({}, async (h) => {
      h.kubelet.sync(await makePod('gone'));
      await h.waitForContainer('gone', 'ready (port open)', (c) => c.ready);
      const pid = pidIn(h.kubelet.logs('demo', 'gone'));
      assert.ok(pid && isAlive(pid));
      await h.kubelet.remove('demo', 'gone');
      assert.equal(isAlive(pid), false);
      assert.ok(h.eventsOf('gone').includes('Killing: Stopping container app'));
      assert.throws(
        () => h.kubelet.logs('demo', 'gone'),
        (error: unknown) => error instanceof PodLogsError && error.statusCode === 404,
      );
    }));

  test('remove() sends SIGKILL when the process ignores SIGTERM for the grace period', () =>
    withKubelet(
      { appPath: fileURLToPath(new URL('./fixtures/ignores-sigterm.mjs', import.meta.url)) },
      async (h) => {
        h.kubelet.sync(await makePod('stubborn', {}, { terminationGracePeriodSeconds: 2 }));
        await h.waitForContainer('stubborn', 'ready', (c) => c.ready);
        const pid = pidIn(h.kubelet.logs('demo', 'stubborn'));
        assert.ok(pid);
        await h.kubelet.remove('demo', 'stubborn');
        assert.equal(isAlive(pid), false);
      },
    ));

  test('stop() ends every pod process', () =>
    withKubelet({}, async (h) => {
      for (const name of ['a', 'b']) h.kubelet.sync(await makePod(name));
      const pids = await Promise.all(
        ['a', 'b'].map((name) =>
          waitFor(`pid of ${name}`, () => {
            try {
              return pidIn(h.kubelet.logs('demo', name));
            } catch {
              return undefined;
            }
          }),
        ),
      );
      await h.kubelet.stop();
      assert.deepEqual(pids.map(isAlive), [false, false]);
    }));

  test('pod processes do not outlive a sandbox process killed with SIGKILL', async () => {
    const host = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/kubelet-host.ts', import.meta.url)),
        String(await freePort()),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    host.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    try {
      const pid = Number(await waitFor('the pod pid', () => /pod pid (\d+)/.exec(output)?.[1]));
      assert.ok(isAlive(pid));
      host.kill('SIGKILL');
      await waitFor('the pod process to exit after its node died', () => !isAlive(pid));
    } finally {
      host.kill('SIGKILL');
      const workDir = /work dir (\S+)/.exec(output)?.[1];
      if (workDir) await rm(workDir, { recursive: true, force: true });
    }
  });
});
