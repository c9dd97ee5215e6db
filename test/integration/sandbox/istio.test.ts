/**
 * Istio's mesh routing in the sandbox: traffic sent to a Service's listener (as the client's sidecar
 * intercepts it) follows the VirtualService for that host: its http routes in order, header and uri
 * matches, weights, and DestinationRule subsets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import {
  apiRequest,
  assertShare,
  loadK8sSchemas,
  probe,
  sample,
  schemaNameOf,
  serviceManifest,
  trackDeployment,
  waitFor,
  waitForReadyPods,
} from './helpers.ts';

const ns = 'demo';
const N = 2000;
const schemas = loadK8sSchemas();
const vsPath = (version: string, name = '') =>
  `/apis/networking.istio.io/${version}/namespaces/${ns}/virtualservices${name ? `/${name}` : ''}`;
const drPath = (version: string, name = '') =>
  `/apis/networking.istio.io/${version}/namespaces/${ns}/destinationrules${name ? `/${name}` : ''}`;

function validated<T extends { apiVersion?: string; kind?: string }>(object: T): T {
  const name = schemaNameOf(object);
  assert.ok(name);
  assert.equal(schemas[name](object), undefined, `${object.kind} validates against its published schema`);
  return object;
}

const virtualService = (name: string, spec: Record<string, unknown>, version = 'v1') =>
  validated({
    apiVersion: `networking.istio.io/${version}`,
    kind: 'VirtualService',
    metadata: { name, namespace: ns },
    spec,
  });

const to = (host: string, weight?: number, subset?: string) => ({
  destination: { host, ...(subset ? { subset } : {}) },
  ...(weight !== undefined ? { weight } : {}),
});

describe('Istio VirtualService and DestinationRule in the sandbox', () => {
  let sandbox: Sandbox;
  let webPort: number;
  const create = async (path: string, body: unknown) => {
    const res = await apiRequest(sandbox, 'POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const mergePatch = async (path: string, body: unknown) => {
    const res = await apiRequest(sandbox, 'PATCH', path, {
      body,
      contentType: 'application/merge-patch+json',
    });
    assert.equal(res.status, 200, res.text);
    return res.json;
  };

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2 });
    const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
    await create(deployments, trackDeployment('web', ns, 'web', 'stable', 2));
    await create(deployments, trackDeployment('web-canary', ns, 'web', 'canary', 1));
    await create(deployments, trackDeployment('web-baseline', ns, 'web', 'baseline', 1));
    const services = `/api/v1/namespaces/${ns}/services`;
    await create(services, serviceManifest('web', ns, { app: 'web', track: 'stable' }));
    await create(services, serviceManifest('web-canary', ns, { app: 'web', track: 'canary' }));
    await create(services, serviceManifest('web-baseline', ns, { app: 'web', track: 'baseline' }));
    await create(services, serviceManifest('web-all', ns, { app: 'web' }));
    await waitForReadyPods(sandbox, ns, 4);
    webPort = await waitFor('the web Service listener', () => sandbox.listenerPort('service', ns, 'web'));
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('a VirtualService on the stable host splits the traffic sent to that Service by weight', async () => {
    assert.deepEqual(Object.keys(sandbox.listenerConfig('service', ns, 'web') ?? {}), ['endpoints']);
    const created = await create(
      vsPath('v1'),
      virtualService('web', {
        hosts: ['web'],
        http: [{ name: 'primary', route: [to('web', 80), to('web-canary', 10), to('web-baseline', 10)] }],
      }),
    );
    assert.equal(schemas.virtualservice(created), undefined);
    await sandbox.settle();
    assert.deepEqual(Object.keys(sandbox.listenerConfig('service', ns, 'web') ?? {}), ['table']);
    const live = (await apiRequest(sandbox, 'GET', vsPath('v1', 'web'))).json;
    assert.equal(live.status, undefined, "istiod's default: no status");
    const s = await sample(webPort, N);
    assert.deepEqual(s.byStatus, { '200': N });
    assertShare('stable', s.byTrack.stable ?? 0, N, 0.8);
    assertShare('canary', s.byTrack.canary ?? 0, N, 0.1);
    assertShare('baseline', s.byTrack.baseline ?? 0, N, 0.1);
    console.log(`# VirtualService 80/10/10 over ${N} requests: ${JSON.stringify(s.byTrack)}`);
  });

  test('a weight change (through either served version) applies at once; the FQDN host form works too', async () => {
    const patched = await mergePatch(vsPath('v1beta1', 'web'), {
      spec: {
        hosts: ['web.demo.svc.cluster.local'],
        http: [{ route: [to('web', 40), to('web-canary.demo.svc.cluster.local', 60)] }],
      },
    });
    assert.equal(patched.apiVersion, 'networking.istio.io/v1beta1');
    assert.equal(schemas.virtualservice_v1beta1(patched), undefined);
    const asV1 = (await apiRequest(sandbox, 'GET', vsPath('v1', 'web'))).json;
    assert.equal(asV1.apiVersion, 'networking.istio.io/v1');
    assert.equal(asV1.spec.http[0].route[1].weight, 60);
    await sandbox.settle();
    const s = await sample(webPort, N);
    assertShare('stable', s.byTrack.stable ?? 0, N, 0.4);
    assertShare('canary', s.byTrack.canary ?? 0, N, 0.6);
    console.log(`# VirtualService 40/60 over ${N} requests: ${JSON.stringify(s.byTrack)}`);

    await mergePatch(vsPath('v1', 'web'), {
      spec: { http: [{ route: [to('web', 100), to('web-canary', 0)] }] },
    });
    await sandbox.settle();
    assert.deepEqual((await sample(webPort, 200)).byTrack, { stable: 200 }, 'weight 0: no request');
  });

  test('subsets: a DestinationRule subset narrows a host to the pods with its labels', async () => {
    await create(
      drPath('v1'),
      validated({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'web-all', namespace: ns },
        spec: {
          host: 'web-all',
          subsets: [
            { name: 'stable', labels: { track: 'stable' } },
            { name: 'canary', labels: { track: 'canary' } },
          ],
        },
      }),
    );
    await create(
      vsPath('v1'),
      virtualService('web-all', {
        hosts: ['web-all'],
        http: [{ route: [to('web-all', 70, 'stable'), to('web-all', 30, 'canary')] }],
      }),
    );
    await sandbox.settle();
    const port = await waitFor('the web-all listener', () => sandbox.listenerPort('service', ns, 'web-all'));
    const s = await sample(port, N);
    assert.equal(s.byTrack.baseline, undefined, 'the baseline pod is in no subset routed to');
    assertShare('stable subset', s.byTrack.stable ?? 0, N, 0.7);
    assertShare('canary subset', s.byTrack.canary ?? 0, N, 0.3);
    console.log(`# subsets 70/30 over ${N} requests: ${JSON.stringify(s.byTrack)}`);

    // A subset no DestinationRule defines: Envoy has no such cluster and answers 503.
    await mergePatch(vsPath('v1', 'web-all'), {
      spec: { http: [{ route: [to('web-all', 100, 'missing')] }] },
    });
    await sandbox.settle();
    assert.equal((await probe(port)).status, 503);
  });

  test('matches: headers (exact, prefix, regex), withoutHeaders and uri; the first matching route wins; no match is 404', async () => {
    await mergePatch(vsPath('v1', 'web'), {
      spec: {
        http: [
          {
            name: 'canary-header',
            match: [{ headers: { 'x-canary': { exact: 'true' } } }],
            route: [to('web-canary')],
          },
          {
            name: 'beta',
            match: [
              { headers: { 'x-user': { regex: 'beta-[0-9]+' } } },
              { headers: { 'x-group': { prefix: 'qa' } } },
            ],
            route: [to('web-baseline')],
          },
          { name: 'api', match: [{ uri: { prefix: '/api' } }], route: [to('web-canary')] },
          {
            name: 'untagged',
            match: [{ uri: { exact: '/' }, withoutHeaders: { 'x-tag': {} } }],
            route: [to('web')],
          },
        ],
      },
    });
    await sandbox.settle();
    const cases: Array<[string, Record<string, string>, number, string | undefined]> = [
      ['/', {}, 200, 'untagged'],
      ['/', { 'x-tag': 'any' }, 404, undefined],
      ['/', { 'x-canary': 'true' }, 200, 'canary-header'],
      ['/api', { 'x-canary': 'true' }, 404, 'canary-header'],
      ['/', { 'x-canary': 'yes' }, 200, 'untagged'],
      ['/', { 'x-user': 'beta-7' }, 200, 'beta'],
      ['/', { 'x-user': 'xbeta-7' }, 200, 'untagged'],
      ['/', { 'x-group': 'qa-east' }, 200, 'beta'],
      ['/apix', {}, 404, 'api'],
      ['/healthz', {}, 404, undefined],
    ];
    for (const [path, headers, status, name] of cases) {
      for (let i = 0; i < 5; i += 1) {
        const answer = await probe(webPort, path, headers);
        assert.equal(
          answer.route?.match(/\(([^)]+)\)/)?.[1],
          name,
          `${path} ${JSON.stringify(headers)}: ${answer.route}`,
        );
        // /api and /apix reach the demo app (uri prefix matches by characters), which has no such page.
        assert.equal(answer.status, status, `${path} ${JSON.stringify(headers)}`);
      }
    }
    assert.deepEqual((await sample(webPort, 200, { headers: { 'x-canary': 'true' } })).byTrack, {
      canary: 200,
    });
  });

  test('VirtualServices that do not apply to the mesh route nothing; of two for one host, the oldest is used', async () => {
    await create(
      `/api/v1/namespaces/${ns}/services`,
      serviceManifest('shop', ns, { app: 'web', track: 'baseline' }),
    );
    await create(
      vsPath('v1beta1'),
      virtualService(
        'shop-edge',
        { hosts: ['shop'], gateways: ['edge-gateway'], http: [{ route: [to('web')] }] },
        'v1beta1',
      ),
    );
    await sandbox.settle();
    assert.deepEqual(Object.keys(sandbox.listenerConfig('service', ns, 'shop') ?? {}), ['endpoints']);
    // Creation timestamps have one-second precision: let a second pass so that the younger VirtualService
    // (whose name sorts first) is younger by its timestamp.
    const older = await create(
      vsPath('v1'),
      virtualService('shop-older', { hosts: ['shop'], http: [{ route: [to('web-canary')] }] }),
    );
    await waitFor(
      'the next second',
      () => `${new Date().toISOString().slice(0, 19)}Z` > older.metadata.creationTimestamp,
    );
    await create(
      vsPath('v1'),
      virtualService('shop-a-younger', { hosts: ['shop'], http: [{ route: [to('web')] }] }),
    );
    await sandbox.settle();
    const port = await waitFor('the shop listener', () => sandbox.listenerPort('service', ns, 'shop'));
    const answer = await probe(port);
    assert.equal(answer.track, 'canary');
    assert.match(answer.route ?? '', /VirtualService demo\/shop-older/);

    // A GAMMA HTTPRoute on the same Service takes precedence over the VirtualService.
    await create(`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'shop' },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'shop', port: 80 }],
        rules: [{ backendRefs: [{ name: 'web-baseline', port: 80 }] }],
      },
    });
    await sandbox.settle();
    const gamma = await probe(port);
    assert.equal(gamma.track, 'baseline');
    assert.match(gamma.route ?? '', /HTTPRoute demo\/shop rule 0/);
  });

  test('the API server refuses a VirtualService the Istio schema forbids', async () => {
    const res = await apiRequest(sandbox, 'POST', vsPath('v1'), {
      body: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'bad' },
        spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' }, weight: 'ten' }] }] },
      },
    });
    assert.equal(res.status, 422, res.text);
    assert.match(res.json.message, /spec\.http\[0\]\.route\[0\]\.weight: Invalid value: "ten"/);
  });
});

describe("istiod's status, when it writes one (startSandbox({ istioStatus: true }))", () => {
  let sandbox: Sandbox;
  const send = async (method: string, path: string, body: unknown, contentType?: string) => {
    const res = await apiRequest(sandbox, method, path, { body, ...(contentType ? { contentType } : {}) });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  const read = async (path: string) => (await apiRequest(sandbox, 'GET', path)).json;
  const patch = (path: string, body: unknown) => send('PATCH', path, body, 'application/merge-patch+json');

  before(async () => {
    sandbox = await startSandbox({ istioStatus: true });
    await send('POST', `/api/v1/namespaces/${ns}/services`, serviceManifest('web', ns, { app: 'web' }));
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('observedGeneration (a string, as istiod writes int64) and Reconciled for each generation; IST0101 for a missing host or subset', async () => {
    await send(
      'POST',
      vsPath('v1'),
      virtualService('web', { hosts: ['web'], http: [{ route: [to('web')] }] }),
    );
    await sandbox.settle();
    const first = await read(vsPath('v1', 'web'));
    assert.equal(first.status.observedGeneration, '1');
    assert.deepEqual(
      first.status.conditions.map((c: { type: string; status: string; message: string }) => [
        c.type,
        c.status,
        c.message,
      ]),
      [['Reconciled', 'True', '1/1 proxies up to date.']],
    );
    assert.equal(first.status.validationMessages, undefined);
    assert.equal(
      schemas.virtualservice(first),
      undefined,
      'the status validates against the published schema',
    );

    await patch(vsPath('v1', 'web'), {
      spec: { http: [{ route: [to('web', 90), to('web-legacy', 10)] }, { route: [to('web', 100, 'v2')] }] },
    });
    await sandbox.settle();
    const broken = await read(vsPath('v1beta1', 'web'));
    assert.equal(broken.status.observedGeneration, '2');
    const error = {
      level: 'ERROR',
      type: { code: 'IST0101' },
      documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0101/',
    };
    assert.deepEqual(broken.status.validationMessages, [error, error], 'host web-legacy; subset v2 of web');
    assert.equal(schemas.virtualservice_v1beta1(broken), undefined);

    await send('POST', drPath('v1'), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'web', namespace: ns },
      spec: { host: 'web', subsets: [{ name: 'v2', labels: { version: 'v2' } }] },
    });
    await sandbox.settle();
    assert.deepEqual(
      (await read(vsPath('v1', 'web'))).status.validationMessages,
      [error],
      'the subset now exists',
    );
    const rule = await read(drPath('v1', 'web'));
    assert.equal(rule.status.observedGeneration, '1');
    assert.equal(schemas.destinationrule(rule), undefined);

    await patch(vsPath('v1', 'web'), { metadata: { annotations: { note: 'no spec change' } } });
    await sandbox.settle();
    const annotated = await read(vsPath('v1', 'web'));
    assert.equal(annotated.metadata.generation, 2);
    assert.equal(annotated.status.observedGeneration, '2');
  });
});
