/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The routing tables and per-request decisions the sandbox's routers compute, checked on a cluster
 * state without listeners or processes: the details the traffic tests do not reach.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceApi } from '../../sandbox/apiserver/rest.ts';
import { Store } from '../../sandbox/apiserver/store.ts';
import { Cluster, T } from '../../sandbox/controllers/cluster.ts';
import { GATEWAY_CONTROLLER, evaluateGatewayApi } from '../../sandbox/routing/gateway-api.ts';
import {
  INGRESS_NGINX_CONTROLLER,
  evaluateIngresses,
  haproxyServers,
  rebalanceWeight,
} from '../../sandbox/routing/ingress.ts';
import { evaluateIstio } from '../../sandbox/routing/istio.ts';
import type { RequestInfo, RouteTable } from '../../sandbox/routing/table.ts';
import { compileRouter, nginxRoutesToCanary, selectVirtualHost } from '../../sandbox/routing/table.ts';

const write = { manager: 'test' };

function cluster(): Cluster {
  const store = new Store();
  const api = new ResourceApi(store);
  for (const name of ['demo', 'other', 'istio-system'])
    api.create(T.namespaces, undefined, { metadata: { name, labels: { team: name } } }, write);
  return new Cluster(store, api);
}

function pod(c: Cluster, name: string, ip: string, labels: Record<string, string>): void {
  c.store.create(T.pods, {
    metadata: { name, namespace: 'demo', labels },
    spec: { containers: [{ name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  });
}

function service(c: Cluster, name: string, selector: Record<string, string>): void {
  c.api.create(
    T.services,
    'demo',
    { metadata: { name }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    write,
  );
}

function request(path: string, headers: Record<string, string> = {}, method = 'GET'): RequestInfo {
  const url = new URL(path, 'http://x');
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    host: (headers.host ?? '').toLowerCase(),
  };
}

const routeOf = (table: RouteTable, req: RequestInfo) => {
  const decision = compileRouter(table, () => 0)(req);
  return 'backend' in decision ? decision.route : `${decision.status}`;
};

describe('routing tables', () => {
  test('wildcard hosts: any depth for Envoy, one label for the ingress controllers', () => {
    const vhosts = [{ hostnames: ['*.example.com'], routes: [] }];
    assert.ok(selectVirtualHost({ proxy: 'envoy', virtualHosts: vhosts }, 'a.b.example.com'));
    assert.ok(selectVirtualHost({ proxy: 'nginx', virtualHosts: vhosts }, 'b.example.com'));
    assert.equal(selectVirtualHost({ proxy: 'nginx', virtualHosts: vhosts }, 'a.b.example.com'), undefined);
    assert.equal(selectVirtualHost({ proxy: 'envoy', virtualHosts: vhosts }, 'example.com'), undefined);
  });

  test('ingress-nginx canary: cookie always/never after the header, totals of 100 or less count as 100', () => {
    const canary = {
      cluster: { name: 'c', endpoints: [] },
      header: 'x-canary',
      cookie: 'canary',
      weight: 50,
      weightTotal: 100,
    };
    const high = () => 0.99;
    const low = () => 0;
    assert.equal(nginxRoutesToCanary(canary, request('/', { cookie: 'a=1; canary=always' }), high), true);
    assert.equal(nginxRoutesToCanary(canary, request('/', { cookie: 'canary=never' }), low), false);
    assert.equal(
      nginxRoutesToCanary(canary, request('/', { 'x-canary': 'always', cookie: 'canary=never' }), high),
      true,
    );
    assert.equal(nginxRoutesToCanary(canary, request('/'), low), true, 'math.random(100) = 1 <= 50');
    assert.equal(nginxRoutesToCanary(canary, request('/'), high), false, 'math.random(100) = 100 > 50');
    const small = { ...canary, weight: 40, weightTotal: 50 };
    assert.equal(
      nginxRoutesToCanary(small, request('/'), () => 0.45),
      false,
      'total 50 is read as 100',
    );
  });

  test('HAProxy RebalanceWeight: group shares whatever the pod counts, within HAProxy weights', () => {
    const groups = [
      { weight: 1, length: 2 },
      { weight: 4, length: 1 },
    ];
    rebalanceWeight(groups, 1);
    assert.deepEqual(groups, [
      { weight: 1, length: 2 },
      { weight: 8, length: 1 },
    ]);
    const wide = [
      { weight: 1, length: 3 },
      { weight: 255, length: 1 },
    ];
    rebalanceWeight(wide, 1);
    assert.ok(wide[1]!.weight <= 256 && wide[0]!.weight >= 1, JSON.stringify(wide));
    const empty = [
      { weight: 3, length: 0 },
      { weight: 1, length: 2 },
    ];
    rebalanceWeight(empty, 1);
    assert.deepEqual(empty[1], { weight: 1, length: 2 });
  });
});

describe('HAProxy Ingress servers', () => {
  const endpoint = (pod: string, group: string) => ({
    host: `127.9.0.${pod.length}`,
    port: 8080,
    pod,
    labels: { group },
  });
  const source = (annotations: Record<string, string>) => ({ metadata: { name: 's', annotations } }) as any;

  test('the blue-green-deploy alias, initial-weight, and a cookie selector; the first prefix wins', () => {
    const endpoints = [endpoint('a', 'blue'), endpoint('bb', 'green')];
    const { servers, selector } = haproxyServers(endpoints, [
      source({
        'ingress.kubernetes.io/blue-green-deploy': 'group=blue=1,group=green=3',
        'haproxy-ingress.github.io/initial-weight': '10',
        'haproxy-ingress.github.io/blue-green-cookie': 'Server:group',
        'ingress.kubernetes.io/blue-green-cookie': 'Other:group',
      }),
    ]);
    assert.deepEqual(
      servers.map((s) => [s.weight, s.label]),
      [
        [10, 'blue'],
        [30, 'green'],
      ],
    );
    assert.deepEqual(selector, { cookie: 'Server' });
    const table: RouteTable = {
      proxy: 'haproxy',
      virtualHosts: [
        {
          hostnames: ['*'],
          routes: [
            {
              source: 's',
              matches: [],
              action: { kind: 'haproxy', backend: 'b', servers, selector: selector! },
            },
          ],
        },
      ],
    };
    assert.match(routeOf(table, request('/', { cookie: 'Server=green' })), /\(green\)$/);
  });

  test('an invalid weight list disables blue/green (every server at weight 1)', () => {
    const { servers } = haproxyServers(
      [endpoint('a', 'blue'), endpoint('bb', 'green')],
      [source({ 'haproxy-ingress.github.io/blue-green-balance': 'group=blue=1,group=green' })],
    );
    assert.deepEqual(
      servers.map((s) => s.weight),
      [1, 1],
    );
  });
});

describe('Gateway API model', () => {
  function setup(): Cluster {
    const c = cluster();
    pod(c, 'web-1', '127.9.0.1', { app: 'web' });
    service(c, 'web', { app: 'web' });
    c.api.create(
      T.gatewayclasses,
      undefined,
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'sandbox' },
        spec: { controllerName: GATEWAY_CONTROLLER },
      },
      write,
    );
    c.api.create(
      T.gateways,
      'demo',
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw' },
        spec: {
          gatewayClassName: 'sandbox',
          listeners: [
            { name: 'a', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
            { name: 'b', port: 81, protocol: 'HTTP', hostname: 'x.example.com' },
            { name: 'c', port: 81, protocol: 'HTTP', hostname: 'x.example.com' },
          ],
        },
      },
      write,
    );
    return c;
  }
  const route = (c: Cluster, namespace: string, name: string, spec: Record<string, unknown>) =>
    c.api.create(
      T.httproutes,
      namespace,
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name }, spec },
      write,
    );
  const parent = (model: ReturnType<typeof evaluateGatewayApi>, key: string, index = 0) =>
    Object.fromEntries(
      model.routeParents.get(key)![index]!.conditions.map((c) => [c.type, [c.status, c.reason]]),
    );

  test('listeners with one port and hostname conflict; allowedRoutes from All admits other namespaces', () => {
    const c = setup();
    route(c, 'other', 'r', {
      parentRefs: [{ name: 'gw', namespace: 'demo', sectionName: 'a' }],
      rules: [{ backendRefs: [{ name: 'web', namespace: 'demo', port: 80 }] }],
    });
    const model = evaluateGatewayApi(c);
    const listeners = model.gateways.get('demo/gw')!.listeners;
    const conflicted = (name: string) =>
      listeners.find((l) => l.name === name)!.conditions.find((x) => x.type === 'Conflicted')!;
    assert.deepEqual(
      [conflicted('a').status, conflicted('b').status, conflicted('b').reason],
      ['False', 'True', 'HostnameConflict'],
    );
    assert.deepEqual(parent(model, 'other/r'), {
      Accepted: ['True', 'Accepted'],
      ResolvedRefs: ['False', 'RefNotPermitted'],
    });
    assert.deepEqual(
      [...model.gatewayTables.get('demo/gw')!.keys()],
      [80],
      'the conflicted port has no listener',
    );
  });

  test('InvalidKind, UnsupportedValue for unimplemented filters, header modifiers in the table', () => {
    const c = setup();
    route(c, 'demo', 'kinds', {
      parentRefs: [{ name: 'gw' }],
      rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }],
    });
    route(c, 'demo', 'rewrite', {
      parentRefs: [{ name: 'gw' }],
      rules: [
        {
          filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'y' } }],
          backendRefs: [{ name: 'web', port: 80 }],
        },
      ],
    });
    route(c, 'demo', 'headers', {
      parentRefs: [{ name: 'gw' }],
      hostnames: ['h.example.com'],
      rules: [
        {
          filters: [
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: { set: [{ name: 'x-env', value: 'canary' }] },
            },
          ],
          backendRefs: [{ name: 'web', port: 80 }],
        },
      ],
    });
    const model = evaluateGatewayApi(c);
    assert.deepEqual(parent(model, 'demo/kinds').ResolvedRefs, ['False', 'InvalidKind']);
    assert.deepEqual(parent(model, 'demo/rewrite').Accepted, ['False', 'UnsupportedValue']);
    const table = model.gatewayTables.get('demo/gw')!.get(80)!;
    const decision = compileRouter(table)(request('/', { host: 'h.example.com' }));
    assert.ok('backend' in decision);
    assert.deepEqual(decision.requestHeaders, { set: { 'x-env': 'canary' } });
    assert.equal(routeOf(table, request('/', { host: 'any.example.com' })), '500', 'the invalid kind: 500');
  });
});

