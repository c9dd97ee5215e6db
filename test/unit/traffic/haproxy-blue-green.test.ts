import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backendProblem,
  blueGreenAnnotations,
  blueGreenChanges,
  blueGreenConfig,
  matchProblem,
  MAX_POD_WEIGHT,
  ORIGINAL_ANNOTATIONS,
  podWeights,
  served,
  sharesOf,
  stableGroup,
  stableSelector,
} from '../../../src/traffic/haproxy-blue-green.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import type { ConfigError } from '../../../src/util/errors.ts';
import { rebalanceWeight } from '../../sandbox/routing/ingress.ts';

const object = (kind: string, name: string, rest: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...((rest.metadata as object) ?? {}) },
  ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'metadata')),
});

test('pod weights give the canary (and the baseline) the step weight exactly where small integers can', () => {
  assert.deepEqual(podWeights(10, { stable: 2, canary: 1, baseline: 1 }, true), {
    stable: 4,
    canary: 1,
    baseline: 1,
  });
  assert.deepEqual(podWeights(40, { stable: 2, canary: 1, baseline: 1 }, true), {
    stable: 1,
    canary: 4,
    baseline: 4,
  });
  assert.deepEqual(podWeights(10, { stable: 3, canary: 1, baseline: 0 }, false), {
    stable: 3,
    canary: 1,
    baseline: 0,
  });
  // All of it to the canary and the baseline: the stable's pods get 0.
  assert.deepEqual(podWeights(50, { stable: 4, canary: 2, baseline: 2 }, true), {
    stable: 0,
    canary: 1,
    baseline: 1,
  });
  assert.deepEqual(podWeights(100, { stable: 4, canary: 2, baseline: 0 }, false).stable, 0);
});

test('for every pod count up to 40 stable and 12 canary pods, the shares are within 0.1 points of the weight', () => {
  let worst = 0;
  for (const weight of [0.5, 1, 5, 10, 20, 25, 33, 40, 50])
    for (let stable = 1; stable <= 40; stable += 1)
      for (let canary = 1; canary <= Math.min(12, stable); canary += 1) {
        const pods = { stable, canary, baseline: canary };
        const weights = podWeights(weight, pods, true);
        const shares = sharesOf(weights, pods);
        for (const w of Object.values(weights))
          assert.ok(Number.isInteger(w) && w >= 0 && w <= MAX_POD_WEIGHT);
        worst = Math.max(worst, Math.abs(shares.canary - weight), Math.abs(shares.baseline - weight));
      }
  assert.ok(worst <= 0.1, `worst error ${worst.toFixed(3)} points`);
});

test("deploy mode's rebalancing (initial-weight 1) misses the weight by more than 3 points where pod mode does not", () => {
  // The reason the router uses blue-green-mode: pod (docs/traffic.md): 5% with 10 stable pods.
  const clusters = [
    { weight: 90, length: 10 },
    { weight: 5, length: 1 },
    { weight: 5, length: 1 },
  ];
  rebalanceWeight(clusters, 1);
  const [s, c, b] = clusters.map((x) => x.weight) as [number, number, number];
  const deployShare = sharesOf({ stable: s, canary: c, baseline: b }, { stable: 10, canary: 1, baseline: 1 });
  assert.ok(Math.abs(deployShare.canary - 5) > 3, `deploy mode: ${deployShare.canary.toFixed(1)}%`);
  const pods = { stable: 10, canary: 1, baseline: 1 };
  assert.ok(Math.abs(sharesOf(podWeights(5, pods, true), pods).canary - 5) < 0.5);
});

test('the annotations: balance by track in pod mode, the header names the match label', () => {
  const config = blueGreenConfig({
    stableTrack: 'stable',
    weights: { stable: 4, canary: 1, baseline: 1 },
    baseline: true,
    header: 'x-canary',
  });
  assert.deepEqual(config, {
    'haproxy-ingress.github.io/blue-green-balance': 'track=stable=4,track=canary=1,track=baseline=1',
    'haproxy-ingress.github.io/blue-green-mode': 'pod',
    'haproxy-ingress.github.io/blue-green-header': 'x-canary:canary-action-match',
  });
  const alone = blueGreenConfig({
    stableTrack: 'prod',
    weights: { stable: 9, canary: 1, baseline: 0 },
    baseline: false,
  });
  assert.equal(alone['haproxy-ingress.github.io/blue-green-balance'], 'track=prod=9,track=canary=1');
});

