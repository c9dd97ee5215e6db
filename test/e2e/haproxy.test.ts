/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The haproxy router end to end: the CLI as a process against the sandbox, whose HAProxy Ingress listener
 * weights the pods behind the one `web` Service by the Ingress's blue-green annotations (pod mode), with a
 * real Prometheus and steady traffic through the listener. The canary's share is measured at every step;
 * the Ingress's annotations and spec, and the stable Deployment and Service, end as they were.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.ts';
import { apiRequest, loadK8sSchemas, probe, sample, waitFor } from '../integration/sandbox/helpers.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { canaryRules, HAPROXY_INGRESS_CONTROLLER, INGRESS_NGINX_CONTROLLER } from '../sandbox/index.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

const schemas = loadK8sSchemas();
const NS = 'demo';
const NET = '/apis/networking.k8s.io/v1';
const BALANCE = 'haproxy-ingress.github.io/blue-green-balance';
const HOST = { host: 'web.example.com' };
/** The Ingress's own annotations: one blue-green key (inert without a balance) the run replaces and restores. */
const USER_ANNOTATIONS = {
  'ingress.kubernetes.io/blue-green-mode': 'deploy',
  'haproxy-ingress.github.io/timeout-server': '30s',
};
/** Requests per step so that ±3 points is at least 4 binomial standard deviations (4267 at 40%). */
const requestsFor = (weight: number) => Math.ceil((16 * (weight / 100) * (1 - weight / 100)) / 0.03 ** 2);
/** Annotations as the API server returns them (sorted by key): what "byte-identical" compares. */
const canonical = (annotations: Record<string, string> | undefined) =>
  JSON.stringify(Object.entries(annotations ?? {}).sort(([a], [b]) => a.localeCompare(b)));

