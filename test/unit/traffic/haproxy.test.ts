/** The haproxy router against an in-memory cluster: its checks before any change, and a step's life. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrafficConfig } from '../../../src/config/types.ts';
import type { KubeObject, ObjectRef } from '../../../src/kube/types.ts';
import { haproxyRouter } from '../../../src/traffic/haproxy.ts';
import { ConfigError, PermissionError } from '../../../src/util/errors.ts';
import { loadK8sSchemas } from '../../integration/sandbox/helpers.ts';
import { FakeCluster } from '../pipeline/fake-cluster.ts';
import { quietPlatform } from '../pipeline/release-setup.ts';

const schemas = loadK8sSchemas();
const BALANCE = 'haproxy-ingress.github.io/blue-green-balance';
const ORIGINAL = 'canary-action.dev/original-annotations';
const USER_ANNOTATIONS = {
  'ingress.kubernetes.io/blue-green-mode': 'deploy',
  'haproxy-ingress.github.io/timeout-server': '30s',
};

const pod = (name: string, track: string, ready = true): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web', track } },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const ingress = (name: string, className: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'demo', annotations },
  spec: {
    ingressClassName: className,
    rules: [
      {
        host: 'web.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
});
const ingressClass = (name: string, controller: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name },
  spec: { controller },
});

function setUp(
  options: { stableLabels?: Record<string, string>; serviceAnnotations?: Record<string, string> } = {},
) {
  const cluster = new FakeCluster();
  const labels = options.stableLabels ?? { app: 'web', track: 'stable' };
  cluster.seed(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        ...(options.serviceAnnotations ? { annotations: options.serviceAnnotations } : {}),
      },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels } } },
    },
    ingress('web', 'haproxy', USER_ANNOTATIONS),
    ingressClass('haproxy', 'haproxy-ingress.github.io/controller'),
    ingressClass('nginx', 'k8s.io/ingress-nginx'),
    pod('web-1', 'stable'),
    pod('web-2', 'stable'),
    pod('web-canary-1', 'canary'),
    pod('web-baseline-1', 'baseline'),
  );
  const lines: string[] = [];
  const router = (traffic: Partial<TrafficConfig> = {}) =>
    haproxyRouter({
      cluster,
      platform: quietPlatform(lines),
      workload: 'web',
      traffic: { router: 'haproxy', route: 'ingress/web', steps: [10, 40], baseline: true, ...traffic },
      acceptTimeoutMs: 500,
    });
  const live = async () =>
    (await cluster.get({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }))!;
  return { cluster, router, live, lines };
}

test('a step: planned weights applied with the Deployments, measured ones set, re-asserted, recomputed, and reset byte for byte', async () => {
  const { cluster, router: make, live, lines } = setUp();
  const router = make({ match: { header: 'x-canary', exact: 'yes' } });
  await router.prepare();
  const routing = router.route({ weight: 10, stableReplicas: 2 });
  assert.equal(routing.replicas, 1);
  const [patch] = routing.objects;
  assert.equal(schemas.ingress(patch), undefined, 'the applied Ingress validates');
  assert.equal(patch?.metadata.annotations?.[BALANCE], 'track=stable=4,track=canary=1,track=baseline=1');
  assert.equal(
    patch?.metadata.annotations?.[ORIGINAL],
    JSON.stringify({ 'ingress.kubernetes.io/blue-green-mode': 'deploy' }),
  );
  assert.deepEqual(router.podLabels('canary', { app: 'web', track: 'canary' }), {
    app: 'web',
    track: 'canary',
    'canary-action-match': 'yes',
  });
  assert.deepEqual(router.podLabels('baseline', { app: 'web', track: 'baseline' }), {
    app: 'web',
    track: 'baseline',
  });
  assert.throws(() => router.podLabels('canary', { app: 'api', track: 'canary' }), /would lack app=web/);

  await router.setWeight(10);
  const written = await live();
  assert.equal(schemas.ingress(written), undefined);
  assert.deepEqual(written.metadata.annotations, {
    'haproxy-ingress.github.io/timeout-server': '30s',
    [BALANCE]: 'track=stable=4,track=canary=1,track=baseline=1',
    'haproxy-ingress.github.io/blue-green-mode': 'pod',
    'haproxy-ingress.github.io/blue-green-header': 'x-canary:canary-action-match',
    [ORIGINAL]: JSON.stringify({ 'ingress.kubernetes.io/blue-green-mode': 'deploy' }),
  });
  assert.equal(await router.reassert(), false, 'nothing changed');

  await cluster.replace({ ...written, metadata: { ...written.metadata, annotations: USER_ANNOTATIONS } });
  assert.equal(await router.reassert(), true, 'a revert is re-asserted and counted');
  assert.match(lines.join('\n'), /ingress\/web was changed by someone else: re-asserting 10% to the canary/);

  cluster.seed(
    pod('web-canary-2', 'canary'),
    pod('web-baseline-2', 'baseline'),
    pod('web-3', 'stable', false),
  );
  assert.equal(await router.reassert(), false, 'new ready pods are not a revert');
  assert.equal(
    (await live()).metadata.annotations?.[BALANCE],
    'track=stable=8,track=canary=1,track=baseline=1',
  );
  assert.match(lines.join('\n'), /the ready pods changed, pod weights now stable 8 × 2 pod\(s\) = 80.0%/);

  await router.reset();
  assert.deepEqual((await live()).metadata.annotations, USER_ANNOTATIONS);
  assert.deepEqual((await live()).spec, ingress('web', 'haproxy').spec);
});

test('rollback from another job restores the Ingress from its own annotation', async () => {
  const { router, live } = setUp();
  const run = router();
  await run.prepare();
  await run.setWeight(40);
  assert.equal(
    (await live()).metadata.annotations?.[BALANCE],
    'track=stable=1,track=canary=4,track=baseline=4',
  );
  const other = router({ steps: [] });
  await other.reset();
  assert.deepEqual((await live()).metadata.annotations, USER_ANNOTATIONS);
  await other.reset();
  assert.deepEqual((await live()).metadata.annotations, USER_ANNOTATIONS, 'idempotent');
});

test('an Ingress nobody serves: the write is not trusted (BackendError, exit 4)', async () => {
  const { cluster, router } = setUp();
  const unserved = { ...ingress('web', 'haproxy', USER_ANNOTATIONS), status: {} };
  cluster.seed(unserved);
  const run = router();
  await run.prepare();
  await assert.rejects(run.setWeight(10), (e: Error & { exitCode?: number }) => {
    assert.equal(e.exitCode, 4);
    assert.match(
      e.message,
      /ingress\/web: no controller serves it \(its status.loadBalancer.ingress is empty\)/,
    );
    return true;
  });
});

const refused = async (
  setup: ReturnType<typeof setUp>,
  traffic: Partial<TrafficConfig>,
  field: string,
  message: RegExp,
) => {
  const writes = setup.cluster.writes.length;
  await assert.rejects(setup.router(traffic).prepare(), (e: ConfigError) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.path, field);
    assert.match(e.message, message);
    return true;
  });
  assert.equal(setup.cluster.writes.length, writes, 'nothing written');
};

test('exit 2 before any change: what the annotations cannot weight, or could not own', async () => {
  let setup = setUp();
  setup.cluster.seed(ingress('web', 'nginx'));
  await refused(
    setup,
    {},
    'traffic.route',
    /IngressClass nginx, whose controller is k8s.io\/ingress-nginx, not HAProxy Ingress/,
  );
  await refused(setUp(), { route: 'ingress/none' }, 'traffic.route', /ingress\/none was not found/);
  await refused(setUp(), { service: 'api' }, 'traffic.service', /service\/api was not found/);
  await refused(
    setUp({ stableLabels: { app: 'web' } }),
    {},
    'workload',
    /add "track: stable" to spec.template.metadata.labels/,
  );
  await refused(
    setUp({ serviceAnnotations: { 'haproxy-ingress.github.io/blue-green-mode': 'pod' } }),
    {},
    'traffic.service (default: the workload)',
    /carries haproxy-ingress.github.io\/blue-green-mode/,
  );
  setup = setUp();
  setup.cluster.seed(
    ingress('web-legacy', 'haproxy', { 'haproxy-ingress.github.io/blue-green-balance': 'v=a=1' }),
  );
  await refused(setup, {}, 'traffic.route', /ingress\/web-legacy also sends to service\/web and carries/);
  await refused(
    setUp(),
    { match: { header: 'x-canary', regex: 'yes|true' } },
    'traffic.match',
    /exact header value only/,
  );
  await refused(setUp(), { steps: [60] }, 'traffic.steps', /at most 50/);
  await refused(
    setUp(),
    { steps: [1], canaryReplicas: 30 },
    'traffic.canaryReplicas',
    /give the canary \d+\.\d% at best/,
  );
  assert.throws(() => setUp().router({ route: 'httproute/web' }), /expects ingress\/NAME/);
});

test('an IngressClass the run may not read is said, not assumed', async () => {
  const { cluster, router, lines } = setUp();
  const get = cluster.get.bind(cluster);
  cluster.get = async (ref: ObjectRef) => {
    if (ref.kind === 'IngressClass')
      throw new PermissionError('missing permission: cannot get ingressclasses');
    return get(ref);
  };
  await router().prepare();
  assert.match(
    lines.join('\n'),
    /IngressClass haproxy cannot be read \(cluster scope\): its controller is not checked/,
  );
});
