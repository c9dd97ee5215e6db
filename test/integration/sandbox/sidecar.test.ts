/**
 * A container that declares no ports (a sidecar such as a log shipper) binds nothing on the pod IP:
 * the app container beside it keeps its port, the pod becomes Ready and serves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { apiRequest, deploymentManifest, waitFor } from './helpers.ts';

describe('a pod with an app container and a portless sidecar', () => {
  let sandbox: Sandbox;
  const ns = 'demo';

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2 });
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('becomes Ready with both containers running, and the app serves on its port', async () => {
    const deployment = deploymentManifest('web', ns, { replicas: 1, env: { CANARY_TRACK: 'stable' } }) as {
      spec: { template: { spec: { containers: unknown[] } } };
    };
    deployment.spec.template.spec.containers.push({
      name: 'log-shipper',
      image: 'registry.local/log-shipper:2.1.0',
      env: [{ name: 'SHIP_TO', value: 'http://logs.example' }],
    });
    const created = await apiRequest(sandbox, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      body: deployment,
    });
    assert.equal(created.status, 201, created.text);

    const pod = await waitFor('the pod to be Ready', async () => {
      const pods = (await apiRequest(sandbox, 'GET', `/api/v1/namespaces/${ns}/pods`)).json.items;
      const ready = pods.find((p: { status?: { conditions?: Array<{ type: string; status: string }> } }) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready;
    });
    const statuses = pod.status.containerStatuses as Array<{
      name: string;
      ready: boolean;
      restartCount: number;
      state: Record<string, unknown>;
    }>;
    assert.deepEqual(statuses.map((c) => [c.name, c.ready, c.restartCount, Object.keys(c.state)[0]]).sort(), [
      ['app', true, 0, 'running'],
      ['log-shipper', true, 0, 'running'],
    ]);

    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: pod.status.podIP, port: 8080, path: '/', agent: false }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    assert.equal(JSON.parse(body).hostname, pod.metadata.name);

    const logs = await apiRequest(
      sandbox,
      'GET',
      `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log?container=log-shipper`,
    );
    assert.match(logs.text, /idle container .* binds nothing/);
    const appLogs = await apiRequest(
      sandbox,
      'GET',
      `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log?container=app`,
    );
    assert.doesNotMatch(appLogs.text, /EADDRINUSE/);
  });
});
