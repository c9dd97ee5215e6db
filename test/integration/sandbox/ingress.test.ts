/**
 * The sandbox's ingress controllers against real pod processes: ingress-nginx (host/path rules, the
 * canary Ingress with canary-weight and canary-by-header) and HAProxy Ingress (blue/green balance in
 * deploy and pod modes, the blue/green header selector), one listener per IngressClass.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HAPROXY_INGRESS_CONTROLLER, INGRESS_NGINX_CONTROLLER, startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import {
  apiRequest,
  assertShare,
  loadK8sSchemas,
  probe,
  sample,
  serviceManifest,
  trackDeployment,
  waitFor,
  waitForReadyPods,
} from './helpers.ts';

const ns = 'demo';
const N = 2000;
const schemas = loadK8sSchemas();
const INGRESSES = `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`;

function ingress(
  name: string,
  host: string,
  service: string,
  options: {
    className?: string;
    annotations?: Record<string, string>;
    path?: string;
    pathType?: string;
  } = {},
): Record<string, unknown> {
  const object = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      ...(options.className ? { ingressClassName: options.className } : {}),
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: options.path ?? '/',
                pathType: options.pathType ?? 'Prefix',
                backend: { service: { name: service, port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
  assert.equal(schemas.ingress(object), undefined, 'the Ingress validates against its published schema');
  return object;
}

describe('ingress controllers in the sandbox', () => {
  let sandbox: Sandbox;
  let nginxPort: number;
  let haproxyPort: number;
  const create = async (path: string, body: unknown) => {
    const res = await apiRequest(sandbox, 'POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const annotate = async (path: string, annotations: Record<string, string | null>) => {
    const res = await apiRequest(sandbox, 'PATCH', path, {
      body: { metadata: { annotations } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(res.status, 200, res.text);
    await sandbox.settle();
  };

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2 });
    const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
    await create(deployments, trackDeployment('web', ns, 'web', 'stable', 2));
    await create(deployments, trackDeployment('web-canary', ns, 'web', 'canary', 1));
    await create(deployments, trackDeployment('blue', ns, 'shop', 'blue', 2, { group: 'blue' }));
    await create(deployments, trackDeployment('green', ns, 'shop', 'green', 1, { group: 'green' }));
    const services = `/api/v1/namespaces/${ns}/services`;
    await create(services, serviceManifest('web', ns, { app: 'web', track: 'stable' }));
    await create(services, serviceManifest('web-canary', ns, { app: 'web', track: 'canary' }));
    await create(services, serviceManifest('shop', ns, { app: 'shop' }));
    for (const [name, controller, isDefault] of [
      ['nginx', INGRESS_NGINX_CONTROLLER, true],
      ['haproxy', HAPROXY_INGRESS_CONTROLLER, false],
    ] as const) {
      const ingressClass = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name,
          ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
        },
        spec: { controller },
      };
      assert.equal(schemas.ingressclass(ingressClass), undefined);
      await create('/apis/networking.k8s.io/v1/ingressclasses', ingressClass);
    }
    await waitForReadyPods(sandbox, ns, 6);
    nginxPort = await waitFor('the nginx listener', () =>
      sandbox.listenerPort('ingressclass', undefined, 'nginx'),
    );
    haproxyPort = await waitFor('the haproxy listener', () =>
      sandbox.listenerPort('ingressclass', undefined, 'haproxy'),
    );
  });
  after(async () => {
    await sandbox?.stop();
  });

  describe('ingress-nginx', () => {
    const host = { host: 'web.example.com' };

    test('routes by host and path; an Ingress without a class gets the default class; the load balancer address is reported', async () => {
      const created = await create(INGRESSES, ingress('web', 'web.example.com', 'web'));
      assert.equal(created.spec.ingressClassName, 'nginx', 'DefaultIngressClass admission');
      await sandbox.settle();
      assert.equal(sandbox.listenerPort('ingress', ns, 'web'), nginxPort);
      const read = (await apiRequest(sandbox, 'GET', `${INGRESSES}/web`)).json;
      assert.deepEqual(read.status, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } });
      assert.equal(schemas.ingress(read), undefined);
      assert.deepEqual((await sample(nginxPort, 100, { headers: host })).byTrack, { stable: 100 });
      const unknown = await probe(nginxPort, '/', { host: 'other.example.com' });
      assert.deepEqual([unknown.status, unknown.body], [404, 'default backend - 404']);
    });

    test('a canary Ingress (canary-weight, canary-weight-total) takes that share of the main Ingress traffic', async () => {
      await create(
        INGRESSES,
        ingress('web-canary', 'web.example.com', 'web-canary', {
          className: 'nginx',
          annotations: {
            'nginx.ingress.kubernetes.io/canary': 'true',
            'nginx.ingress.kubernetes.io/canary-weight': '20',
          },
        }),
      );
      await sandbox.settle();
      const canary = (await apiRequest(sandbox, 'GET', `${INGRESSES}/web-canary`)).json;
      assert.deepEqual(
        canary.status,
        { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
        "the canary Ingress gets the address too: ingress-nginx's status sync lists every Ingress of its class",
      );
      const s = await sample(nginxPort, N, { headers: host });
      assertShare('canary', s.byTrack.canary ?? 0, N, 0.2);
      assertShare('stable', s.byTrack.stable ?? 0, N, 0.8);
      console.log(`# nginx canary-weight 20 over ${N} requests: ${JSON.stringify(s.byTrack)}`);

      await annotate(`${INGRESSES}/web-canary`, {
        'nginx.ingress.kubernetes.io/canary-weight': '150',
        'nginx.ingress.kubernetes.io/canary-weight-total': '200',
      });
      const total = await sample(nginxPort, N, { headers: host });
      assertShare('canary', total.byTrack.canary ?? 0, N, 0.75);
      console.log(`# nginx canary-weight 150 of 200 over ${N} requests: ${JSON.stringify(total.byTrack)}`);

      await annotate(`${INGRESSES}/web-canary`, {
        'nginx.ingress.kubernetes.io/canary-weight': '0',
        'nginx.ingress.kubernetes.io/canary-weight-total': null,
      });
      assert.deepEqual((await sample(nginxPort, 200, { headers: host })).byTrack, { stable: 200 });
    });

    test('canary-by-header: always and never, an exact value or a pattern, else the weight decides', async () => {
      await annotate(`${INGRESSES}/web-canary`, {
        'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
        'nginx.ingress.kubernetes.io/canary-weight': '0',
      });
      const track = async (headers: Record<string, string>) => {
        const tracks = new Set<string | undefined>();
        for (let i = 0; i < 10; i += 1)
          tracks.add((await probe(nginxPort, '/', { ...host, ...headers })).track);
        return [...tracks].join(',');
      };
      assert.equal(await track({ 'x-canary': 'always' }), 'canary');
      assert.equal(await track({ 'x-canary': 'never' }), 'stable');
      assert.equal(await track({ 'x-canary': 'sometimes' }), 'stable');
      assert.equal(await track({}), 'stable');

      await annotate(`${INGRESSES}/web-canary`, { 'nginx.ingress.kubernetes.io/canary-weight': '100' });
      assert.equal(await track({ 'x-canary': 'never' }), 'stable', '"never" wins over the weight');
      assert.equal(
        await track({ 'x-canary': 'sometimes' }),
        'canary',
        'other values fall through to the weight',
      );

      await annotate(`${INGRESSES}/web-canary`, {
        'nginx.ingress.kubernetes.io/canary-weight': '0',
        'nginx.ingress.kubernetes.io/canary-by-header-value': 'yes',
      });
      assert.equal(await track({ 'x-canary': 'yes' }), 'canary');
      assert.equal(
        await track({ 'x-canary': 'always' }),
        'stable',
        'with a value, "always" is just another value',
      );

      await annotate(`${INGRESSES}/web-canary`, {
        'nginx.ingress.kubernetes.io/canary-by-header-value': null,
        'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^(beta|qa)-',
      });
      assert.equal(await track({ 'x-canary': 'beta-7' }), 'canary');
      assert.equal(await track({ 'x-canary': 'prod-7' }), 'stable');
    });

    test('a canary Ingress without a main Ingress for its host and path is ignored', async () => {
      await create(
        INGRESSES,
        ingress('orphan-canary', 'web.example.com', 'web-canary', {
          className: 'nginx',
          path: '/other',
          annotations: {
            'nginx.ingress.kubernetes.io/canary': 'true',
            'nginx.ingress.kubernetes.io/canary-weight': '100',
          },
        }),
      );
      await sandbox.settle();
      const answer = await probe(nginxPort, '/other', host);
      assert.match(answer.route ?? '', /Ingress demo\/web web\.example\.com\/ \(Prefix\) -> demo\/web:80/);
    });
  });

  describe('HAProxy Ingress', () => {
    const host = { host: 'shop.example.com' };

    test('blue-green-balance in deploy mode: each group gets its weight whatever its pod count', async () => {
      await create(
        INGRESSES,
        ingress('shop', 'shop.example.com', 'shop', {
          className: 'haproxy',
          annotations: { 'haproxy-ingress.github.io/blue-green-balance': 'group=blue=1,group=green=4' },
        }),
      );
      await sandbox.settle();
      assert.equal(sandbox.listenerPort('ingress', ns, 'shop'), haproxyPort);
      const s = await sample(haproxyPort, N, { headers: host });
      // 2 blue pods at weight 1 and 1 green pod at weight 8 after RebalanceWeight: weighted
      // round-robin gives exactly 2 of every 10 requests to blue.
      assert.deepEqual(s.byTrack, { blue: N / 5, green: (4 * N) / 5 });
      console.log(`# haproxy deploy mode 1:4 over ${N} requests: ${JSON.stringify(s.byPod)}`);
    });

    test('blue-green-mode pod (from the Service, which wins over the Ingress): every pod gets its group weight', async () => {
      await annotate(`${INGRESSES}/shop`, { 'haproxy-ingress.github.io/blue-green-mode': 'deploy' });
      await annotate(`/api/v1/namespaces/${ns}/services/shop`, {
        'haproxy-ingress.github.io/blue-green-mode': 'pod',
      });
      const s = await sample(haproxyPort, N, { headers: host });
      // Per pod 1, 1 and 4: blue gets 2 of every 6 requests.
      assert.ok(Math.abs((s.byTrack.blue ?? 0) - N / 3) <= 2, JSON.stringify(s.byTrack));
      console.log(`# haproxy pod mode 1:4 over ${N} requests: ${JSON.stringify(s.byPod)}`);
    });

    test('a weight change applies; all weights zero is 503; the blue/green header (legacy prefix) selects a group', async () => {
      await annotate(`${INGRESSES}/shop`, {
        'haproxy-ingress.github.io/blue-green-balance': 'group=blue=0,group=green=1',
      });
      assert.deepEqual((await sample(haproxyPort, 100, { headers: host })).byTrack, { green: 100 });
      await annotate(`${INGRESSES}/shop`, {
        'haproxy-ingress.github.io/blue-green-balance': 'group=blue=0,group=green=0',
      });
      const none = await probe(haproxyPort, '/', host);
      assert.equal(none.status, 503);
      assert.match(none.body, /No server is available to handle this request/);

      await annotate(`${INGRESSES}/shop`, { 'ingress.kubernetes.io/blue-green-header': 'X-Server:group' });
      assert.deepEqual(
        (await sample(haproxyPort, 50, { headers: { ...host, 'x-server': 'blue' } })).byTrack,
        { blue: 50 },
        'the header picks a server of that group, even at weight 0',
      );
      assert.equal((await probe(haproxyPort, '/', { ...host, 'x-server': 'purple' })).status, 503);
      assert.equal((await probe(haproxyPort, '/', { host: 'unknown.example.com' })).status, 404);
    });
  });
});
