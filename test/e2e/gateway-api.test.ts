/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The gateway-api router end to end: the CLI as a process against the sandbox, whose Gateway routes by the
 * HTTPRoute's weights, with a real Prometheus and steady traffic through the Gateway. The canary's share is
 * measured through the Gateway at every step; the user's route, Deployment and Service end as they were.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.ts';
import { apiRequest, loadK8sSchemas, sample, waitFor } from '../integration/sandbox/helpers.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { GATEWAY_CONTROLLER } from '../sandbox/index.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

const schemas = loadK8sSchemas();
const GW = 'gateway.networking.k8s.io/v1';
/** Requests per step so that ±3 points is at least 4 binomial standard deviations (4445 at 50%). */
const requestsFor = (weight: number) => Math.ceil((16 * (weight / 100) * (1 - weight / 100)) / 0.03 ** 2);

describe(
  'gateway-api router (sandbox Gateway + Prometheus)',
  { skip: sandboxOnly('the sandbox Gateway controller') },
  () => {
    let env: ReleaseEnvironment;
    let traffic: TrafficGenerator | undefined;
    let gatewayPort: number;
    const ns = () => env.namespace;
    const routes = () => `/apis/${GW}/namespaces/${ns()}/httproutes`;
    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await apiRequest(env.sandbox, method, p, body === undefined ? {} : { body });
      assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${res.text}`);
      return res.json;
    };
    const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--kubeconfig', env.kubeconfig]);
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    const stableVersions = async () => ({
      deployment: (await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`)).metadata
        .resourceVersion,
      service: (await env.get(`/api/v1/namespaces/${ns()}/services/web`)).metadata.resourceVersion,
    });
    const routeSpec = async (name: string) => JSON.stringify((await env.get(`${routes()}/${name}`)).spec);

    const writeConfig = async (name: string, traffic: string, minDuration = env.timings.minDuration) => {
      const file = path.join(env.dir, `${name}.yml`);
      const t = env.timings;
      await writeFile(
        file,
        `apiVersion: canary-action/v1
workload: deployment/web
namespace: ${ns()}
traffic: ${traffic}
lockWait: ${t.lockWait}
readyTimeout: ${t.readyTimeout}
analysis:
  provider: {type: prometheus, url: ${env.prometheusUrl}}
  interval: ${t.interval}
  warmup: ${t.warmup}
  minDuration: ${minDuration}
  maxDuration: ${minDuration === t.minDuration ? t.maxDuration : minDuration}
  metrics:
    - {template: http-error-rate}
`,
      );
      return file;
    };
    const run = async (
      name: string,
      traffic: string,
      image: string,
      appEnv?: Record<string, string>,
      minDuration?: string,
    ) => {
      const manifests = await writeManifests(env, name, { image, ...(appEnv ? { env: appEnv } : {}) });
      const config = await writeConfig(name, traffic, minDuration);
      const report = path.join(env.dir, `${name}-report.json`);
      const args = [
        'run',
        '--config',
        config,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        name,
      ];
      return { result: cli([...args, '--report', report]), report };
    };

    before(async () => {
      env = await startReleaseEnvironment({ stableReplicas: 2 });
      await admin('POST', `/apis/${GW}/gatewayclasses`, {
        apiVersion: GW,
        kind: 'GatewayClass',
        metadata: { name: 'sandbox' },
        spec: { controllerName: GATEWAY_CONTROLLER },
      });
      const gateway = (name: string, from: string) => ({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name, namespace: ns() },
        spec: {
          gatewayClassName: 'sandbox',
          listeners: [
            {
              name: 'http',
              port: 80,
              protocol: 'HTTP',
              allowedRoutes: {
                namespaces:
                  from === 'Selector'
                    ? { from, selector: { matchLabels: { 'no-such': 'namespace' } } }
                    : { from },
              },
            },
          ],
        },
      });
      await admin('POST', `/apis/${GW}/namespaces/${ns()}/gateways`, gateway('public', 'Same'));
      await admin('POST', `/apis/${GW}/namespaces/${ns()}/gateways`, gateway('private', 'Selector'));
      const route = (name: string, parent: string) => ({
        apiVersion: GW,
        kind: 'HTTPRoute',
        metadata: { name, namespace: ns() },
        spec: {
          parentRefs: [{ name: parent }],
          hostnames: [`${name}.example.com`],
          rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
        },
      });
      for (const r of [route('web', 'public'), route('web-private', 'private')]) {
        assert.equal(schemas.httproute(r), undefined);
        await admin('POST', routes(), r);
      }
      gatewayPort = await waitFor('the Gateway listener', () =>
        env.sandbox.listenerPort('gateway', ns(), 'public'),
      );
      traffic = startTrafficGenerator({
        url: `http://127.0.0.1:${gatewayPort}/`,
        ratePerSecond: 160,
        headers: { host: 'web.example.com' },
      });
    });
    after(async () => {
      await traffic?.stop();
      await env?.stop();
    });

    /** The canary's weight in the live route, once the route is Accepted at its generation (else undefined). */
    const liveWeight = async (): Promise<number | undefined> => {
      const route = await env.get(`${routes()}/web`);
      const refs: any[] = route.spec.rules[0].backendRefs;
      const canary = refs.find((r) => r.name === 'web-canary');
      const accepted = route.status?.parents?.some((p: any) =>
        p.conditions.some(
          (c: any) =>
            c.type === 'Accepted' &&
            c.status === 'True' &&
            c.observedGeneration === route.metadata.generation,
        ),
      );
      if (!canary || !accepted) return undefined;
      const total = refs.reduce((sum, r) => sum + r.weight, 0);
      return Math.round((canary.weight / total) * 1000) / 10;
    };

    /** N answered requests through the Gateway, in batches; a batch with a reset connection is sent again. */
    const measure = async (weight: number) => {
      const out = { total: 0, resets: 0, byTrack: {} as Record<string, number> };
      while (out.total < requestsFor(weight)) {
        const headers = { host: 'web.example.com' };
        const seen = await sample(gatewayPort, 50, { headers, concurrency: 8 }).catch(() => undefined);
        // Only batches the step's weight was live for from start to end count (the run moves on by itself).
        const still = await liveWeight();
        if (still !== weight) {
          assert.ok(
            out.total > 0 || still === undefined,
            `step ${weight}% ended before it could be measured`,
          );
          assert.fail(`step ${weight}% ended after ${out.total} of ${requestsFor(weight)} requests`);
        }
        if (!seen) {
          out.resets += 1;
          assert.ok(out.resets < 20, `step ${weight}%: ${out.resets} batches with a reset connection`);
          continue;
        }
        assert.equal(seen.byStatus['200'], seen.total, `step ${weight}%: ${JSON.stringify(seen.byStatus)}`);
        out.total += seen.total;
        for (const [track, count] of Object.entries(seen.byTrack))
          out.byTrack[track] = (out.byTrack[track] ?? 0) + count;
      }
      return out;
    };

    /** At each step, once the route carries its weight: objects validated, the split measured, the stable untouched. */
    const checkSteps = async (before: { deployment: string; service: string }) => {
      const shares: Array<{ weight: number; canary: number; baseline: number }> = [];
      for (const weight of [5, 25, 50]) {
        await waitFor(`the route at ${weight}%`, async () => (await liveWeight()) === weight, 120_000);
        const route = await env.get(`${routes()}/web`);
        assert.equal(schemas.httproute(route), undefined, 'the weighted route validates');
        for (const track of ['canary', 'baseline']) {
          const service = await env.get(`/api/v1/namespaces/${ns()}/services/web-${track}`);
          assert.equal(schemas.service(service), undefined);
          const deployment = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-${track}`);
          assert.equal(schemas.deployment(deployment), undefined);
          assert.equal(deployment.spec.template.metadata.labels.app, `web-${track}`);
        }
        const seen = await measure(weight);
        const canary = (seen.byTrack.canary ?? 0) / seen.total;
        const baseline = (seen.byTrack.baseline ?? 0) / seen.total;
        shares.push({ weight, canary, baseline });
        assert.ok(
          Math.abs(canary * 100 - weight) <= 3,
          `step ${weight}%: canary share ${(canary * 100).toFixed(1)}%`,
        );
        assert.ok(
          Math.abs(baseline * 100 - weight) <= 3,
          `step ${weight}%: baseline share ${(baseline * 100).toFixed(1)}%`,
        );
        assert.deepEqual(
          await stableVersions(),
          before,
          'the stable Deployment and Service are untouched while analysing',
        );
      }
      return shares;
    };

    test('a good release is promoted through 5 → 25 → 50: the measured share follows each weight; the route ends as it was', async () => {
      const specBefore = await routeSpec('web');
      const before = await stableVersions();
      const image = env.image('2.0.0');
      const { result, report } = await run(
        'gw-good',
        '{router: gateway-api, route: httproute/web, steps: [5, 25, 50]}',
        image,
        undefined,
        '90s',
      );
      // The run goes on whatever the checks say: wait for it, so no test leaves a live run behind.
      const checked = checkSteps(before).catch((error: unknown) => error as Error);
      const done = await result;
      const shares = await checked;
      if (shares instanceof Error) throw shares;
      assert.equal(done.code, 0, show(done));
      console.log(
        `measured shares: ${shares.map((s) => `${s.weight}% → canary ${(s.canary * 100).toFixed(1)}%, baseline ${(s.baseline * 100).toFixed(1)}%`).join('; ')}`,
      );
      assert.equal(await routeSpec('web'), specBefore, 'the route spec is byte-identical');
      const route = await env.get(`${routes()}/web`);
      assert.equal(route.metadata.annotations?.['canary-action.dev/original-spec'], undefined);
      assert.equal((await stableVersions()).service, before.service, 'the stable Service was never changed');
      const stable = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`);
      assert.equal(stable.spec.template.spec.containers[0].image, image);
      for (const track of ['canary', 'baseline']) {
        assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-${track}`), undefined);
        assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-${track}`), undefined);
      }
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.equal(json.outcome, 'promoted');
      assert.deepEqual(
        json.steps.map((s: any) => s.weight),
        [5, 25, 50],
      );
    });

    test('a bad release is rolled back: the route spec is byte-identical, the stable never modified', async () => {
      const specBefore = await routeSpec('web');
      const before = await stableVersions();
      const image = env.image('3.0.0');
      const { result } = await run(
        'gw-bad',
        '{router: gateway-api, route: httproute/web, steps: [25]}',
        image,
        { DEMO_ERROR_RATE: '0.3' },
      );
      const done = await result;
      assert.equal(done.code, 1, show(done));
      assert.match(done.stdout + done.stderr, /http-error-rate/);
      assert.equal(await routeSpec('web'), specBefore);
      assert.deepEqual(await stableVersions(), before);
      assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary`), undefined);
    });

    test('a weight reverted by a third party mid-analysis is re-asserted and counted in the report', async () => {
      const specBefore = (await env.get(`${routes()}/web`)).spec;
      const image = env.image('5.0.0');
      const { result, report } = await run(
        'gw-revert',
        '{router: gateway-api, route: httproute/web, steps: [20]}',
        image,
        undefined,
        '20s',
      );
      await waitFor('the route at 20%', async () => (await liveWeight()) === 20, 120_000);
      const live = await env.get(`${routes()}/web`);
      await admin('PUT', `${routes()}/web`, { ...live, spec: specBefore });
      await waitFor('the weight re-asserted', async () => (await liveWeight()) === 20, 60_000);
      const done = await result;
      assert.equal(done.code, 0, show(done));
      assert.match(done.stdout + done.stderr, /changed by someone else: re-asserting 20%/);
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.ok(json.steps[0].reassertions >= 1, JSON.stringify(json.steps));
      assert.equal(JSON.stringify((await env.get(`${routes()}/web`)).spec), JSON.stringify(specBefore));
    });

    test("a route its Gateway does not accept ends in exit 4 with the parent's message, rolled back", async () => {
      const specBefore = await routeSpec('web-private');
      const before = await stableVersions();
      const image = env.image('6.0.0');
      const { result } = await run(
        'gw-rejected',
        '{router: gateway-api, route: httproute/web-private, steps: [10]}',
        image,
      );
      const done = await result;
      assert.equal(done.code, 4, show(done));
      assert.match(
        done.stdout + done.stderr,
        /httproute\/web-private is not accepted: Gateway private: Accepted False \(NotAllowedByListeners\)/,
      );
      assert.equal(await routeSpec('web-private'), specBefore);
      assert.deepEqual(await stableVersions(), before);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-canary`), undefined);
      assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary`), undefined);
    });

    test('a route that does not send to the stable Service, or an unknown router, is exit 2 before any change', async () => {
      const image = env.image('7.0.0');
      await admin('POST', `/api/v1/namespaces/${ns()}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: ns() },
        spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      const specBefore = await routeSpec('web');
      const other = await run(
        'gw-other',
        '{router: gateway-api, route: httproute/web, service: other, steps: [10]}',
        image,
      );
      const done = await other.result;
      assert.equal(done.code, 2, show(done));
      assert.match(
        done.stderr + done.stdout,
        /traffic\.route: httproute\/web has no rule with a backendRef to Service other/,
      );
      assert.equal(await routeSpec('web'), specBefore);
      const unknown = await run('gw-unknown', '{router: smi, route: httproute/web, steps: [10]}', image);
      const u = await unknown.result;
      assert.equal(u.code, 2, show(u));
      assert.match(u.stderr + u.stdout, /traffic\.router/);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-canary`), undefined);
    });
  },
);
