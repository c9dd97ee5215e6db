// Parsing and query building of the Prometheus provider. Its behaviour against a real Prometheus
// (data, errors, auth headers) is in test/integration/metrics/prometheus.test.ts.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  createPrometheusProvider,
  escapePromQLString,
  parsePrometheusData,
} from '../../../src/metrics/prometheus.ts';
import { createProvider, providerTypes } from '../../../src/metrics/registry.ts';
import type { HttpProviderOptions } from '../../../src/metrics/provider.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import { reply, startRecordingServer, type RecordingServer } from '../../support/recording-server.ts';

const servers: RecordingServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

const options = (url: string): HttpProviderOptions => ({
  url,
  headers: {},
  insecureSkipVerify: false,
  timeoutMs: 5000,
  retries: 0,
  extra: {},
});

describe('parsePrometheusData', () => {
  test('matrix: one series per result, NaN and ±Inf samples dropped', () => {
    const series = parsePrometheusData({
      resultType: 'matrix',
      result: [
        {
          metric: { track: 'canary' },
          values: [
            [10, '1.5'],
            [20, 'NaN'],
            [30, '+Inf'],
            [40, '-Inf'],
            [50, '2'],
          ],
        },
        { metric: {}, values: [] },
      ],
    });
    assert.deepEqual(series, [
      {
        labels: { track: 'canary' },
        points: [
          [10, 1.5],
          [50, 2],
        ],
      },
      { labels: {}, points: [] },
    ]);
  });

  test('vector and scalar are tolerated; unknown types give no series', () => {
    assert.deepEqual(
      parsePrometheusData({ resultType: 'vector', result: [{ metric: { le: '0.1' }, value: [5, '3'] }] }),
      [{ labels: { le: '0.1' }, points: [[5, 3]] }],
    );
    assert.deepEqual(parsePrometheusData({ resultType: 'scalar', result: [7, '0.25'] }), [
      { labels: {}, points: [[7, 0.25]] },
    ]);
    assert.deepEqual(parsePrometheusData({ resultType: 'string', result: [7, 'x'] }), []);
    assert.deepEqual(parsePrometheusData(undefined), []);
  });
});

describe('Prometheus queries', () => {
  const provider = createPrometheusProvider(options('http://127.0.0.1:1'));

  test('escapes PromQL double-quoted strings', () => {
    assert.equal(escapePromQLString('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  });

  test('default selector and histogram query', () => {
    const selector = provider.defaultSelector({ namespace: 'shop', podPattern: 'web-canary-[a-z0-9]+-\\w+' });
    assert.equal(selector, 'namespace="shop", pod=~"web-canary-[a-z0-9]+-\\\\w+"');
    assert.equal(
      provider.histogramQuery('http_request_duration_seconds', selector, 30_000),
      'sum by (le) (increase(http_request_duration_seconds_bucket{namespace="shop", pod=~"web-canary-[a-z0-9]+-\\\\w+"}[30s]))',
    );
  });

  test('short queries go as GET parameters, long ones as a form-encoded POST', async () => {
    const matrix = { status: 'success', data: { resultType: 'matrix', result: [] } };
    const server = await startRecordingServer([reply.json(200, matrix)]);
    servers.push(server);
    const prometheus = createPrometheusProvider(options(`${server.url}/prom/`));
    const long = `sum(${Array.from({ length: 200 }, (_, i) => `up{job="j${i}"}`).join(' + ')})`;
    await prometheus.queryRange({ query: 'up', start: 100, end: 200, stepSeconds: 10 });
    await prometheus.queryRange({ query: long, start: 100, end: 200, stepSeconds: 10 });
    const [get, post] = server.seen;
    assert.equal(get?.method, 'GET');
    assert.equal(get?.url, '/prom/api/v1/query_range?query=up&start=100&end=200&step=10s');
    assert.equal(post?.method, 'POST');
    assert.equal(post?.url, '/prom/api/v1/query_range');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(post?.body)), {
      query: long,
      start: '100',
      end: '200',
      step: '10s',
    });
  });
});

describe('registry', () => {
  test('lists and builds every provider type', () => {
    assert.deepEqual([...providerTypes], ['prometheus', 'influxdb', 'datadog']);
    const extra = { database: 'db', apiKey: 'k', applicationKey: 'a' };
    for (const type of providerTypes) {
      assert.equal(createProvider(type, { ...options('http://127.0.0.1:1'), extra }).type, type);
    }
  });

  test('an unknown type is a ConfigError listing the valid ones', () => {
    assert.throws(
      () => createProvider('graphite', options('http://x')),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.path, 'analysis.provider.type');
        assert.equal(
          error.message,
          'analysis.provider.type: unknown metrics provider "graphite"; valid: prometheus, influxdb, datadog',
        );
        return true;
      },
    );
    assert.throws(() => createProvider('toString', options('http://x')), ConfigError);
  });
});