describe(
  'haproxy router (sandbox HAProxy Ingress + Prometheus)',
  { skip: sandboxOnly('the sandbox HAProxy Ingress controller') },
  () => {
    let env: ReleaseEnvironment;
    let traffic: TrafficGenerator | undefined;
    let port: number;
    const ingresses = () => `${NET}/namespaces/${NS}/ingresses`;
    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await apiRequest(env.sandbox, method, p, body === undefined ? {} : { body });
      assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${res.text}`);
      return res.json;
    };
    const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--kubeconfig', env.kubeconfig]);
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    const stableVersions = async () => ({
      deployment: (await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web`)).metadata.resourceVersion,
      service: (await env.get(`/api/v1/namespaces/${NS}/services/web`)).metadata.resourceVersion,
    });
    /** The Ingress as the run must leave it: its spec as written, its annotations in canonical order. */
    const ingressState = async (name: string) => {
      const ingress = await env.get(`${ingresses()}/${name}`);
      return { annotations: canonical(ingress.metadata.annotations), spec: JSON.stringify(ingress.spec) };
    };

    const run = async (
      name: string,
      trafficConfig: string,
      options: {
        image: string;
        appEnv?: Record<string, string>;
        minDuration?: string;
        readyTimeout?: string;
      },
    ) => {
      const t = env.timings;
      const minDuration = options.minDuration ?? t.minDuration;
      const manifests = await writeManifests(env, name, {
        image: options.image,
        ...(options.appEnv ? { env: options.appEnv } : {}),
      });
      const config = path.join(env.dir, `${name}.yml`);
      await writeFile(
        config,
        `apiVersion: canary-action/v1
workload: deployment/web
namespace: ${NS}
traffic: ${trafficConfig}
lockWait: ${t.lockWait}
readyTimeout: ${options.readyTimeout ?? t.readyTimeout}
analysis:
  provider: {type: prometheus, url: ${env.prometheusUrl}}
  interval: ${t.interval}
  warmup: ${t.warmup}
  minDuration: ${minDuration}
  maxDuration: ${options.minDuration ? minDuration : t.maxDuration}
  metrics:
    - {template: http-error-rate}
`,
      );
      const report = path.join(env.dir, `${name}-report.json`);
      const args = ['run', '--config', config, '--manifests', manifests, '--image', options.image];
      return { result: cli([...args, '--revision', name, '--report', report]), report };
    };

    before(async () => {
      // The ci account may also read IngressClasses (cluster scope), so preflight checks the controller.
      const readClasses = { verbs: ['get'], apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'] };
      env = await startReleaseEnvironment({ stableReplicas: 2, ciRules: [...canaryRules(NS), readClasses] });
      assert.equal(env.namespace, NS);
      for (const [name, controller] of [
        ['haproxy', HAPROXY_INGRESS_CONTROLLER],
        ['nginx', INGRESS_NGINX_CONTROLLER],
      ] as const) {
        const ingressClass = {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name },
          spec: { controller },
        };
        await admin('POST', `${NET}/ingressclasses`, ingressClass);
      }
      const ingress = (name: string, host: string, meta: { className?: string; annotations?: object }) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name, namespace: NS, ...(meta.annotations ? { annotations: meta.annotations } : {}) },
        spec: {
          ...(meta.className ? { ingressClassName: meta.className } : {}),
          rules: [
            {
              host,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'web', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      });
      for (const object of [
        ingress('web', 'web.example.com', { className: 'haproxy', annotations: USER_ANNOTATIONS }),
        // A class annotation no controller answers to: nobody serves it, nobody writes its status.
        ingress('web-standby', 'standby.example.com', {
          annotations: { 'kubernetes.io/ingress.class': 'haproxy-standby' },
        }),
        ingress('web-nginx', 'nginx.example.com', { className: 'nginx' }),
      ]) {
        assert.equal(schemas.ingress(object), undefined);
        await admin('POST', ingresses(), object);
      }
      port = await waitFor('the HAProxy listener', () => env.sandbox.listenerPort('ingress', NS, 'web'));
      traffic = startTrafficGenerator({
        url: `http://127.0.0.1:${port}/`,
        ratePerSecond: 160,
        headers: HOST,
      });
    });
    after(async () => {
      await traffic?.stop();
      await env?.stop();
    });

    /** The canary's share (percent) that the live balance gives the ready pods of each track; undefined without one. */
    const liveWeight = async (): Promise<number | undefined> => {
      const balance: string | undefined = (await env.get(`${ingresses()}/web`)).metadata.annotations?.[
        BALANCE
      ];
      if (!balance) return undefined;
      const pods = (await env.get(`/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`)).items as any[];
      const ready = (track: string) =>
        pods.filter(
          (p) =>
            p.metadata.labels.track === track &&
            !p.metadata.deletionTimestamp &&
            p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        ).length;
      const groups = balance.split(',').map((g) => g.split('=') as [string, string, string]);
      const total = groups.reduce((sum, [, track, w]) => sum + Number(w) * ready(track), 0);
      const canary = groups.find(([, track]) => track === 'canary');
      return canary && total > 0
        ? Math.round((Number(canary[2]) * ready('canary') * 1000) / total) / 10
        : undefined;
    };

    /** N answered requests through the listener, in batches, counted only while the step's weight is live. */
    const measure = async (weight: number) => {
      const out = { total: 0, resets: 0, byTrack: {} as Record<string, number>, startedAt: Date.now() };
      while (out.total < requestsFor(weight)) {
        const seen = await sample(port, 100, { headers: HOST, concurrency: 16 }).catch(() => undefined);
        const still = await liveWeight();
        assert.equal(
          still,
          weight,
          `step ${weight}% ended after ${out.total} of ${requestsFor(weight)} requests`,
        );
        if (!seen) {
          // A connection reset (a pod going away): the batch is sent again.
          out.resets += 1;
          assert.ok(out.resets < 20, `step ${weight}%: ${out.resets} batches with a reset connection`);
          continue;
        }
        assert.equal(seen.byStatus['200'], seen.total, `step ${weight}%: ${JSON.stringify(seen.byStatus)}`);
        out.total += seen.total;
        for (const [track, count] of Object.entries(seen.byTrack))
          out.byTrack[track] = (out.byTrack[track] ?? 0) + count;
      }
      return { ...out, seconds: (Date.now() - out.startedAt) / 1000 };
    };

    const checkSteps = async (versions: { deployment: string; service: string }, balances: string[]) => {
      const shares: Array<{
        weight: number;
        canary: number;
        baseline: number;
        requests: number;
        seconds: number;
      }> = [];
      for (const [i, weight] of [10, 40].entries()) {
        await waitFor(`the Ingress at ${weight}%`, async () => (await liveWeight()) === weight, 120_000);
        const ingress = await env.get(`${ingresses()}/web`);
        assert.equal(schemas.ingress(ingress), undefined, 'the annotated Ingress validates');
        assert.equal(ingress.metadata.annotations[BALANCE], balances[i]);
        assert.equal(ingress.metadata.annotations['haproxy-ingress.github.io/blue-green-mode'], 'pod');
        for (const track of ['canary', 'baseline']) {
          const deployment = await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web-${track}`);
          assert.equal(schemas.deployment(deployment), undefined);
          assert.deepEqual(deployment.spec.template.metadata.labels, { app: 'web', track });
          assert.equal(await env.get(`/api/v1/namespaces/${NS}/services/web-${track}`), undefined);
        }
        const seen = await measure(weight);
        const canary = (seen.byTrack.canary ?? 0) / seen.total;
        const baseline = (seen.byTrack.baseline ?? 0) / seen.total;
        shares.push({ weight, canary, baseline, requests: seen.total, seconds: seen.seconds });
        assert.ok(
          Math.abs(canary * 100 - weight) <= 3,
          `step ${weight}%: canary ${(canary * 100).toFixed(1)}%`,
        );
        assert.ok(
          Math.abs(baseline * 100 - weight) <= 3,
          `step ${weight}%: baseline ${(baseline * 100).toFixed(1)}%`,
        );
        assert.deepEqual(await stableVersions(), versions, 'the stable Deployment and Service are untouched');
      }
      return shares;
    };

    test('a good release is promoted through 10 → 40: the measured share follows each weight; the Ingress ends as it was', async () => {
      const ingressBefore = await ingressState('web');
      const versions = await stableVersions();
      const image = env.image('2.0.0');
      const { result, report } = await run(
        'hx-good',
        '{router: haproxy, route: ingress/web, steps: [10, 40]}',
        {
          image,
          minDuration: '30s',
        },
      );
      // 2 stable pods, 1 canary, 1 baseline: 4:1:1 per pod is 10%, 1:4:4 is 40%.
      const balances = [
        'track=stable=4,track=canary=1,track=baseline=1',
        'track=stable=1,track=canary=4,track=baseline=4',
      ];
      const checked = checkSteps(versions, balances).catch((error: unknown) => error as Error);
      const done = await result;
      const shares = await checked;
      if (shares instanceof Error) throw shares;
      assert.equal(done.code, 0, show(done));
      console.log(
        `measured shares: ${shares.map((s) => `${s.weight}% → canary ${(s.canary * 100).toFixed(1)}%, baseline ${(s.baseline * 100).toFixed(1)}% (${s.requests} requests in ${s.seconds.toFixed(0)} s)`).join('; ')}`,
      );
      assert.deepEqual(await ingressState('web'), ingressBefore, 'annotations and spec as before');
      assert.equal(
        (await stableVersions()).service,
        versions.service,
        'the stable Service was never changed',
      );
      const stable = await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web`);
      assert.equal(stable.spec.template.spec.containers[0].image, image);
      assert.equal(stable.spec.template.metadata.labels.track, 'stable');
      for (const track of ['canary', 'baseline'])
        assert.equal(await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web-${track}`), undefined);
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.equal(json.outcome, 'promoted');
      assert.deepEqual(
        json.steps.map((s: any) => s.weight),
        [10, 40],
      );
    });

    test('a bad release is rolled back: the Ingress as before, the stable never modified', async () => {
      const ingressBefore = await ingressState('web');
      const versions = await stableVersions();
      const { result } = await run('hx-bad', '{router: haproxy, route: ingress/web, steps: [25]}', {
        image: env.image('3.0.0'),
        appEnv: { DEMO_ERROR_RATE: '0.3' },
      });
      const done = await result;
      assert.equal(done.code, 1, show(done));
      assert.match(done.stdout + done.stderr, /http-error-rate/);
      assert.deepEqual(await ingressState('web'), ingressBefore);
      assert.deepEqual(await stableVersions(), versions);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web-canary`), undefined);
    });

    test('a weight reverted by a third party mid-analysis is re-asserted and counted; the match header reaches the canary', async () => {
      const ingressBefore = await ingressState('web');
      const { result, report } = await run(
        'hx-revert',
        "{router: haproxy, route: ingress/web, steps: [20], match: {header: x-canary, exact: 'yes'}}",
        { image: env.image('5.0.0'), minDuration: '20s' },
      );
      // Analysing: the run has set the weight itself (the annotations applied with the Deployments already give it).
      const analysing = async () =>
        (await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web-canary`))?.metadata.annotations?.[
          'canary-action.dev/phase'
        ] === 'analysing';
      await waitFor(
        'the step analysed at 20%',
        async () => (await analysing()) && (await liveWeight()) === 20,
        120_000,
      );
      const matched = await sample(port, 20, { headers: { ...HOST, 'x-canary': 'yes' }, concurrency: 4 });
      assert.deepEqual(matched.byTrack, { canary: 20 }, 'every request with the header reaches the canary');
      const live = await env.get(`${ingresses()}/web`);
      await admin('PUT', `${ingresses()}/web`, {
        ...live,
        metadata: { ...live.metadata, annotations: USER_ANNOTATIONS },
      });
      await waitFor('the weight re-asserted', async () => (await liveWeight()) === 20, 60_000);
      const done = await result;
      assert.equal(done.code, 0, show(done));
      assert.match(done.stdout + done.stderr, /ingress\/web was changed by someone else: re-asserting 20%/);
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.ok(json.steps[0].reassertions >= 1, JSON.stringify(json.steps));
      assert.deepEqual(await ingressState('web'), ingressBefore);
      const after = await probe(port, '/', { ...HOST, 'x-canary': 'yes' });
      assert.notEqual(after.track, 'canary', 'the header reaches no canary once the run is over');
    });

    test('an Ingress no controller serves ends in exit 4 once readyTimeout passes, rolled back', async () => {
      const ingressBefore = await ingressState('web-standby');
      const versions = await stableVersions();
      const { result } = await run(
        'hx-unserved',
        '{router: haproxy, route: ingress/web-standby, steps: [10]}',
        {
          image: env.image('6.0.0'),
          readyTimeout: '15s',
        },
      );
      const done = await result;
      assert.equal(done.code, 4, show(done));
      assert.match(
        done.stdout + done.stderr,
        /ingress\/web-standby: no controller serves it \(its status.loadBalancer.ingress is empty\) after 15 s/,
      );
      assert.deepEqual(await ingressState('web-standby'), ingressBefore);
      assert.deepEqual(await stableVersions(), versions);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web-canary`), undefined);
    });

    test('an Ingress of another controller, or one that does not send to the stable Service, is exit 2 before any change', async () => {
      const image = env.image('7.0.0');
      const nginxBefore = await ingressState('web-nginx');
      const nginx = await (
        await run('hx-nginx', '{router: haproxy, route: ingress/web-nginx, steps: [10]}', { image })
      ).result;
      assert.equal(nginx.code, 2, show(nginx));
      assert.match(
        nginx.stderr + nginx.stdout,
        /traffic\.route: ingress\/web-nginx is of IngressClass nginx, whose controller is k8s\.io\/ingress-nginx, not HAProxy Ingress/,
      );
      assert.deepEqual(await ingressState('web-nginx'), nginxBefore);
      await admin('POST', `/api/v1/namespaces/${NS}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: NS },
        spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      const webBefore = await ingressState('web');
      const other = await (
        await run('hx-other', '{router: haproxy, route: ingress/web, service: other, steps: [10]}', { image })
      ).result;
      assert.equal(other.code, 2, show(other));
      assert.match(
        other.stderr + other.stdout,
        /traffic\.route: ingress\/web has no rule with a backend to service\/other/,
      );
      assert.deepEqual(await ingressState('web'), webBefore);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${NS}/deployments/web-canary`), undefined);
    });
  },
);
