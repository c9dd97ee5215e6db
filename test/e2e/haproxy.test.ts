/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The haproxy router end to end: the CLI as a process against the sandbox, whose HAProxy Ingress listener
 * weights the pods behind the one `web` Service by the Ingress's blue-green annotations (pod mode, a
 * deterministic weighted round-robin), with a real Prometheus and steady traffic through the listener. The
 * canary's share is measured at every step; the Ingress's annotations and spec, and the stable Deployment
 * and Service, end as they were.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadK8sSchemas, sample, waitFor } from '../integration/sandbox/helpers.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { canaryRules, HAPROXY_INGRESS_CONTROLLER, INGRESS_NGINX_CONTROLLER } from '../sandbox/index.ts';
import { sandboxOnly, startReleaseEnvironment, type ReleaseEnvironment } from './environment.ts';
import { assertShares, measure, show, weightedRuns } from './weighted-runs.ts';

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
const ingressPath = (name = '') => `${NET}/namespaces/${NS}/ingresses${name ? `/${name}` : ''}`;
const deploymentPath = (name: string) => `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;

describe(
  'haproxy router (sandbox HAProxy Ingress + Prometheus)',
  { skip: sandboxOnly('the sandbox HAProxy Ingress controller') },
  () => {
    let env: ReleaseEnvironment;
    let runs: ReturnType<typeof weightedRuns>;
    let traffic: TrafficGenerator | undefined;
    let port: number;
    /** The Ingress as the run must leave it: its spec byte for byte, its annotations as the API server sorts them. */
    const ingressState = async (name: string) => {
      const ingress = await env.get(ingressPath(name));
      const annotations = Object.entries(ingress.metadata.annotations ?? {}).sort(([a], [b]) =>
        a.localeCompare(b),
      );
      return { annotations: JSON.stringify(annotations), spec: JSON.stringify(ingress.spec) };
    };
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

    before(async () => {
      // The ci account may also read IngressClasses (cluster scope), so preflight checks the controller.
      const readClasses = { verbs: ['get'], apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'] };
      env = await startReleaseEnvironment({ stableReplicas: 2, ciRules: [...canaryRules(NS), readClasses] });
      assert.equal(env.namespace, NS);
      runs = weightedRuns(env);
      for (const [name, controller] of [
        ['haproxy', HAPROXY_INGRESS_CONTROLLER],
        ['nginx', INGRESS_NGINX_CONTROLLER],
      ] as const)
        await runs.admin('POST', `${NET}/ingressclasses`, {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name },
          spec: { controller },
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
        await runs.admin('POST', ingressPath(), object);
      }
      await runs.admin('POST', `/api/v1/namespaces/${NS}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: NS },
        spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      port = await waitFor('the HAProxy listener', () => env.sandbox.listenerPort('ingress', NS, 'web'));
      // Modest: the measurements add their own requests, and the analysis needs only a steady error rate.
      traffic = startTrafficGenerator({ url: `http://127.0.0.1:${port}/`, ratePerSecond: 60, headers: HOST });
    });
    after(async () => {
      await traffic?.stop();
      await env?.stop();
    });

    /** The canary's share (percent) that the live balance gives the ready pods of each track; undefined without one. */
    const liveWeight = async (): Promise<number | undefined> => {
      const balance: string | undefined = (await env.get(ingressPath('web'))).metadata.annotations?.[BALANCE];
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
    /** The step's weight once the run set it itself (the annotations applied with the Deployments already give it). */
    const analysedWeight = async () =>
      (await env.get(deploymentPath('web-canary')))?.metadata.annotations?.['canary-action.dev/phase'] ===
      'analysing'
        ? liveWeight()
        : undefined;

    /** At each step, once its weight is live: the pod weights and objects checked, the split measured, the stable untouched. */
    const checkSteps = async (
      versions: { deployment: string; service: string },
      balances: Record<number, string>,
    ) => {
      const shares: Array<ReturnType<typeof assertShares>> = [];
      for (const [weight, balance] of Object.entries(balances).map(([w, b]) => [Number(w), b] as const)) {
        await waitFor(`the Ingress at ${weight}%`, async () => (await liveWeight()) === weight, 120_000);
        const started = Date.now();
        shares.push(assertShares(weight, await measure(port, weight, liveWeight, HOST)));
        console.log(`step ${weight}%: measured in ${Math.round((Date.now() - started) / 1000)} s`);
        const live = await env.get(ingressPath('web'));
        assert.equal(schemas.ingress(live), undefined, 'the annotated Ingress validates');
        assert.equal(live.metadata.annotations[BALANCE], balance);
        assert.equal(live.metadata.annotations['haproxy-ingress.github.io/blue-green-mode'], 'pod');
        for (const track of ['canary', 'baseline']) {
          const deployment = await env.get(deploymentPath(`web-${track}`));
          assert.equal(schemas.deployment(deployment), undefined);
          assert.equal(deployment.spec.template.metadata.labels.app, 'web', 'behind the one stable Service');
          assert.equal(deployment.spec.template.metadata.labels.track, track);
          assert.equal(await env.get(`/api/v1/namespaces/${NS}/services/web-${track}`), undefined);
        }
        assert.deepEqual(
          await runs.stableVersions(),
          versions,
          'the stable Deployment and Service are untouched',
        );
      }
      return shares;
    };

    test('a good release through 10 → 40 with a header match, held, then promoted from another command: measured shares follow each weight; the Ingress ends as it was', async () => {
      const ingressBefore = await ingressState('web');
      const versions = await runs.stableVersions();
      const image = env.image('2.0.0');
      // 2 stable pods, 1 canary, 1 baseline: 4:1:1 per pod is 10%, 1:4:4 is 40%.
      const balances = {
        10: 'track=stable=4,track=canary=1,track=baseline=1',
        40: 'track=stable=1,track=canary=4,track=baseline=4',
      };
      const promoted = await runs.heldThenPromoted({
        name: 'hx-good',
        traffic:
          "{router: haproxy, route: ingress/web, steps: [10, 40], match: {header: x-canary, exact: 'yes'}}",
        image,
        steps: [10, 40],
        minDuration: '30s',
        check: () => checkSteps(versions, balances),
        whileHeld: async () => {
          const header = await sample(port, 40, { headers: { ...HOST, 'x-canary': 'yes' }, concurrency: 4 });
          assert.deepEqual(header.byTrack, { canary: 40 }, 'blue-green-header sends to the canary only');
        },
      });
      assert.match(promoted.stdout, /ingress\/web: blue-green annotations restored/);
      assert.deepEqual(await ingressState('web'), ingressBefore, 'annotations and spec as before');
      assert.equal(
        (await runs.stableVersions()).service,
        versions.service,
        'the stable Service was never changed',
      );
      const stable = await env.get(deploymentPath('web'));
      assert.equal(stable.spec.template.spec.containers[0].image, image);
      assert.equal(stable.spec.template.metadata.labels.track, 'stable');
      for (const track of ['canary', 'baseline'])
        assert.equal(await env.get(deploymentPath(`web-${track}`)), undefined);
    });

    test('a bad release is rolled back: the Ingress as before, the stable never modified', async () => {
      const ingressBefore = await ingressState('web');
      const versions = await runs.stableVersions();
      const { result } = await runs.run(
        'hx-bad',
        '{router: haproxy, route: ingress/web, steps: [25]}',
        env.image('3.0.0'),
        { appEnv: { DEMO_ERROR_RATE: '0.3' } },
      );
      const done = await result;
      assert.equal(done.code, 1, show(done));
      assert.match(done.stdout + done.stderr, /http-error-rate/);
      assert.deepEqual(await ingressState('web'), ingressBefore);
      assert.deepEqual(await runs.stableVersions(), versions);
      assert.equal(await env.get(deploymentPath('web-canary')), undefined);
    });

    test('blue-green annotations reverted by a third party mid-analysis are re-asserted and counted in the report', async () => {
      await runs.revertMidAnalysis({
        name: 'hx-revert',
        traffic: '{router: haproxy, route: ingress/web, steps: [20]}',
        weight: 20,
        routePath: ingressPath('web'),
        liveWeight: analysedWeight,
        part: 'annotations',
      });
    });

    test('an Ingress no controller serves ends in exit 4 once readyTimeout passes, rolled back', async () => {
      const ingressBefore = await ingressState('web-standby');
      const versions = await runs.stableVersions();
      const { result } = await runs.run(
        'hx-unserved',
        '{router: haproxy, route: ingress/web-standby, steps: [10]}',
        env.image('6.0.0'),
        { readyTimeout: '15s' },
      );
      const done = await result;
      assert.equal(done.code, 4, show(done));
      assert.match(
        done.stdout + done.stderr,
        /ingress\/web-standby: no controller serves it \(its status.loadBalancer.ingress is empty\) after 15 s/,
      );
      assert.deepEqual(await ingressState('web-standby'), ingressBefore);
      assert.deepEqual(await runs.stableVersions(), versions);
      assert.equal(await env.get(deploymentPath('web-canary')), undefined);
    });

    test('an Ingress of another controller, or one that does not send to the stable Service, is exit 2 before any change', async () => {
      const before = [await ingressState('web'), await ingressState('web-nginx')];
      const image = env.image('7.0.0');
      // Both stop in preflight, before the lock: they run side by side.
      const started = [
        runs.run('hx-nginx', '{router: haproxy, route: ingress/web-nginx, steps: [10]}', image),
        runs.run('hx-other', '{router: haproxy, route: ingress/web, service: other, steps: [10]}', image),
      ];
      const [nginx, other] = await Promise.all(started.map(async (run) => (await run).result));
      assert.ok(nginx && other);
      assert.equal(nginx.code, 2, show(nginx));
      assert.match(
        nginx.stderr + nginx.stdout,
        /traffic\.route: ingress\/web-nginx is of IngressClass nginx, whose controller is k8s\.io\/ingress-nginx, not HAProxy Ingress/,
      );
      assert.equal(other.code, 2, show(other));
      assert.match(
        other.stderr + other.stdout,
        /traffic\.route: ingress\/web has no rule with a backend to service\/other/,
      );
      assert.deepEqual([await ingressState('web'), await ingressState('web-nginx')], before);
      assert.equal(await env.get(deploymentPath('web-canary')), undefined);
    });
  },
);
