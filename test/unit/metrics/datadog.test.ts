// Datadog is a SaaS that cannot run here: these tests serve recorded responses in the documented
// format (test/fixtures/metrics/datadog-*.json) from a local server and point the provider at it.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { HttpProviderOptions } from '../../../src/metrics/provider.ts';
import { createDatadogProvider, datadogBaseUrl, datadogLabels } from '../../../src/metrics/datadog.ts';
import { ConfigError, QueryError } from '../../../src/util/errors.ts';
import {
  reply,
  startRecordingServer,
  type RecordingServer,
  type Reply,
} from '../../support/recording-server.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8'));

const servers: RecordingServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function providerAgainst(replies: Reply[], extra: Record<string, string> = {}) {
  const server = await startRecordingServer(replies);
  servers.push(server);
  const options: HttpProviderOptions = {
    url: server.url,
    headers: {},
    insecureSkipVerify: false,
    timeoutMs: 5000,
    retries: 0,
    extra: { apiKey: 'api-key-value', applicationKey: 'app-key-value', ...extra },
  };
  return { server, provider: createDatadogProvider(options) };
}

const range = {
  query: 'sum:trace.http.request.errors{kube_namespace:shop} by {track}.as_count()',
  start: 1700000000,
  end: 1700000180.5,
  stepSeconds: 60,
};

describe('Datadog provider (recorded responses)', () => {
  test('sends from (one window early)/to/query and both keys, stamps rollup buckets by their end', async () => {
    const { server, provider } = await providerAgainst([reply.json(200, fixture('datadog-query.json'))]);
    const series = await provider.queryRange(range);
    const request = server.seen[0];
    assert.equal(request?.method, 'GET');
    const url = new URL(request?.url ?? '', 'http://x');
    assert.equal(url.pathname, '/api/v1/query');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      from: '1699999940',
      to: '1700000181',
      query: range.query,
    });
    assert.equal(request?.headers['dd-api-key'], 'api-key-value');
    assert.equal(request?.headers['dd-application-key'], 'app-key-value');
    assert.deepEqual(series, [
      {
        labels: { track: 'canary' },
        points: [
          [1700000060, 12],
          [1700000180, 7],
        ],
      },
      {
        labels: { track: 'baseline' },
        points: [
          [1700000060, 3],
          [1700000120, 4],
          [1700000180, 2],
        ],
      },
    ]);
  });

  test('histogram buckets grouped by upper_bound also carry the le label', async () => {
    const { provider } = await providerAgainst([reply.json(200, fixture('datadog-histogram.json'))]);
    const series = await provider.queryRange(range);
    assert.deepEqual(
      series.map((s) => [s.labels.le, s.points[0]?.[1]]),
      [
        ['0.1', 540],
        ['+Inf', 600],
      ],
    );
  });

  test('a 400 with errors[] is a QueryError with the query and Datadog text', async () => {
    const { provider } = await providerAgainst([reply.json(400, fixture('datadog-error-400.json'))]);
    const error = await provider.queryRange(range).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof QueryError, String(error));
    assert.match(error.message, /Rule 'scope_expr' didn't match/);
    assert.ok(error.message.includes(range.query));
    assert.ok(!error.message.includes('api-key-value'));
  });

  test('a 200 with status "error" is a QueryError too', async () => {
    const { provider } = await providerAgainst([reply.json(200, fixture('datadog-error-status.json'))]);
    await assert.rejects(provider.queryRange(range), (error: unknown) => {
      assert.ok(error instanceof QueryError);
      assert.match(error.message, /Datadog rejected the query: Unknown function: no\.such\.function/);
      return true;
    });
  });

  test('builds queries for the judge', async () => {
    const { provider } = await providerAgainst([]);
    assert.equal(
      provider.histogramQuery('shop.http_request_duration_seconds', 'track:canary', 60_000),
      'sum:shop.http_request_duration_seconds.bucket{track:canary} by {upper_bound}.as_count().rollup(sum, 60)',
    );
    assert.equal(
      provider.defaultSelector({ namespace: 'Shop', podPattern: 'web-canary-.*' }),
      'kube_namespace:shop,pod_name:web-canary-*',
    );
    assert.equal(provider.escapeValue('Web App#1'), 'web_app_1');
  });
});

describe('Datadog configuration', () => {
  const base: HttpProviderOptions = {
    url: '',
    headers: {},
    insecureSkipVerify: false,
    timeoutMs: 1000,
    retries: 0,
    extra: {},
  };

  test('the API host follows the site, defaulting to datadoghq.com', () => {
    assert.equal(datadogBaseUrl(base), 'https://api.datadoghq.com');
    assert.equal(datadogBaseUrl({ ...base, extra: { site: 'datadoghq.eu' } }), 'https://api.datadoghq.eu');
    assert.equal(
      datadogBaseUrl({ ...base, extra: { site: 'us3.datadoghq.com' } }),
      'https://api.us3.datadoghq.com',
    );
    assert.equal(
      datadogBaseUrl({ ...base, url: 'http://127.0.0.1:9', extra: { site: 'datadoghq.eu' } }),
      'http://127.0.0.1:9',
    );
  });

  test('an unknown site or a missing key is a ConfigError naming the field', () => {
    assert.throws(() => datadogBaseUrl({ ...base, extra: { site: 'datadoghq.co' } }), {
      message:
        /^analysis\.provider\.site: unknown Datadog site "datadoghq\.co"; expected one of datadoghq\.com, us3/,
    });
    assert.throws(() => createDatadogProvider({ ...base, extra: { applicationKey: 'x' } }), ConfigError);
    assert.throws(
      () => createDatadogProvider({ ...base, extra: { apiKey: 'x' } }),
      /analysis\.provider\.applicationKey/,
    );
  });

  test('labels come from tag_set, else from scope; "*" is no label', () => {
    assert.deepEqual(datadogLabels(undefined, 'host:a,env:prod'), { host: 'a', env: 'prod' });
    assert.deepEqual(datadogLabels([], '*'), {});
    assert.deepEqual(datadogLabels(['url:http://x:1/a', 'solo'], undefined), {
      url: 'http://x:1/a',
      solo: '',
    });
  });
});
