/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The nginx router end to end: the CLI as a process against the sandbox, whose ingress-nginx listener
 * merges the canary Ingress into the main Ingress's backend and splits per request, with a real Prometheus
 * and steady traffic through the listener. The canary's and the baseline's shares are measured at every
 * step of a good release (whose first step's weight a third party reverts), a bad release is rolled back,
 * a canary Ingress no controller serves is exit 4; the user's Ingresses (their resourceVersions), stable
 * Deployment and Service are never written.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.ts';
import { apiRequest, loadK8sSchemas, sample, waitFor } from '../integration/sandbox/helpers.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { INGRESS_NGINX_CONTROLLER } from '../sandbox/index.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  writeManifests,
  type ReleaseEnvironment,
  type TestTag,
} from './environment.ts';
import { requestsFor } from './weighted-runs.ts';

const schemas = loadK8sSchemas();
const NET = '/apis/networking.k8s.io/v1';
const N = 'nginx.ingress.kubernetes.io/';

describe(
  'nginx router (sandbox ingress-nginx + Prometheus)',
  { skip: sandboxOnly('the sandbox ingress-nginx') },
  () => {
    let env: ReleaseEnvironment;
    let traffic: TrafficGenerator | undefined;
    let port: number;
    const ns = () => env.namespace;
    const ingresses = () => `${NET}/namespaces/${ns()}/ingresses`;
    const host = { host: 'web.example.com' };
    const admin = async (method: string, p: string, body?: unknown, contentType?: string) => {
      const res = await apiRequest(env.sandbox, method, p, {
        ...(body === undefined ? {} : { body }),
        ...(contentType ? { contentType } : {}),
      });
      assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${res.text}`);
      return res.json;
    };
    const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--kubeconfig', env.kubeconfig]);
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    /** resourceVersions of what the run must never write: the stable Deployment, its Service, the Ingresses. */
    const untouched = async () => ({
      deployment: (await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`)).metadata
        .resourceVersion,
      service: (await env.get(`/api/v1/namespaces/${ns()}/services/web`)).metadata.resourceVersion,
      ingress: (await env.get(`${ingresses()}/web`)).metadata.resourceVersion,
      retired: (await env.get(`${ingresses()}/web-retired`)).metadata.resourceVersion,
    });
    const gone = async (...paths: string[]) => {
      for (const p of paths) assert.equal(await env.get(p), undefined, `${p} is deleted`);
    };
    /** Everything a run creates, but the canary Ingress (named after the route). */
    const runObjects = () => [
      ...['web-canary-baseline', 'web-canary'].map((n) => `/api/v1/namespaces/${ns()}/services/${n}`),
      ...['web-canary', 'web-baseline'].map((n) => `/apis/apps/v1/namespaces/${ns()}/deployments/${n}`),
    ];

    const release = async (
      command: 'run' | 'deploy',
      name: string,
      options: {
        traffic: string;
        tag: TestTag;
        appEnv?: Record<string, string>;
        minDuration?: string;
        readyTimeout?: string;
        analysis?: string;
      },
    ) => {
      const t = env.timings;
      const minDuration = options.minDuration ?? t.minDuration;
      const image = env.image(options.tag);
      const manifests = await writeManifests(env, name, {
        image,
        ...(options.appEnv ? { env: options.appEnv } : {}),
      });
      const config = path.join(env.dir, `${name}.yml`);
      await writeFile(
        config,
        `apiVersion: canary-action/v1
workload: deployment/web
namespace: ${ns()}
traffic: ${options.traffic}
lockWait: ${t.lockWait}
readyTimeout: ${options.readyTimeout ?? t.readyTimeout}
analysis:
  provider: {type: prometheus, url: ${env.prometheusUrl}}
  interval: ${t.interval}
  warmup: ${t.warmup}
  minDuration: ${minDuration}
  maxDuration: ${minDuration === t.minDuration ? t.maxDuration : minDuration}
${options.analysis ?? ''}
  metrics:
    - {template: http-error-rate}
`,
      );
      const report = path.join(env.dir, `${name}-report.json`);
      const args = ['--config', config, '--manifests', manifests, '--image', image, '--revision', name];
      return { result: cli([command, ...args, '--report', report]), report };
    };

    before(async () => {
      env = await startReleaseEnvironment({ stableReplicas: 2 });
      for (const name of ['nginx', 'retired'])
        await admin('POST', `${NET}/ingressclasses`, {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name },
          spec: { controller: INGRESS_NGINX_CONTROLLER },
        });
      const toWeb = {
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: 'web', port: { number: 80 } } },
      };
      const ingress = (name: string, className: string) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name, namespace: ns() },
        spec: {
          ingressClassName: className,
          rules: [{ host: `${name}.example.com`, http: { paths: [toWeb] } }],
        },
      });
      for (const [name, className] of [
        ['web', 'nginx'],
        ['web-retired', 'retired'],
      ]) {
        const object = ingress(name!, className!);
        assert.equal(schemas.ingress(object), undefined);
        await admin('POST', ingresses(), object);
        await waitFor(`ingress/${name} served`, async () =>
          Boolean((await env.get(`${ingresses()}/${name}`)).status?.loadBalancer?.ingress?.length),
        );
      }
      // ingress-nginx gone for web-retired: its IngressClass deleted, its last address left on the Ingress.
      await admin('DELETE', `${NET}/ingressclasses/retired`);
      port = await waitFor('the nginx listener', () =>
        env.sandbox.listenerPort('ingressclass', undefined, 'nginx'),
      );
      traffic = startTrafficGenerator({
        url: `http://127.0.0.1:${port}/`,
        ratePerSecond: 60,
        headers: host,
      });
    });
    after(async () => {
      await traffic?.stop();
      await env?.stop();
    });

    /**
     * The canary's weight once the canary Ingress is served and the listener applies what it says (half the
     * canary Ingress's share: the baseline gets as much), else undefined.
     */
    const liveWeight = async (): Promise<number | undefined> => {
      const canary = await env.get(`${ingresses()}/web-canary`);
      if (!canary?.status?.loadBalancer?.ingress?.length) return undefined;
      const a = canary.metadata.annotations ?? {};
      const written = Number(a[`${N}canary-weight`]) / Number(a[`${N}canary-weight-total`] ?? 100);
      const config: any = env.sandbox.listenerConfig('ingressclass', undefined, 'nginx');
      const vhost = config?.table?.virtualHosts.find((v: any) => v.hostnames.includes(host.host));
      const applied = vhost?.routes[0]?.action?.canary;
      if (!applied || applied.weight / Math.max(100, applied.weightTotal) !== written) return undefined;
      return (written * 100) / 2;
    };

    /** Answered requests through the listener, in batches, counted only while the step's weight stays live. */
    const measure = async (weight: number) => {
      const out = { total: 0, byTrack: {} as Record<string, number> };
      while (out.total < requestsFor(weight)) {
        const seen = await sample(port, 100, { headers: host, concurrency: 16 });
        const still = await liveWeight();
        assert.equal(
          still,
          weight,
          `step ${weight}% ended after ${out.total} of ${requestsFor(weight)} requests`,
        );
        assert.equal(seen.byStatus['200'], seen.total, `step ${weight}%: ${JSON.stringify(seen.byStatus)}`);
        out.total += seen.total;
        for (const [track, count] of Object.entries(seen.byTrack))
          out.byTrack[track] = (out.byTrack[track] ?? 0) + count;
      }
      return out;
    };

    /** A third party sets the live canary-weight to 0; the run puts it back at its next poll. */
    const revert = async (weight: number) => {
      const patch = { metadata: { annotations: { [`${N}canary-weight`]: '0' } } };
      await admin('PATCH', `${ingresses()}/web-canary`, patch, 'application/merge-patch+json');
      await waitFor('the weight re-asserted', async () => (await liveWeight()) === weight, 60_000);
    };

    const checkSteps = async (steps: number[], before: Record<string, string>) => {
      const shares: string[] = [];
      for (const [index, weight] of steps.entries()) {
        await waitFor(
          `the canary Ingress at ${weight}%`,
          async () => (await liveWeight()) === weight,
          120_000,
        );
        assert.equal(schemas.ingress(await env.get(`${ingresses()}/web-canary`)), undefined);
        const pair = await env.get(`/api/v1/namespaces/${ns()}/services/web-canary-baseline`);
        assert.equal(schemas.service(pair), undefined);
        for (const track of ['canary', 'baseline']) {
          const deployment = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-${track}`);
          assert.equal(schemas.deployment(deployment), undefined);
          const labels = deployment.spec.template.metadata.labels;
          assert.equal(labels.app, `web-${track}`, 'the stable Service does not select it');
          assert.equal(labels['canary-action.dev/canary-or-baseline'], 'web', 'the pair Service does');
        }
        const seen = await measure(weight);
        const measured = ['canary', 'baseline'].map((t) => {
          const share = ((seen.byTrack[t] ?? 0) / seen.total) * 100;
          assert.ok(Math.abs(share - weight) <= 3, `step ${weight}%: ${t} share ${share.toFixed(1)}%`);
          return `${t} ${share.toFixed(1)}%`;
        });
        shares.push(`${weight}% → ${measured.join(', ')} of ${seen.total}`);
        assert.deepEqual(
          await untouched(),
          before,
          'the stable and the Ingresses are untouched while analysing',
        );
        if (index === 0) await revert(weight);
      }
      return shares;
    };

    test('a good release is promoted through 5 → 25: canary and baseline each get the weight, measured; a reverted weight is re-asserted', async () => {
      const before = await untouched();
      const { result, report } = await release('run', 'nginx-good', {
        traffic: '{router: nginx, route: ingress/web, steps: [5, 25]}',
        tag: '2.0.0',
        minDuration: '30s',
      });
      // The run goes on whatever the checks say: wait for it, so no test leaves a live run behind.
      const checked = checkSteps([5, 25], before).catch((error: unknown) => error as Error);
      const done = await result;
      const shares = await checked;
      if (shares instanceof Error)
        throw Object.assign(shares, { message: `${shares.message}\n${show(done)}` });
      assert.equal(done.code, 0, show(done));
      console.log(`measured shares: ${shares.join('; ')}`);
      const after = await untouched();
      assert.deepEqual(
        { ...after, deployment: before.deployment },
        before,
        'the Service and the Ingresses never written',
      );
      const stable = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`);
      assert.equal(stable.spec.template.spec.containers[0].image, env.image('2.0.0'));
      await gone(`${ingresses()}/web-canary`, ...runObjects());
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.equal(json.outcome, 'promoted');
      assert.deepEqual(
        json.steps.map((s: any) => [s.weight, s.reassertions >= 1]),
        [
          [5, true],
          [25, false],
        ],
        'the reverted weight is counted in its step',
      );
      assert.match(
        done.stdout + done.stderr,
        /canary-weight is "0", not "10"\): re-asserting 5% to the canary/,
      );
    });

    test('a bad release is rolled back: the canary Ingress and the pair Service are gone, nothing of the user written', async () => {
      const before = await untouched();
      const { result } = await release('run', 'nginx-bad', {
        traffic: '{router: nginx, route: ingress/web, steps: [25]}',
        tag: '3.0.0',
        appEnv: { DEMO_ERROR_RATE: '0.3' },
      });
      const done = await result;
      assert.equal(done.code, 1, show(done));
      assert.match(done.stdout + done.stderr, /http-error-rate/);
      assert.deepEqual(await untouched(), before);
      await gone(`${ingresses()}/web-canary`, ...runObjects());
    });

    test('a canary Ingress no controller serves (its class is gone) ends in exit 4, rolled back', async () => {
      const before = await untouched();
      const { result } = await release('run', 'nginx-unserved', {
        traffic: '{router: nginx, route: ingress/web-retired, steps: [10]}',
        tag: '6.0.0',
        readyTimeout: '10s',
      });
      const done = await result;
      assert.equal(done.code, 4, show(done));
      assert.match(
        done.stdout + done.stderr,
        /ingress\/web-retired-canary: not served by the controller of ingress\/web-retired: its status has no load-balancer address/,
      );
      assert.deepEqual(await untouched(), before);
      await gone(`${ingresses()}/web-retired-canary`, ...runObjects());
    });

    test('header match without a baseline: deploy, matching requests all reach the canary; rollback from another job', async () => {
      const traffic =
        "{router: nginx, route: ingress/web, baseline: false, steps: [10], match: {header: x-canary, exact: 'yes'}}";
      // Without a baseline the analysis needs its control named (unused by deploy, which does not analyse).
      const analysis = `  tracks: {canary: 'pod=~"web-canary-.+"', baseline: 'pod=~"web-[a-z0-9]+-[a-z0-9]+"'}`;
      const { result } = await release('deploy', 'nginx-match', { traffic, tag: '7.0.0', analysis });
      const done = await result;
      assert.equal(done.code, 0, show(done));
      await env.sandbox.settle();
      const matching = await sample(port, 40, { headers: { ...host, 'x-canary': 'yes' } });
      assert.deepEqual(matching.byTrack, { canary: 40 });
      assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary-baseline`), undefined);
      const rolledBack = await cli(['rollback', '--workload', 'deployment/web', '--namespace', ns()]);
      assert.equal(rolledBack.code, 0, show(rolledBack));
      assert.match(rolledBack.stdout + rolledBack.stderr, /deleted ingress\/web-canary/);
      await gone(`${ingresses()}/web-canary`, ...runObjects());
    });

    test('what ingress-nginx cannot route as asked is exit 2 before any change', async () => {
      const before = await untouched();
      await admin('POST', `/api/v1/namespaces/${ns()}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: ns() },
        spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      const cases: Array<[string, RegExp]> = [
        [
          '{router: nginx, route: ingress/web, service: other, steps: [10]}',
          /traffic\.route: ingress\/web has no rule with a path to Service other/,
        ],
        [
          "{router: nginx, route: ingress/web, steps: [10], match: {header: x-canary, exact: 'yes'}}",
          /traffic\.match: needs traffic\.baseline: false/,
        ],
      ];
      // Refused before the run takes its lock, so the cases run side by side.
      const runs = cases.map(
        async ([traffic], i) =>
          (await release('run', `nginx-refused-${i}`, { traffic, tag: '8.0.0' })).result,
      );
      for (const [i, done] of (await Promise.all(runs)).entries()) {
        assert.equal(done.code, 2, show(done));
        assert.match(done.stderr + done.stdout, cases[i]![1]);
      }
      assert.deepEqual(await untouched(), before);
      await gone(`${ingresses()}/web-canary`, ...runObjects());
    });
  },
);
