import { test } from 'node:test';
import assert from 'node:assert/strict';
import { istioRouter } from '../../../src/traffic/istio.ts';
import { istioAcceptance } from '../../../src/traffic/istio-status.ts';
import {
  mergePolicies,
  rulesFor,
  trackPolicy,
  weightedHttp,
  wholePercents,
  type VirtualServiceSpec,
} from '../../../src/traffic/istio-weights.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { loadK8sSchemas } from '../../integration/sandbox/helpers.ts';
import { FakeCluster } from '../pipeline/fake-cluster.ts';
import { quietPlatform } from '../pipeline/release-setup.ts';

const schemas = loadK8sSchemas();
const to = (host: string, weight?: number, extra: Record<string, unknown> = {}) => ({
  destination: { host, ...extra },
  ...(weight === undefined ? {} : { weight }),
});
const vs = (spec: unknown) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'web', namespace: 'demo' },
  spec,
});
const options = { service: 'web', namespace: 'demo', baseline: true, label: 'virtualservice/web' };
const weights = (spec: VirtualServiceSpec, index = 0) =>
  (spec.http?.[index]?.route ?? []).map((d) => [d.destination?.host, d.weight]);

test('a lone stable destination: the step in whole percents, same host form and port, the result validates', () => {
  const original = {
    hosts: ['web'],
    http: [{ route: [to('web.demo.svc.cluster.local', undefined, { port: { number: 80 } })] }],
  };
  const { spec, stable } = weightedHttp(original, { ...options, weight: 10 });
  assert.equal(stable.length, 1);
  assert.deepEqual(weights(spec), [
    ['web.demo.svc.cluster.local', 80],
    ['web-canary.demo.svc.cluster.local', 10],
    ['web-baseline.demo.svc.cluster.local', 10],
  ]);
  assert.deepEqual(spec.http?.[0]?.route?.[1]?.destination?.port, { number: 80 });
  assert.equal(schemas.virtualservice(vs(spec)), undefined);
  assert.deepEqual(original.http[0]?.route, [
    to('web.demo.svc.cluster.local', undefined, { port: { number: 80 } }),
  ]);
});

test('other destinations keep their share exactly when the weights sum to 100; the subset is not copied', () => {
  const original = {
    http: [
      { match: [{ uri: { prefix: '/admin' } }], route: [to('admin')] },
      { route: [to('web', 60, { subset: 'v1' }), to('legacy', 40)] },
    ],
  };
  const { spec } = weightedHttp(original, { ...options, weight: 10, baseline: false });
  assert.deepEqual(spec.http?.[0], original.http[0]);
  assert.deepEqual(weights(spec, 1), [
    ['web', 54],
    ['web-canary', 6],
    ['legacy', 40],
  ]);
  assert.deepEqual(spec.http?.[1]?.route?.[1]?.destination, { host: 'web-canary' });
});

