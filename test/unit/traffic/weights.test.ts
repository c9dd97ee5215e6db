import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptance } from '../../../src/traffic/gateway-status.ts';
import { weightedRules } from '../../../src/traffic/weights.ts';
import { loadK8sSchemas } from '../../integration/sandbox/helpers.ts';

const schemas = loadK8sSchemas();
const ref = (name: string, weight?: number) => ({
  group: '',
  kind: 'Service',
  name,
  port: 80,
  ...(weight === undefined ? {} : { weight }),
});
const original = {
  parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }],
  rules: [
    {
      matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
      backendRefs: [ref('web', 3), ref('legacy', 1)],
    },
    { backendRefs: [ref('other')] },
  ],
};
const route = (spec: unknown) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'demo' },
  spec,
});

test('the stable share is split; other backends and rules keep theirs; the result validates', () => {
  const { spec, stableRules } = weightedRules(original, {
    service: 'web',
    namespace: 'demo',
    weight: 10,
    baseline: true,
  });
  assert.equal(stableRules, 1);
  const refs = spec.rules?.[0]?.backendRefs ?? [];
  assert.deepEqual(
    refs.map((r) => [r.name, r.weight]),
    [
      ['web', 2400],
      ['web-canary', 300],
      ['web-baseline', 300],
      ['legacy', 1000],
    ],
  );
  assert.deepEqual(spec.rules?.[1], original.rules[1]);
  assert.equal(schemas.httproute(route(spec)), undefined);
  assert.deepEqual(
    original.rules[0]?.backendRefs,
    [ref('web', 3), ref('legacy', 1)],
    'the original is not mutated',
  );
});

test('weights above 1000 are scaled less, so none passes the API maximum of 1,000,000 and every share stays exact', () => {
  const heavy = { ...original, rules: [{ backendRefs: [ref('web', 9000), ref('legacy', 1000)] }] };
  const { spec } = weightedRules(heavy, { service: 'web', namespace: 'demo', weight: 10, baseline: true });
  const refs = spec.rules?.[0]?.backendRefs ?? [];
  // Scaled by 111 (the most that keeps 9000 within 1,000,000), not 1000: 9,000,000 would be refused (422).
  assert.deepEqual(
    refs.map((r) => [r.name, r.weight]),
    [
      ['web', 799200],
      ['web-canary', 99900],
      ['web-baseline', 99900],
      ['legacy', 111000],
    ],
  );
  assert.equal(schemas.httproute(route(spec)), undefined);
  const max = weightedRules(
    { rules: [{ backendRefs: [ref('web', 1_000_000)] }] },
    { service: 'web', namespace: 'demo', weight: 5, baseline: false },
  ).spec;
  assert.deepEqual(
    max.rules?.[0]?.backendRefs?.map((r) => r.weight),
    [950_000, 50_000],
  );
  assert.equal(schemas.httproute(route({ ...original, ...max })), undefined);
});

test('a header match adds a canary-only rule per stable rule', () => {
  const { spec } = weightedRules(original, {
    service: 'web',
    namespace: 'demo',
    weight: 5,
    baseline: false,
    match: { header: 'x-canary', regex: '^(yes|true)$' },
  });
  assert.equal(spec.rules?.length, 3);
  const ab = spec.rules?.[2];
  assert.deepEqual(ab?.matches, [
    {
      path: { type: 'PathPrefix', value: '/api' },
      headers: [{ type: 'RegularExpression', name: 'x-canary', value: '^(yes|true)$' }],
    },
  ]);
  assert.deepEqual(
    ab?.backendRefs?.map((r) => r.name),
    ['web-canary'],
  );
  assert.equal(schemas.httproute(route(spec)), undefined);
});

test('a route without the stable Service has no stable rule', () => {
  assert.equal(
    weightedRules(original, { service: 'nope', namespace: 'demo', weight: 5, baseline: true }).stableRules,
    0,
  );
});

test('acceptance: every parent at the current generation; False carries the reason and message', () => {
  const at = (status: string, generation: number, reason = 'Accepted') => ({
    metadata: { namespace: 'demo', generation: 2 },
    spec: { parentRefs: [{ name: 'public' }] },
    status: {
      parents: [
        {
          parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' },
          conditions: [
            { type: 'Accepted', status, reason, message: 'because', observedGeneration: generation },
          ],
        },
      ],
    },
  });
  assert.deepEqual(acceptance(at('True', 2)), { state: 'accepted' });
  assert.equal(acceptance(at('True', 1)).state, 'pending');
  assert.deepEqual(acceptance(at('False', 2, 'NotAllowedByListeners')), {
    state: 'rejected',
    message: 'Gateway public: Accepted False (NotAllowedByListeners): because',
  });
  assert.equal(acceptance({ ...at('True', 2), status: {} }).state, 'pending');
});
