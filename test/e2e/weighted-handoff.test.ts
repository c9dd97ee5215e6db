/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * A weighted release finished from another job: `deploy` leaves the canary live at its weight, then
 * `promote` or `rollback` run as a separate process with no config (as a later CI job would), finding the
 * router, the route and the Service from the canary's annotations and the original spec on the route.
 * No analysis runs, so no Prometheus is needed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.ts';
import { apiRequest, loadK8sSchemas } from '../integration/sandbox/helpers.ts';
import { GATEWAY_CONTROLLER } from '../sandbox/index.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

const GW = 'gateway.networking.k8s.io/v1';
const schemas = loadK8sSchemas();

describe(
  'a weighted release finished by another job (sandbox Gateway, CLI processes)',
  { skip: sandboxOnly('the sandbox Gateway controller') },
  () => {
    let env: ReleaseEnvironment;
    const ns = () => env.namespace;
    const route = () => env.get(`/apis/${GW}/namespaces/${ns()}/httproutes/web`);
    const admin = async (p: string, body: unknown) => {
      const res = await apiRequest(env.sandbox, 'POST', p, { body });
      assert.equal(res.status, 201, `POST ${p}: ${res.text}`);
    };
    const cli = (args: string[]) => runCli([...args, '--kubeconfig', env.kubeconfig]);
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    const stable = async () => ({
      deployment: await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`),
      service: (await env.get(`/api/v1/namespaces/${ns()}/services/web`)).metadata.resourceVersion,
    });

    /** `deploy` through the gateway-api router at 20 %: the weight is live when it returns. */
    const deploy = async (name: string, tag: Parameters<ReleaseEnvironment['image']>[0]) => {
      const image = env.image(tag);
      const manifests = await writeManifests(env, name, { image });
      const config = path.join(env.dir, `${name}.yml`);
      await writeFile(
        config,
        `apiVersion: canary-action/v1
workload: deployment/web
namespace: ${ns()}
traffic: {router: gateway-api, route: httproute/web, steps: [20]}
readyTimeout: ${env.timings.readyTimeout}
analysis:
  provider: {type: prometheus, url: http://127.0.0.1:9}
  metrics: [{template: http-error-rate}]
`,
      );
      const args = ['deploy', '--config', config, '--manifests', manifests, '--image', image];
      const done = await cli([...args, '--revision', name]);
      assert.equal(done.code, 0, show(done));
      const live = await route();
      const refs: any[] = live.spec.rules[0].backendRefs;
      assert.deepEqual(
        refs.map((r) => [r.name, r.weight]),
        [
          ['web', 600],
          ['web-canary', 200],
          ['web-baseline', 200],
        ],
      );
      assert.equal(schemas.httproute(live), undefined);
      return image;
    };

    const assertRestored = async (specBefore: string) => {
      const live = await route();
      assert.equal(JSON.stringify(live.spec), specBefore, 'the route spec is byte-identical');
      assert.equal(live.metadata.annotations?.['canary-action.dev/original-spec'], undefined);
      for (const kind of ['api/v1/namespaces/NS/services', 'apis/apps/v1/namespaces/NS/deployments'])
        for (const track of ['canary', 'baseline'])
          assert.equal(
            await env.get(`/${kind.replace('NS', ns())}/web-${track}`),
            undefined,
            `${kind} ${track}`,
          );
    };

    before(async () => {
      env = await startReleaseEnvironment({ prometheus: false });
      await admin(`/apis/${GW}/gatewayclasses`, {
        apiVersion: GW,
        kind: 'GatewayClass',
        metadata: { name: 'sandbox' },
        spec: { controllerName: GATEWAY_CONTROLLER },
      });
      await admin(`/apis/${GW}/namespaces/${ns()}/gateways`, {
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name: 'public', namespace: ns() },
        spec: { gatewayClassName: 'sandbox', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      });
      await admin(`/apis/${GW}/namespaces/${ns()}/httproutes`, {
        apiVersion: GW,
        kind: 'HTTPRoute',
        metadata: { name: 'web', namespace: ns() },
        spec: { parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
      });
    });
    after(async () => {
      await env?.stop();
    });

    test('promote without the config: the stable runs the canary, then the route is restored and the track Services go', async () => {
      const specBefore = JSON.stringify((await route()).spec);
      const serviceBefore = (await stable()).service;
      const image = await deploy('handoff-promote', '2.0.0');
      const done = await cli(['promote', '--namespace', ns(), '--workload', 'deployment/web']);
      assert.equal(done.code, 0, show(done));
      assert.match(done.stdout, /httproute\/web: all traffic back to service\/web, spec restored/);
      const after = await stable();
      assert.equal(after.deployment.spec.template.spec.containers[0].image, image);
      assert.equal(after.service, serviceBefore, 'the stable Service was never changed');
      await assertRestored(specBefore);
    });

    test('rollback without the config: the route first, then the canary; the stable untouched', async () => {
      const specBefore = JSON.stringify((await route()).spec);
      const before = await stable();
      await deploy('handoff-rollback', '3.0.0');
      const done = await cli(['rollback', '--namespace', ns(), '--workload', 'deployment/web']);
      assert.equal(done.code, 0, show(done));
      const restoredAt = done.stdout.indexOf('spec restored');
      const deletedAt = done.stdout.search(/deleted .*web-canary/i);
      assert.ok(restoredAt >= 0 && deletedAt > restoredAt, done.stdout);
      const after = await stable();
      assert.equal(after.deployment.metadata.resourceVersion, before.deployment.metadata.resourceVersion);
      assert.equal(after.service, before.service);
      await assertRestored(specBefore);
    });
  },
);
