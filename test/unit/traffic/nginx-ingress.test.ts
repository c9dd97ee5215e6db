import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import {
  canaryIngress,
  drift,
  headerAnnotations,
  matchProblem,
  rivalCanary,
  served,
  stableLocations,
  weightAnnotations,
} from '../../../src/traffic/nginx-ingress.ts';
import { loadK8sSchemas } from '../../integration/sandbox/helpers.ts';

const schemas = loadK8sSchemas();
const N = 'nginx.ingress.kubernetes.io/';

const path = (p: string, service: string, pathType = 'Prefix', port: object = { number: 80 }) => ({
  path: p,
  pathType,
  backend: { service: { name: service, port } },
});
const ingress = (
  name: string,
  rules: unknown[],
  options: { className?: string; annotations?: Record<string, string>; status?: unknown } = {},
): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'demo', ...(options.annotations ? { annotations: options.annotations } : {}) },
  spec: { ingressClassName: options.className ?? 'nginx', rules },
  ...(options.status ? { status: options.status } : {}),
});
const served127 = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
const main = ingress('web', [
  { host: 'web.example.com', http: { paths: [path('/', 'web'), path('/static', 'cdn')] } },
  { host: 'api.example.com', http: { paths: [path('/v1', 'web', 'Exact', { name: 'http' })] } },
  {
    http: {
      paths: [
        { pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } },
      ],
    },
  },
]);

/** The canary Ingress of `main` for its locations to Service web. */
const canaryOf = (backend: string, routing: Record<string, string>) =>
  canaryIngress({
    main,
    name: 'web-canary',
    backend,
    locations: stableLocations(main, 'web'),
    labels: { 'app.kubernetes.io/managed-by': 'canary-action' },
    routing,
  });

