import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrafficConfig } from '../../../src/config/types.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { nginxRouter, PAIR_LABEL } from '../../../src/traffic/nginx.ts';
import type { TrafficRouter } from '../../../src/traffic/router.ts';
import { BackendError, ConfigError } from '../../../src/util/errors.ts';
import { FakeCluster } from '../pipeline/fake-cluster.ts';
import { quietPlatform } from '../pipeline/release-setup.ts';

const N = 'nginx.ingress.kubernetes.io/';
const SERVED = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'demo' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};
const ingress = (name: string, backend: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'demo' },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'web.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
  status: SERVED,
  ...extra,
});

/** A fake cluster whose ingress controller writes the load-balancer address on every Ingress written. */
class ServedCluster extends FakeCluster {
  serving = true;
  override async apply(object: KubeObject) {
    return super.apply(object.kind === 'Ingress' && this.serving ? { ...object, status: SERVED } : object);
  }
  override async replace(object: KubeObject) {
    const live = this.objects.get(`${object.kind}/${object.metadata.name}`);
    return super.replace({ ...object, ...(live?.status ? { status: live.status } : {}) });
  }
}

function setup(traffic: Partial<TrafficConfig> = {}, ...objects: KubeObject[]) {
  const cluster = new ServedCluster();
  cluster.seed(service, ingress('web', 'web'), ...objects);
  const lines: string[] = [];
  const router = nginxRouter({
    cluster,
    platform: quietPlatform(lines),
    workload: 'web',
    acceptTimeoutMs: 300,
    traffic: { router: 'nginx', route: 'ingress/web', steps: [10, 40], baseline: true, ...traffic },
  });
  return { cluster, router, lines };
}

const CANARY = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web-canary' };

/** One step as the pipeline places it: the step's objects applied, then the weight set; the canary Ingress. */
async function placeStep(router: TrafficRouter, cluster: FakeCluster, weight: number) {
  const { objects } = router.route({ weight, stableReplicas: 4 });
  for (const o of objects) await cluster.apply(o);
  await router.setWeight(weight);
  return { objects, canary: await cluster.get(CANARY) };
}

const refused = async (promise: Promise<unknown>, field: string, message: RegExp) =>
  assert.rejects(
    promise,
    (e: unknown) => e instanceof ConfigError && e.path === field && message.test(e.message),
  );

describe('nginx router', () => {
  test('before any change: what ingress-nginx could not route as asked is exit 2 naming the field', async () => {
    await refused(setup({ steps: [60] }).router.prepare(), 'traffic.steps', /at most 50/);
    await refused(setup({ steps: [0.001] }).router.prepare(), 'traffic.steps', /0\.01%/);
    const match = { header: 'x-canary', exact: 'yes' };
    await refused(setup({ match }).router.prepare(), 'traffic.match', /traffic\.baseline: false/);
    const underscore = { header: 'x_canary', exact: 'yes' };
    await refused(setup({ match: underscore, baseline: false }).router.prepare(), 'traffic.match', /"-"/);
    await refused(setup({ route: 'ingress/none' }).router.prepare(), 'traffic.route', /not found/);
    await refused(
      setup({ service: 'other' }, { ...service, metadata: { name: 'other' } }).router.prepare(),
      'traffic.route',
      /no rule with a path to Service other/,
    );
    const { router, cluster } = setup();
    cluster.seed(ingress('web', 'web', { status: {} }));
    await refused(router.prepare(), 'traffic.route', /no load-balancer address/);
    const rival = ingress('manual-canary', 'web-v2', {
      metadata: { name: 'manual-canary', annotations: { [`${N}canary`]: 'true' } },
    });
    await refused(
      setup({}, rival).router.prepare(),
      'traffic.route',
      /ingress\/manual-canary: ingress-nginx merges only one/,
    );
    await refused(
      setup({}, ingress('web-canary', 'x')).router.prepare(),
      'traffic.route',
      /not canary-action's/,
    );
    assert.throws(() => setup({ route: 'httproute/web' }), /expects ingress\/NAME/);
  });

  test('a step: the pair Service, the canary Ingress at twice the weight, re-asserted when changed, removed by reset in order', async () => {
    const { router, cluster, lines } = setup();
    await router.prepare();
    assert.equal(router.route({ weight: 10, stableReplicas: 4 }).replicas, 1);
    const { objects, canary } = await placeStep(router, cluster, 10);
    assert.deepEqual(
      objects.map((o) => [o.metadata.name, (o.spec as { selector: unknown }).selector]),
      [['web-canary-baseline', { [PAIR_LABEL]: 'web' }]],
    );
    assert.deepEqual(router.podLabels('baseline', { app: 'web', track: 'baseline' }), {
      app: 'web-baseline',
      track: 'baseline',
      [PAIR_LABEL]: 'web',
    });
    assert.equal(canary?.metadata.annotations?.[`${N}canary-weight`], '20');
    assert.equal(await router.reassert(), false);

    const changed = structuredClone(canary!);
    changed.metadata.annotations![`${N}canary-weight`] = '0';
    cluster.seed(changed);
    assert.equal(await router.reassert(), true);
    assert.match(lines.join('\n'), /canary-weight is "0", not "20"\): re-asserting 10% to the canary/);
    const again = await cluster.get(CANARY);
    assert.equal(again?.metadata.annotations?.[`${N}canary-weight`], '20');

    cluster.writes.length = 0;
    await router.reset();
    assert.deepEqual(cluster.writes, ['delete Ingress/web-canary', 'delete Service/web-canary-baseline']);
    await router.reset();
    assert.deepEqual(cluster.writes.length, 2, 'a second reset changes nothing');
    assert.ok(cluster.objects.has('Ingress/web'), "the user's Ingress stays");
  });

  test('a canary Ingress no controller serves is exit 4 (BackendError) after the timeout', async () => {
    const { router, cluster } = setup();
    await router.prepare();
    cluster.serving = false;
    await assert.rejects(
      router.setWeight(10),
      (e: unknown) =>
        e instanceof BackendError &&
        /ingress\/web-canary: not served by the controller of ingress\/web/.test(e.message),
    );
  });

  test('without a baseline: w% to <service>-canary, header match as canary-by-header; reset from another job', async () => {
    const match = { header: 'x-canary', regex: 'beta.*' };
    const { router, cluster } = setup({ baseline: false, match });
    await router.prepare();
    const { objects, canary } = await placeStep(router, cluster, 10);
    assert.deepEqual(
      objects.map((o) => o.metadata.name),
      ['web-canary'],
    );
    assert.deepEqual(canary?.metadata.annotations, {
      [`${N}canary`]: 'true',
      [`${N}load-balance`]: 'round_robin',
      [`${N}canary-weight`]: '10',
      [`${N}canary-by-header`]: 'x-canary',
      [`${N}canary-by-header-pattern`]: '^(?:beta.*)$',
    });
    const later = nginxRouter({
      cluster,
      platform: quietPlatform(),
      workload: 'web',
      acceptTimeoutMs: 300,
      traffic: { router: 'nginx', steps: [], baseline: true, route: 'ingress/web', service: 'web' },
    });
    cluster.writes.length = 0;
    await later.reset();
    assert.deepEqual(cluster.writes, ['delete Ingress/web-canary', 'delete Service/web-canary']);
  });
});
