import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promqlByPod } from '../../../src/metrics/promql-by-pod.ts';

describe('promqlByPod', () => {
  const cases: Array<[string, string | undefined]> = [
    ['sum(increase(x{a="1"}[30s]))', 'sum by (pod) (increase(x{a="1"}[30s]))'],
    ['  sum (increase(x[30s]))  ', 'sum by (pod) (increase(x[30s]))'],
    ['sum by (le) (increase(h_bucket{a="1"}[30s]))', 'sum by (pod, le) (increase(h_bucket{a="1"}[30s]))'],
    ['sum by (pod) (x)', 'sum by (pod) (x)'],
    ['sum(increase(x{code=~"5.."}[30s]))', 'sum by (pod) (increase(x{code=~"5.."}[30s]))'],
    ['sum(increase(x{path=")"}[30s]))', 'sum by (pod) (increase(x{path=")"}[30s]))'],
    ['sum(rate(x[1m])) / sum(rate(y[1m]))', undefined],
    ['sum without (instance) (x)', undefined],
    ['rate(x[1m])', undefined],
    ['max(x)', undefined],
    ['sum(x', undefined],
  ];
  for (const [query, expected] of cases) {
    test(JSON.stringify(query), () => assert.equal(promqlByPod(query), expected));
  }
});