describe('nginx-ingress (pure)', () => {
  test("the main Ingress's locations to the stable Service, an empty path read as / (as ingress-nginx does)", () => {
    assert.deepEqual(stableLocations(main, 'web'), [
      { host: 'web.example.com', path: '/', pathType: 'Prefix', port: { number: 80 } },
      { host: 'api.example.com', path: '/v1', pathType: 'Exact', port: { name: 'http' } },
      { path: '/', pathType: 'ImplementationSpecific', port: { number: 80 } },
    ]);
    assert.deepEqual(stableLocations(main, 'other'), []);
  });

  test('the canary Ingress repeats those locations to its backend, with the class, the canary annotations and round robin', () => {
    const canary = canaryOf('web-canary-baseline', {
      ...weightAnnotations(20),
      ...headerAnnotations(undefined),
    });
    assert.equal(schemas.ingress(canary), undefined, 'it validates against the published Ingress schema');
    assert.deepEqual(canary.metadata.annotations, {
      [`${N}canary`]: 'true',
      [`${N}load-balance`]: 'round_robin',
      [`${N}canary-weight`]: '20',
    });
    assert.deepEqual(canary.spec, {
      ingressClassName: 'nginx',
      rules: [
        { host: 'web.example.com', http: { paths: [path('/', 'web-canary-baseline')] } },
        {
          host: 'api.example.com',
          http: { paths: [path('/v1', 'web-canary-baseline', 'Exact', { name: 'http' })] },
        },
        { http: { paths: [path('/', 'web-canary-baseline', 'ImplementationSpecific')] } },
      ],
    });
    const legacy = {
      ...main,
      metadata: { ...main.metadata, annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
    };
    const fromLegacy = canaryIngress({
      main: legacy,
      name: 'c',
      backend: 'b',
      locations: [],
      labels: {},
      routing: {},
    });
    assert.equal(fromLegacy.metadata.annotations?.['kubernetes.io/ingress.class'], 'nginx');
  });

  test('weights: whole percents alone, finer ones out of canary-weight-total 10000, finer than 0.01% refused', () => {
    assert.deepEqual(weightAnnotations(40), { [`${N}canary-weight`]: '40' });
    assert.deepEqual(weightAnnotations(100), { [`${N}canary-weight`]: '100' });
    assert.deepEqual(weightAnnotations(0.5), {
      [`${N}canary-weight`]: '50',
      [`${N}canary-weight-total`]: '10000',
    });
    assert.deepEqual(weightAnnotations(12.34), {
      [`${N}canary-weight`]: '1234',
      [`${N}canary-weight-total`]: '10000',
    });
    assert.equal(weightAnnotations(0.001), undefined);
  });

  test('header match: the exact value, or the regex anchored to the whole value; what nginx would drop is a problem', () => {
    assert.deepEqual(headerAnnotations({ header: 'x-canary', exact: 'yes' }), {
      [`${N}canary-by-header`]: 'x-canary',
      [`${N}canary-by-header-value`]: 'yes',
    });
    assert.deepEqual(headerAnnotations({ header: 'x-canary', regex: 'beta|alpha' }), {
      [`${N}canary-by-header`]: 'x-canary',
      [`${N}canary-by-header-pattern`]: '^(?:beta|alpha)$',
    });
    assert.equal(matchProblem({ header: 'x-canary', exact: 'v1.2:beta' }), undefined);
    assert.equal(matchProblem({ header: 'x-canary', regex: '^v\\d+(-rc)?$' }), undefined);
    assert.match(matchProblem({ header: 'x_canary', exact: 'a' }) ?? '', /letters, digits and "-"/);
    assert.match(matchProblem({ header: 'x-canary', exact: 'a b' }) ?? '', /canary-by-header-value/);
    assert.match(matchProblem({ header: 'x-canary', exact: '' }) ?? '', /canary-by-header-value/);
    assert.match(matchProblem({ header: 'x-canary', regex: 'a,b' }) ?? '', /canary-by-header-pattern/);
    assert.match(matchProblem({ header: 'x-canary', regex: '(' }) ?? '', /does not compile/);
  });

  test('a rival: another canary Ingress of the class on a location that sends to the stable Service', () => {
    const rival = ingress(
      'someone-else',
      [{ host: 'api.example.com', http: { paths: [path('/v1', 'x', 'Exact')] } }],
      {
        annotations: { [`${N}canary`]: 'True' },
      },
    );
    const otherClass = { ...rival, spec: { ...(rival.spec as object), ingressClassName: 'haproxy' } };
    const otherPath = ingress(
      'elsewhere',
      [{ host: 'web.example.com', http: { paths: [path('/static', 'x')] } }],
      {
        annotations: { [`${N}canary`]: 'true' },
      },
    );
    const ours = ingress('web-canary', [{ host: 'web.example.com', http: { paths: [path('/', 'x')] } }], {
      annotations: { [`${N}canary`]: 'true' },
    });
    const options = { className: 'nginx', service: 'web', own: 'web-canary' };
    assert.equal(rivalCanary([main, otherClass, otherPath, ours], options), undefined);
    assert.equal(rivalCanary([main, rival, ours], options)?.metadata.name, 'someone-else');
  });

  test('drift: a changed nginx annotation, class or rule is named; other metadata and status are not', () => {
    const written = canaryOf('b', { ...weightAnnotations(20) });
    const live = structuredClone(written);
    live.metadata.annotations = { ...live.metadata.annotations, 'argocd.argoproj.io/tracking-id': 'x' };
    live.metadata.resourceVersion = '9';
    live.status = served127;
    assert.equal(drift(live, written), undefined);
    const zero = structuredClone(live);
    zero.metadata.annotations![`${N}canary-weight`] = '0';
    assert.equal(drift(zero, written), `${N}canary-weight is "0", not "20"`);
    const cookie = structuredClone(live);
    cookie.metadata.annotations![`${N}canary-by-cookie`] = 'beta';
    assert.equal(drift(cookie, written), `${N}canary-by-cookie is "beta", not null`);
    const rules = structuredClone(live);
    (rules.spec as { rules: unknown[] }).rules.pop();
    assert.equal(drift(rules, written), 'its rules changed');
  });

  test('served: the canary Ingress carries the main Ingress’s load-balancer addresses', () => {
    const withStatus = (status?: unknown) => ingress('x', [], status ? { status } : {});
    assert.deepEqual(served(withStatus(served127), withStatus(served127)), { state: 'accepted' });
    assert.equal(served(undefined, withStatus(served127)).state, 'pending');
    assert.match(
      (served(withStatus(), withStatus(served127)) as { message: string }).message,
      /no load-balancer address \(the main Ingress: \{"ip":"127.0.0.1"\}\)/,
    );
    const other = { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } };
    assert.equal(served(withStatus(other), withStatus(served127)).state, 'pending');
  });
});