test('changes replace every blue-green key under both prefixes, keep the original, and put it back', () => {
  const before = {
    'ingress.kubernetes.io/blue-green-cookie': 'SRV:group',
    'haproxy-ingress.github.io/blue-green-mode': 'deploy',
    'haproxy-ingress.github.io/timeout-server': '30s',
  };
  const original = blueGreenAnnotations(before);
  assert.deepEqual(Object.keys(original).sort(), [
    'haproxy-ingress.github.io/blue-green-mode',
    'ingress.kubernetes.io/blue-green-cookie',
  ]);
  const apply = (a: Record<string, string>, changes: Record<string, string | undefined>) => {
    const out = { ...a };
    for (const [k, v] of Object.entries(changes))
      if (v === undefined) delete out[k];
      else out[k] = v;
    return out;
  };
  const wanted = { 'haproxy-ingress.github.io/blue-green-balance': 'track=stable=1,track=canary=1' };
  const during = apply(before, blueGreenChanges(wanted, original));
  assert.deepEqual(during, {
    ...wanted,
    'haproxy-ingress.github.io/timeout-server': '30s',
    [ORIGINAL_ANNOTATIONS]: JSON.stringify(original),
  });
  assert.deepEqual(apply(during, blueGreenChanges(original, undefined)), before);
});

test('traffic.match: an exact value that can be a pod label, and a header HAProxy Ingress accepts', () => {
  assert.equal(matchProblem({ header: 'x-canary', exact: 'yes' }), undefined);
  assert.match(matchProblem({ header: 'x-canary', regex: '^a' }) ?? '', /exact header value only/);
  assert.match(matchProblem({ header: 'x-canary', exact: 'a b' }) ?? '', /must be a label value/);
  assert.match(matchProblem({ header: 'x-canary', exact: 'x'.repeat(64) }) ?? '', /at most 63/);
  assert.match(matchProblem({ header: 'x~canary', exact: 'yes' }) ?? '', /HAProxy Ingress takes letters/);
});

test('the Ingress must send to the stable Service, and to it only', () => {
  const ingress = (paths: unknown[], defaultBackend?: unknown) =>
    object('Ingress', 'web', {
      spec: { rules: [{ http: { paths } }], ...(defaultBackend ? { defaultBackend } : {}) },
    });
  const to = (name: string) => ({
    path: '/',
    pathType: 'Prefix',
    backend: { service: { name, port: { number: 80 } } },
  });
  assert.equal(backendProblem(ingress([to('web'), to('web')]), 'web'), undefined);
  assert.match(
    backendProblem(ingress([to('other')]), 'web') ?? '',
    /has no rule with a backend to service\/web/,
  );
  assert.match(
    backendProblem(ingress([to('web')], { service: { name: 'static' } }), 'web') ?? '',
    /also sends to service\/static/,
  );
  const bucket = {
    path: '/s',
    pathType: 'Prefix',
    backend: { resource: { kind: 'StorageBucket', name: 'b' } },
  };
  assert.match(backendProblem(ingress([to('web'), bucket]), 'web') ?? '', /also sends to StorageBucket\/b/);
});

test('the stable Service: no blue-green keys of its own, a selector, and not on track', () => {
  const service = (annotations: Record<string, string>, selector?: Record<string, string>) =>
    object('Service', 'web', { metadata: { annotations }, spec: selector ? { selector } : {} });
  assert.deepEqual(stableSelector(service({}, { app: 'web' }), 'traffic.service'), { app: 'web' });
  assert.throws(
    () =>
      stableSelector(service({ 'ingress.kubernetes.io/blue-green-balance': 'v=1=1' }, { app: 'web' }), 'f'),
    (e: ConfigError) => e.path === 'f' && /carries ingress.kubernetes.io\/blue-green-balance/.test(e.message),
  );
  assert.throws(() => stableSelector(service({}), 'f'), /has no selector/);
  assert.throws(
    () => stableSelector(service({}, { app: 'web', track: 'stable' }), 'f'),
    /selects track=stable/,
  );
});

test("the stable's pods need a track label of their own, selected by the Service", () => {
  const stable = (labels: Record<string, string>, selector = labels) =>
    object('Deployment', 'web', {
      spec: { replicas: 3, selector: { matchLabels: selector }, template: { metadata: { labels } } },
    });
  assert.deepEqual(stableGroup(stable({ app: 'web', track: 'stable' }), { app: 'web' }), {
    replicas: 3,
    track: 'stable',
    inSelector: true,
  });
  assert.equal(
    stableGroup(stable({ app: 'web', track: 'stable' }, { app: 'web' }), { app: 'web' }).inSelector,
    false,
  );
  assert.throws(
    () => stableGroup(stable({ app: 'web' }), { app: 'web' }),
    (e: ConfigError) =>
      e.path === 'workload' && /add "track: stable" to spec.template.metadata.labels/.test(e.message),
  );
  assert.throws(
    () => stableGroup(stable({ app: 'web', track: 'canary' }), { app: 'web' }),
    /a label of their own/,
  );
  assert.throws(
    () => stableGroup(stable({ app: 'api', track: 'stable' }), { app: 'web' }),
    /does not select/,
  );
});

test('served: an address in status.loadBalancer, else pending', () => {
  assert.deepEqual(
    served(object('Ingress', 'web', { status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } } })),
    {
      state: 'accepted',
    },
  );
  assert.equal(served(object('Ingress', 'web', { status: { loadBalancer: {} } })).state, 'pending');
});
