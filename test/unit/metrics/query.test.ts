import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderQuery, unknownVariables } from '../../../src/metrics/query.ts';

const variables = {
  selector: 'pod=~"web-canary-.+"',
  interval: '30s',
  track: 'can"ary',
  namespace: 'a\\b',
  workload: 'web',
};
const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

describe('query variables', () => {
  test('fills every variable, escaping label values but not the selector', () => {
    const query =
      'sum(increase(x{ {{selector}}, track="{{ track }}", ns="{{namespace}}", w="{{workload}}" }[{{interval}}]))';
    assert.equal(
      renderQuery(query, variables, escape),
      'sum(increase(x{ pod=~"web-canary-.+", track="can\\"ary", ns="a\\\\b", w="web" }[30s]))',
    );
  });

  test('a selector written without spaces inside the braces', () => {
    assert.equal(renderQuery('x{{{selector}}}', variables, escape), 'x{pod=~"web-canary-.+"}');
  });

  test('reports unknown variables and accepts known ones', () => {
    assert.deepEqual(unknownVariables('x{ {{selector}} }[{{window}}] {{ pod }}'), ['window', 'pod']);
    assert.deepEqual(unknownVariables('{{selector}}{{interval}}{{track}}{{namespace}}{{workload}}'), []);
  });
});