describe('Istio model', () => {
  test('queryParams, authority, directResponse, source labels; the DestinationRule in istio-system', () => {
    const c = cluster();
    pod(c, 'web-1', '127.9.0.1', { app: 'web', track: 'stable' });
    pod(c, 'web-2', '127.9.0.2', { app: 'web', track: 'canary' });
    service(c, 'web', { app: 'web' });
    c.api.create(
      T.destinationrules,
      'istio-system',
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'web' },
        spec: {
          host: 'web.demo.svc.cluster.local',
          subsets: [{ name: 'canary', labels: { track: 'canary' } }],
        },
      },
      write,
    );
    c.api.create(
      T.virtualservices,
      'demo',
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'web' },
        spec: {
          hosts: ['web'],
          http: [
            {
              name: 'labels',
              match: [{ sourceLabels: { app: 'client' } }],
              route: [{ destination: { host: 'web' } }],
            },
            {
              name: 'query',
              match: [{ queryParams: { v: { exact: '2' } } }],
              route: [{ destination: { host: 'web', subset: 'canary' } }],
            },
            {
              name: 'authority',
              match: [{ authority: { prefix: 'web.demo' } }],
              directResponse: { status: 418, body: { string: 'teapot' } },
            },
            { name: 'other-port', match: [{ port: 8080 }], directResponse: { status: 500 } },
            { name: 'https', match: [{ scheme: { exact: 'https' } }], directResponse: { status: 500 } },
            {
              name: 'method',
              match: [{ method: { regex: 'P(UT|OST)' } }],
              route: [{ destination: { host: 'web', subset: 'canary' } }],
            },
          ],
        },
      },
      write,
    );
    const table = evaluateIstio(c).get('demo/web')!.get(80)!;
    const router = compileRouter(table);
    const canary = router(request('/?v=2'));
    assert.ok('backend' in canary);
    assert.deepEqual(canary.backend, { host: '127.9.0.2', port: 8080 });
    assert.deepEqual(router(request('/', { host: 'web.demo:80' })), {
      status: 418,
      body: 'teapot\n',
      route: 'VirtualService demo/web http[2] (authority)',
    });
    assert.equal(
      routeOf(table, request('/')),
      '404',
      'sourceLabels never match the sandbox client; other ports and schemes do not match port 80 over http',
    );
    assert.match(routeOf(table, request('/', {}, 'PUT')), /\(method\) -> demo\/web:80 subset canary$/);
    assert.equal(routeOf(table, request('/', {}, 'PATCH')), '404');
  });
});

describe('Ingress model', () => {
  test('a wildcard host rule (one label); a backend Service without endpoints is 503, no rule is 404', () => {
    const c = cluster();
    c.api.create(
      T.ingressclasses,
      undefined,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'nginx' },
        spec: { controller: INGRESS_NGINX_CONTROLLER },
      },
      write,
    );
    c.api.create(
      T.ingresses,
      'demo',
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
        spec: {
          rules: [
            {
              host: '*.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'missing', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
      write,
    );
    const table = evaluateIngresses(c).get('nginx')!.table;
    assert.equal(
      routeOf(table, request('/', { host: 'a.example.com' })),
      '503',
      'a Service without endpoints',
    );
    assert.equal(routeOf(table, request('/', { host: 'a.b.example.com' })), '404');
  });
});
