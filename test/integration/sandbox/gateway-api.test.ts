/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The sandbox's Gateway API implementation against real pod processes: a GatewayClass of the sandbox
 * controller, Gateways whose listeners route by the attached HTTPRoutes (every rule, match precedence,
 * hostnames, weights), GAMMA routes on a Service, and the status the controller reports (Accepted,
 * ResolvedRefs with observedGeneration) for the parents it knows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY_CONTROLLER, startSandbox } from '../../sandbox/index.ts';
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
const GW = 'gateway.networking.k8s.io/v1';
const ROUTES = `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`;
const GATEWAYS = `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways`;
const N = 2000;
const schemas = loadK8sSchemas();

function validated<T extends { apiVersion?: string; kind?: string }>(object: T): T {
  const name = schemaNameOf(object);
  assert.ok(name, `a schema for ${object.apiVersion} ${object.kind}`);
  assert.equal(schemas[name](object), undefined, `${object.kind} validates against its published schema`);
  return object;
}

function route(name: string, spec: Record<string, unknown>) {
  return validated({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name, namespace: ns }, spec });
}

const ref = (name: string, weight?: number) => ({
  name,
  port: 80,
  ...(weight !== undefined ? { weight } : {}),
});

describe('Gateway API in the sandbox', () => {
  let sandbox: Sandbox;
  let gatewayPort: number;
  const create = async (path: string, body: unknown) => {
    const res = await apiRequest(sandbox, 'POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const get = async (path: string) => (await apiRequest(sandbox, 'GET', path)).json;
  const mergePatch = async (path: string, body: unknown) => {
    const res = await apiRequest(sandbox, 'PATCH', path, {
      body,
      contentType: 'application/merge-patch+json',
    });
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  /** This controller's entry for a parent, once its conditions have observed the route's current generation. */
  const parentStatus = (name: string, parentName: string) =>
    waitFor(`${name}: status for parent ${parentName} at the current generation`, async () => {
      const r = await get(`${ROUTES}/${name}`);
      const entry = (r.status?.parents ?? []).find(
        (p: any) => p.parentRef.name === parentName && p.controllerName === GATEWAY_CONTROLLER,
      );
      const current = entry?.conditions?.every((c: any) => c.observedGeneration === r.metadata.generation);
      if (!current) return undefined;
      assert.equal(schemas.httproute(r), undefined, 'the route with its status validates');
      return Object.fromEntries(entry.conditions.map((c: any) => [c.type, c]));
    });

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2 });
    const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
    await create(deployments, trackDeployment('web', ns, 'web', 'stable', 2));
    await create(deployments, trackDeployment('web-canary', ns, 'web', 'canary', 1));
    await create(deployments, trackDeployment('web-baseline', ns, 'web', 'baseline', 1));
    for (const [name, track] of [
      ['web', 'stable'],
      ['web-canary', 'canary'],
      ['web-baseline', 'baseline'],
    ])
      await create(
        `/api/v1/namespaces/${ns}/services`,
        validated(serviceManifest(name!, ns, { app: 'web', track: track! })),
      );
    await create(
      '/apis/gateway.networking.k8s.io/v1/gatewayclasses',
      validated({
        apiVersion: GW,
        kind: 'GatewayClass',
        metadata: { name: 'sandbox' },
        spec: { controllerName: GATEWAY_CONTROLLER },
      }),
    );
    await create(
      GATEWAYS,
      validated({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name: 'public', namespace: ns },
        spec: { gatewayClassName: 'sandbox', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      }),
    );
    await waitForReadyPods(sandbox, ns, 4);
    gatewayPort = await waitFor('the Gateway listener', () => sandbox.listenerPort('gateway', ns, 'public'));
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('a GatewayClass naming the sandbox controller and its Gateway are Accepted and Programmed', async () => {
    await sandbox.settle();
    const gc = await get('/apis/gateway.networking.k8s.io/v1/gatewayclasses/sandbox');
    assert.equal(schemas.gatewayclass(gc), undefined);
    assert.deepEqual(
      gc.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.observedGeneration]),
      [
        ['Accepted', 'True', 'Accepted', 1],
        ['SupportedVersion', 'True', 'SupportedVersion', 1],
      ],
    );
    const gw = await get(`${GATEWAYS}/public`);
    assert.equal(schemas.gateway(gw), undefined);
    assert.deepEqual(gw.status.addresses, [{ type: 'IPAddress', value: '127.0.0.1' }]);
    assert.deepEqual(
      gw.status.conditions.map((c: any) => [c.type, c.status, c.reason]),
      [
        ['Accepted', 'True', 'Accepted'],
        ['Programmed', 'True', 'Programmed'],
      ],
    );
    assert.deepEqual(gw.status.listeners[0].supportedKinds, [
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
    ]);
    // The CRD's defaults are applied by the API server, as on a real cluster.
    assert.deepEqual(gw.spec.listeners[0].allowedRoutes, { namespaces: { from: 'Same' } });
    assert.equal(JSON.parse(gw.metadata.annotations['sandbox.canary-action.dev/ports'])['80'], gatewayPort);
    // No route is attached yet: the Gateway answers 404 (no route).
    assert.equal((await probe(gatewayPort)).status, 404);
  });

  test('an HTTPRoute on the Gateway splits requests by backendRef weight; Accepted and ResolvedRefs at its generation', async () => {
    const created = await create(
      ROUTES,
      route('web', {
        parentRefs: [{ name: 'public' }],
        rules: [{ backendRefs: [ref('web', 80), ref('web-canary', 10), ref('web-baseline', 10)] }],
      }),
    );
    // Defaults from the CRD schema, as a real API server applies them.
    assert.deepEqual(created.spec.parentRefs[0], {
      name: 'public',
      group: GW.split('/')[0],
      kind: 'Gateway',
    });
    assert.deepEqual(created.spec.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/' } }]);
    const conditions = await parentStatus('web', 'public');
    assert.deepEqual(
      [conditions.Accepted.status, conditions.Accepted.reason, conditions.Accepted.observedGeneration],
      ['True', 'Accepted', 1],
    );
    assert.deepEqual(
      [conditions.ResolvedRefs.status, conditions.ResolvedRefs.reason],
      ['True', 'ResolvedRefs'],
    );

    const s = await sample(gatewayPort, N);
    assert.deepEqual(s.byStatus, { '200': N });
    assertShare('stable', s.byTrack.stable ?? 0, N, 0.8);
    assertShare('canary', s.byTrack.canary ?? 0, N, 0.1);
    assertShare('baseline', s.byTrack.baseline ?? 0, N, 0.1);
    console.log(`# gateway 80/10/10 over ${N} requests: ${JSON.stringify(s.byTrack)}`);
    const gw = await get(`${GATEWAYS}/public`);
    assert.equal(gw.status.listeners[0].attachedRoutes, 1);
  });

  test('a weight change applies once the status observes the new generation; weight 0 gets no traffic', async () => {
    const patched = await mergePatch(`${ROUTES}/web`, {
      spec: { rules: [{ backendRefs: [ref('web', 50), ref('web-canary', 50), ref('web-baseline', 0)] }] },
    });
    assert.equal(patched.metadata.generation, 2);
    const conditions = await parentStatus('web', 'public');
    assert.equal(conditions.Accepted.observedGeneration, 2);
    const s = await sample(gatewayPort, N);
    assertShare('stable', s.byTrack.stable ?? 0, N, 0.5);
    assertShare('canary', s.byTrack.canary ?? 0, N, 0.5);
    assert.equal(s.byTrack.baseline, undefined, 'weight 0: no request');
    console.log(`# gateway 50/50/0 over ${N} requests: ${JSON.stringify(s.byTrack)}`);

    await mergePatch(`${ROUTES}/web`, {
      spec: { rules: [{ backendRefs: [ref('web', 0), ref('web-canary', 0)] }] },
    });
    assert.equal((await parentStatus('web', 'public')).Accepted.observedGeneration, 3);
    const zero = await sample(gatewayPort, 50);
    assert.deepEqual(zero.byStatus, { '500': 50 }, 'every backendRef at weight 0: 500');
  });

  test('matches route deterministically, with the Gateway API precedence across rules', async () => {
    await mergePatch(`${ROUTES}/web`, {
      spec: {
        rules: [
          { backendRefs: [ref('web')] },
          {
            matches: [{ headers: [{ name: 'X-Canary', value: 'true' }] }],
            backendRefs: [ref('web-canary')],
          },
          {
            matches: [
              { headers: [{ name: 'x-user', type: 'RegularExpression', value: 'beta-[0-9]+' }] },
              { queryParams: [{ name: 'variant', value: 'b' }] },
            ],
            backendRefs: [ref('web-baseline')],
          },
          { matches: [{ path: { type: 'Exact', value: '/healthz' } }], backendRefs: [ref('web-baseline')] },
          { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [ref('web-canary')] },
          {
            matches: [{ path: { type: 'PathPrefix', value: '/api/v2/' } }, { method: 'POST' }],
            backendRefs: [ref('web-baseline')],
          },
        ],
      },
    });
    const conditions = await parentStatus('web', 'public');
    assert.equal(conditions.Accepted.status, 'True');
    const cases: Array<[string, Record<string, string>, string, string]> = [
      ['/', {}, 'GET', 'rule 0'],
      ['/', { 'x-canary': 'true' }, 'GET', 'rule 1'],
      ['/', { 'x-canary': 'TRUE' }, 'GET', 'rule 0'],
      ['/', { 'x-user': 'beta-42' }, 'GET', 'rule 2'],
      ['/', { 'x-user': 'beta-x' }, 'GET', 'rule 0'],
      ['/?variant=b', {}, 'GET', 'rule 2'],
      ['/?variant=bb', {}, 'GET', 'rule 0'],
      // Exact path beats a header match on the default PathPrefix "/".
      ['/healthz', { 'x-canary': 'true' }, 'GET', 'rule 3'],
      ['/healthz/', {}, 'GET', 'rule 0'],
      // Longest prefix, by path elements: /api/v2/ (trailing slash ignored) over /api.
      ['/api/v2', {}, 'GET', 'rule 5'],
      ['/api/v2/orders', {}, 'GET', 'rule 5'],
      ['/api/v2x', {}, 'GET', 'rule 4'],
      ['/apix', {}, 'GET', 'rule 0'],
      // A method match beats header matches at equal path.
      ['/', { 'x-canary': 'true' }, 'POST', 'rule 5'],
    ];
    for (const [path, headers, method, expected] of cases) {
      for (let i = 0; i < 5; i += 1) {
        const answer = await probe(gatewayPort, path, headers, method);
        assert.equal(
          answer.route?.match(/rule \d+/)?.[0],
          expected,
          `${method} ${path} ${JSON.stringify(headers)} took ${answer.route}`,
        );
      }
    }
    const canary = await sample(gatewayPort, 200, { headers: { 'x-canary': 'true' } });
    assert.deepEqual(canary.byTrack, { canary: 200 });
  });

  test('hostnames: a request reaches the routes whose hostnames intersect the listener hostname and match its Host', async () => {
    await create(
      GATEWAYS,
      validated({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name: 'hosts', namespace: ns },
        spec: {
          gatewayClassName: 'sandbox',
          listeners: [{ name: 'wild', port: 8000, protocol: 'HTTP', hostname: '*.example.com' }],
        },
      }),
    );
    await create(
      ROUTES,
      route('exact-host', {
        parentRefs: [{ name: 'hosts' }],
        hostnames: ['web.example.com', 'web.example.org'],
        rules: [{ backendRefs: [ref('web-canary')] }],
      }),
    );
    await create(
      ROUTES,
      route('any-host', { parentRefs: [{ name: 'hosts' }], rules: [{ backendRefs: [ref('web')] }] }),
    );
    await create(
      ROUTES,
      route('other-domain', {
        parentRefs: [{ name: 'hosts' }],
        hostnames: ['web.example.org'],
        rules: [{ backendRefs: [ref('web-baseline')] }],
      }),
    );
    assert.equal((await parentStatus('exact-host', 'hosts')).Accepted.status, 'True');
    assert.equal((await parentStatus('any-host', 'hosts')).Accepted.status, 'True');
    const other = await parentStatus('other-domain', 'hosts');
    assert.deepEqual([other.Accepted.status, other.Accepted.reason], ['False', 'NoMatchingListenerHostname']);
    const port = await waitFor('the hosts Gateway listener', () =>
      sandbox.listenerPort('gateway', ns, 'hosts', 8000),
    );
    assert.equal((await probe(port, '/', { host: 'web.example.com' })).track, 'canary');
    assert.equal((await probe(port, '/', { host: 'web.example.com:8000' })).track, 'canary', 'port ignored');
    assert.equal((await probe(port, '/', { host: 'shop.example.com' })).track, 'stable');
    assert.equal((await probe(port, '/', { host: 'a.b.example.com' })).track, 'stable');
    assert.equal((await probe(port, '/', { host: 'web.example.org' })).status, 404);
    assert.equal((await probe(port, '/', { host: 'example.com' })).status, 404);
  });

  test('a parent that does not allow the route: Accepted False NotAllowedByListeners, then True once allowed; NoMatchingParent', async () => {
    await create(
      GATEWAYS,
      validated({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name: 'restricted', namespace: ns },
        spec: {
          gatewayClassName: 'sandbox',
          listeners: [
            {
              name: 'http',
              port: 80,
              protocol: 'HTTP',
              allowedRoutes: {
                namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'granted' } } },
              },
            },
            { name: 'tls', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
          ],
        },
      }),
    );
    await create(
      ROUTES,
      route('restricted', {
        parentRefs: [
          { name: 'restricted', sectionName: 'http' },
          { name: 'restricted', sectionName: 'nope' },
        ],
        rules: [{ backendRefs: [ref('web')] }],
      }),
    );
    const rejected = await parentStatus('restricted', 'restricted');
    assert.deepEqual(
      [rejected.Accepted.status, rejected.Accepted.reason],
      ['False', 'NotAllowedByListeners'],
    );
    assert.match(rejected.Accepted.message, /namespace "demo"/);
    const r = await get(`${ROUTES}/restricted`);
    assert.deepEqual(
      r.status.parents.map((p: any) => [
        p.parentRef.sectionName,
        p.conditions[0].status,
        p.conditions[0].reason,
      ]),
      [
        ['http', 'False', 'NotAllowedByListeners'],
        ['nope', 'False', 'NoMatchingParent'],
      ],
    );
    const gw = await get(`${GATEWAYS}/restricted`);
    assert.equal(schemas.gateway(gw), undefined);
    const tls = gw.status.listeners.find((l: any) => l.name === 'tls');
    assert.deepEqual(
      tls.conditions.find((c: any) => c.type === 'Accepted'),
      {
        ...tls.conditions.find((c: any) => c.type === 'Accepted'),
        status: 'False',
        reason: 'UnsupportedProtocol',
      },
    );
    assert.equal(gw.status.conditions[0].reason, 'ListenersNotValid');
    const port = await waitFor('the restricted Gateway listener', () =>
      sandbox.listenerPort('gateway', ns, 'restricted'),
    );
    assert.equal((await probe(port)).status, 404, 'a route that is not accepted routes nothing');

    const namespace = await apiRequest(sandbox, 'PATCH', `/api/v1/namespaces/${ns}`, {
      body: { metadata: { labels: { 'gateway-access': 'granted' } } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(namespace.status, 200, namespace.text);
    const accepted = await waitFor('the route to be accepted by the restricted Gateway', async () => {
      const c = await parentStatus('restricted', 'restricted');
      return c.Accepted.status === 'True' ? c : undefined;
    });
    assert.equal(accepted.Accepted.reason, 'Accepted');
    await sandbox.settle();
    assert.equal((await probe(port)).track, 'stable');
  });

  test('parents of other controllers get no entry from the sandbox; their entries are left alone', async () => {
    await create(
      '/apis/gateway.networking.k8s.io/v1/gatewayclasses',
      validated({
        apiVersion: GW,
        kind: 'GatewayClass',
        metadata: { name: 'elsewhere' },
        spec: { controllerName: 'example.com/another-controller' },
      }),
    );
    await create(
      GATEWAYS,
      validated({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name: 'foreign', namespace: ns },
        spec: { gatewayClassName: 'elsewhere', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      }),
    );
    await create(
      ROUTES,
      route('two-parents', {
        parentRefs: [{ name: 'foreign' }, { name: 'public' }, { name: 'missing' }],
        hostnames: ['two.example.com'],
        rules: [{ backendRefs: [ref('web')] }],
      }),
    );
    await parentStatus('two-parents', 'public');
    const foreignEntry = {
      parentRef: { name: 'foreign', group: 'gateway.networking.k8s.io', kind: 'Gateway' },
      controllerName: 'example.com/another-controller',
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'accepted elsewhere',
          observedGeneration: 1,
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
    };
    const current = await get(`${ROUTES}/two-parents`);
    const written = await apiRequest(sandbox, 'PUT', `${ROUTES}/two-parents/status`, {
      body: { ...current, status: { parents: [foreignEntry, ...current.status.parents] } },
    });
    assert.equal(written.status, 200, written.text);
    await sandbox.settle();
    const r = await get(`${ROUTES}/two-parents`);
    assert.equal(schemas.httproute(r), undefined);
    assert.deepEqual(
      r.status.parents.map((p: any) => [p.parentRef.name, p.controllerName]),
      [
        ['foreign', 'example.com/another-controller'],
        ['public', GATEWAY_CONTROLLER],
      ],
    );
    // The Gateway class is not the sandbox's, so it has no listener and no status from the sandbox.
    const foreign = await get(`${GATEWAYS}/foreign`);
    assert.deepEqual(
      foreign.status.conditions.map((c: any) => [c.type, c.status, c.reason]),
      [
        ['Accepted', 'Unknown', 'Pending'],
        ['Programmed', 'Unknown', 'Pending'],
      ],
      'the CRD default status: waiting for a controller',
    );
    assert.equal(sandbox.listenerPort('gateway', ns, 'foreign'), undefined);
  });

  test('a backendRef to a missing Service: ResolvedRefs False BackendNotFound, and its share of requests gets 500', async () => {
    await create(
      ROUTES,
      route('half-missing', {
        parentRefs: [{ name: 'public' }],
        hostnames: ['half.example.com'],
        rules: [{ backendRefs: [ref('web', 1), ref('web-gone', 1)] }],
      }),
    );
    const conditions = await parentStatus('half-missing', 'public');
    assert.equal(conditions.Accepted.status, 'True');
    assert.deepEqual(
      [conditions.ResolvedRefs.status, conditions.ResolvedRefs.reason],
      ['False', 'BackendNotFound'],
    );
    assert.match(conditions.ResolvedRefs.message, /web-gone/);
    const s = await sample(gatewayPort, N, { headers: { host: 'half.example.com' } });
    assertShare('500 for the missing backend', s.byStatus['500'] ?? 0, N, 0.5);
    assertShare('stable', s.byTrack.stable ?? 0, N, 0.5);
    console.log(`# half missing over ${N} requests: ${JSON.stringify(s.byStatus)}`);

    await create(
      `/api/v1/namespaces/${ns}/services`,
      serviceManifest('web-gone', ns, { app: 'web', track: 'canary' }),
    );
    const fixed = await waitFor('ResolvedRefs True once the Service exists', async () => {
      const c = await parentStatus('half-missing', 'public');
      return c.ResolvedRefs.status === 'True' ? c : undefined;
    });
    assert.equal(fixed.ResolvedRefs.reason, 'ResolvedRefs');
  });

  test('GAMMA: an HTTPRoute whose parent is a Service routes the traffic sent to that Service per request', async () => {
    const servicePort = await waitFor('the web Service listener', () =>
      sandbox.listenerPort('service', ns, 'web'),
    );
    assert.deepEqual(Object.keys(sandbox.listenerConfig('service', ns, 'web') ?? {}), ['endpoints']);
    await create(
      ROUTES,
      route('mesh', {
        parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }],
        rules: [
          {
            matches: [{ headers: [{ name: 'x-canary', value: 'true' }] }],
            backendRefs: [ref('web-canary')],
          },
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [ref('web', 90), ref('web-canary', 10)],
          },
        ],
      }),
    );
    const conditions = await parentStatus('mesh', 'web');
    assert.deepEqual([conditions.Accepted.status, conditions.ResolvedRefs.status], ['True', 'True']);
    await sandbox.settle();
    assert.deepEqual(Object.keys(sandbox.listenerConfig('service', ns, 'web') ?? {}), ['table']);
    const s = await sample(servicePort, N);
    assertShare('stable', s.byTrack.stable ?? 0, N, 0.9);
    assertShare('canary', s.byTrack.canary ?? 0, N, 0.1);
    console.log(`# GAMMA 90/10 over ${N} requests: ${JSON.stringify(s.byTrack)}`);
    assert.deepEqual((await sample(servicePort, 100, { headers: { 'x-canary': 'true' } })).byTrack, {
      canary: 100,
    });

    // Requests that match no rule of the routes attached to a Service are rejected.
    await mergePatch(`${ROUTES}/mesh`, {
      spec: {
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/only' } }], backendRefs: [ref('web-canary')] },
        ],
      },
    });
    assert.equal((await parentStatus('mesh', 'web')).Accepted.observedGeneration, 2);
    assert.equal((await probe(servicePort, '/')).status, 404);

    // A port the Service does not have: not accepted.
    await mergePatch(`${ROUTES}/mesh`, {
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 8443 }] },
    });
    const wrongPort = await parentStatus('mesh', 'web');
    assert.deepEqual([wrongPort.Accepted.status, wrongPort.Accepted.reason], ['False', 'NoMatchingParent']);

    // Without routes the Service is kube-proxy's again.
    assert.equal((await apiRequest(sandbox, 'DELETE', `${ROUTES}/mesh`)).status, 200);
    await sandbox.settle();
    assert.deepEqual(Object.keys(sandbox.listenerConfig('service', ns, 'web') ?? {}), ['endpoints']);
    assert.equal((await probe(servicePort)).track, 'stable');
  });

  test('the API server refuses what the HTTPRoute schema forbids, and prunes unknown fields unless Strict', async () => {
    const invalid = await apiRequest(sandbox, 'POST', ROUTES, {
      body: {
        apiVersion: GW,
        kind: 'HTTPRoute',
        metadata: { name: 'invalid' },
        spec: { rules: [{ backendRefs: [{ name: 'web', port: 80, weight: 2_000_000 }] }] },
      },
    });
    assert.equal(invalid.status, 422, invalid.text);
    assert.match(invalid.json.message, /spec\.rules\[0\]\.backendRefs\[0\]\.weight: Invalid value: 2000000/);
    const strict = await apiRequest(sandbox, 'POST', `${ROUTES}?fieldValidation=Strict`, {
      body: { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'unknown' }, spec: { bogus: 1 } },
    });
    assert.equal(strict.status, 400, strict.text);
    assert.match(strict.json.message, /unknown field "spec\.bogus"/);
    const pruned = await apiRequest(sandbox, 'POST', ROUTES, {
      body: { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'unknown' }, spec: { bogus: 1 } },
    });
    assert.equal(pruned.status, 201, pruned.text);
    assert.equal(pruned.json.spec.bogus, undefined);
  });
});