test('relative weights (a newer Istio) are written as the nearest whole percents', () => {
  assert.deepEqual(wholePercents([1, 2]), [33, 67]);
  assert.deepEqual(wholePercents([1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(wholePercents([70, 30]), [70, 30]);
  const { spec } = weightedHttp(
    { http: [{ route: [to('web', 1), to('legacy', 1)] }] },
    { ...options, weight: 10 },
  );
  assert.deepEqual(weights(spec), [
    ['web', 40],
    ['web-canary', 5],
    ['web-baseline', 5],
    ['legacy', 50],
  ]);
});

test('a step that is not a whole percent of the route is exit 2 naming traffic.steps and what works', () => {
  assert.throws(
    () => weightedHttp({ http: [{ route: [to('web')] }] }, { ...options, weight: 2.5 }),
    (e: Error) =>
      e instanceof ConfigError &&
      /traffic\.steps: 2\.5% of the 100% that virtualservice\/web http\[0\] sends to web is 2\.5%: Istio weights are whole percents \(steps that are multiples of 1 work/.test(
        e.message,
      ),
  );
  assert.throws(
    () => weightedHttp({ http: [{ route: [to('web', 50), to('x', 50)] }] }, { ...options, weight: 5 }),
    /is 2\.5%.*multiples of 2 work/,
  );
  assert.throws(
    () => weightedHttp({ http: [{ route: [to('web', 0), to('x', 0)] }] }, { ...options, weight: 5 }),
    /traffic\.route: .*weights total 0/,
  );
});

test('web.demo is not the stable Service for Istio; a route without it is not counted', () => {
  const { stable } = weightedHttp(
    { http: [{ route: [to('web.demo')] }, { route: [to('other')] }] },
    {
      ...options,
      weight: 10,
    },
  );
  assert.equal(stable.length, 0);
});

test('a header match adds a canary-only route just before each stable route, keeping its matches', () => {
  const original = {
    http: [
      { name: 'admin', match: [{ uri: { prefix: '/admin' } }], route: [to('admin')] },
      { name: 'main', match: [{ uri: { prefix: '/' } }], timeout: '5s', route: [to('web')] },
    ],
  };
  const { spec } = weightedHttp(original, {
    ...options,
    weight: 20,
    match: { header: 'X-Canary', regex: '^(yes|true)$' },
  });
  assert.deepEqual(
    spec.http?.map((r) => r.name),
    ['admin', 'main-canary-match', 'main'],
  );
  assert.deepEqual(spec.http?.[1], {
    name: 'main-canary-match',
    match: [{ uri: { prefix: '/' }, headers: { 'x-canary': { regex: '^(yes|true)$' } } }],
    timeout: '5s',
    route: [{ destination: { host: 'web-canary' }, weight: 100 }],
  });
  assert.equal(schemas.virtualservice(vs(spec)), undefined);
  assert.throws(
    () =>
      weightedHttp(
        { http: [{ match: [{ headers: { 'x-canary': { exact: 'a' } } }], route: [to('web')] }] },
        { ...options, weight: 20, match: { header: 'x-canary', exact: 'b' } },
      ),
    /traffic\.match: .* already matches on header x-canary/,
  );
});

const rule = (name: string, spec: Record<string, unknown>, creationTimestamp = '2026-01-01T00:00:00Z') => ({
  metadata: { name, namespace: 'demo', creationTimestamp },
  spec,
});

test('the DestinationRules for the stable host: exact names (short or FQDN) first, else the most specific wildcard', () => {
  const rules = [
    rule('all', { host: '*.svc.cluster.local' }),
    rule('ns', { host: '*.demo.svc.cluster.local' }),
    rule('some-clients', { host: 'web', workloadSelector: { matchLabels: { app: 'x' } } }),
  ];
  assert.deepEqual(
    rulesFor(rules, 'web', 'demo').map((r) => r.metadata.name),
    ['ns'],
  );
  const exact = [
    ...rules,
    rule('b', { host: 'web.demo.svc.cluster.local' }, '2026-01-02T00:00:00Z'),
    rule('a', { host: 'web' }),
  ];
  assert.deepEqual(
    rulesFor(exact, 'web', 'demo').map((r) => r.metadata.name),
    ['a', 'b'],
  );
});

test("a subset's policy is merged over its host's as Istio does, port-level settings included", () => {
  const host = {
    connectionPool: { tcp: { maxConnections: 10 } },
    loadBalancer: { simple: 'ROUND_ROBIN' },
    portLevelSettings: [
      { port: { number: 80 }, loadBalancer: { simple: 'RANDOM' } },
      { port: { number: 9090 }, outlierDetection: { consecutive5xxErrors: 3 } },
    ],
  };
  const subset = {
    loadBalancer: { simple: 'LEAST_REQUEST' },
    portLevelSettings: [{ port: { number: 9090 }, tls: { mode: 'ISTIO_MUTUAL' } }],
  };
  assert.deepEqual(mergePolicies(host, subset), {
    connectionPool: { tcp: { maxConnections: 10 } },
    loadBalancer: { simple: 'LEAST_REQUEST' },
    portLevelSettings: [
      { port: { number: 9090 }, tls: { mode: 'ISTIO_MUTUAL' } },
      { port: { number: 80 }, loadBalancer: { simple: 'LEAST_REQUEST' } },
    ],
  });
  assert.deepEqual(mergePolicies(host, undefined), host);
});

test("the tracks' policy: the stable destination's; none without one; exit 2 for a missing subset or two policies", () => {
  const rules = [
    rule('web', {
      host: 'web',
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 5 } } },
      subsets: [
        {
          name: 'v1',
          labels: { version: 'v1' },
          trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
        },
        { name: 'v2', labels: { version: 'v2' } },
      ],
      exportTo: ['.'],
    }),
  ];
  const opts = { service: 'web', namespace: 'demo', label: 'virtualservice/web' };
  assert.deepEqual(trackPolicy(rules, [{ host: 'web', subset: 'v1' }], opts), {
    trafficPolicy: {
      connectionPool: { http: { http1MaxPendingRequests: 5 } },
      loadBalancer: { simple: 'LEAST_REQUEST' },
    },
    exportTo: ['.'],
  });
  assert.equal(
    trackPolicy(
      [rule('x', { host: 'web', subsets: [{ name: 'v1' }] })],
      [{ host: 'web', subset: 'v1' }],
      opts,
    ),
    undefined,
  );
  assert.equal(trackPolicy([], [{ host: 'web' }], opts), undefined);
  assert.throws(
    () => trackPolicy(rules, [{ host: 'web', subset: 'v3' }], opts),
    /traffic\.route: .*subset v3 of web/,
  );
  assert.throws(
    () =>
      trackPolicy(
        rules,
        [
          { host: 'web', subset: 'v1' },
          { host: 'web', subset: 'v2' },
        ],
        opts,
      ),
    /different traffic policies from their subsets \(v1, v2\)/,
  );
});

test('acceptance: no status is untracked; an older generation pending; an ERROR message rejects; Reconciled decides', () => {
  const at = (status?: Record<string, unknown>) => ({
    metadata: { generation: 3 },
    ...(status ? { status } : {}),
  });
  assert.deepEqual(istioAcceptance(at()), { state: 'untracked' });
  assert.deepEqual(istioAcceptance(at({ observedGeneration: '2' })), {
    state: 'pending',
    message: 'istiod has reported generation 2, not 3 yet',
  });
  const error = {
    level: 'ERROR',
    type: { code: 'IST0101' },
    documentationUrl: 'https://istio.io/x/ist0101/',
  };
  assert.deepEqual(
    istioAcceptance(
      at({ observedGeneration: '3', validationMessages: [error, { ...error, level: 'WARNING' }] }),
    ),
    {
      state: 'rejected',
      message: "istiod's analysis reports IST0101 (ERROR, https://istio.io/x/ist0101/)",
    },
  );
  const reconciled = (status: string) => ({ type: 'Reconciled', status, message: '1/2 proxies up to date.' });
  assert.deepEqual(istioAcceptance(at({ observedGeneration: 3, conditions: [reconciled('False')] })), {
    state: 'pending',
    message: 'istiod reports Reconciled False: 1/2 proxies up to date.',
  });
  assert.deepEqual(istioAcceptance(at({ observedGeneration: '3', conditions: [reconciled('True')] })), {
    state: 'accepted',
  });
  assert.deepEqual(istioAcceptance(at({ observedGeneration: '3', validationMessages: [] })), {
    state: 'accepted',
  });
});

test('the router: exit 2 before any change for a bad step; DestinationRules of its own, trusted without status, removed at reset', async () => {
  const cluster = new FakeCluster();
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'demo' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
  const route = { ...vs({ hosts: ['web'], http: [{ route: [to('web', undefined, { subset: 'v1' })] }] }) };
  const userRule = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'web', namespace: 'demo' },
    spec: {
      host: 'web',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      subsets: [{ name: 'v1', labels: { v: '1' } }],
    },
  };
  cluster.seed(service, route, userRule);
  const lines: string[] = [];
  const make = (steps: number[]) =>
    istioRouter({
      cluster,
      platform: quietPlatform(lines),
      workload: 'web',
      acceptTimeoutMs: 1000,
      traffic: { router: 'istio', route: 'virtualservice/web', steps, baseline: true },
    });
  await assert.rejects(make([10, 12.5]).prepare(), /traffic\.steps: 12\.5% of the 100%/);
  assert.deepEqual(cluster.writes, []);

  const router = make([10, 40]);
  await router.prepare();
  const objects = router.route({ weight: 10, stableReplicas: 2 }).objects;
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Service/web-canary',
      'Service/web-baseline',
      'DestinationRule/web-canary',
      'DestinationRule/web-baseline',
    ],
  );
  const ruleForCanary = objects[2]!;
  assert.deepEqual(ruleForCanary.spec, {
    host: 'web-canary.demo.svc.cluster.local',
    trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
  });
  assert.equal(schemas.destinationrule(ruleForCanary), undefined);
  for (const o of objects) await cluster.apply(o);
  await router.setWeight(10);
  await router.setWeight(40);
  assert.equal(lines.filter((l) => /carries no status from istiod/.test(l)).length, 1, lines.join('\n'));
  const live = await cluster.get({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    name: 'web',
  });
  assert.deepEqual(weights(live?.spec as VirtualServiceSpec), [
    ['web', 20],
    ['web-canary', 40],
    ['web-baseline', 40],
  ]);
  await router.reset();
  const after = await cluster.get({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    name: 'web',
  });
  assert.equal(JSON.stringify(after?.spec), JSON.stringify(route.spec));
  assert.deepEqual(
    [...cluster.objects.keys()].sort(),
    ['DestinationRule/web', 'Service/web', 'VirtualService/web'],
    "the user's DestinationRule stays, ours are gone",
  );
});
