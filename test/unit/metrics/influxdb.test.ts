// InfluxDB 2.x cannot be installed here (only 1.x is packaged): the Flux path is tested against
// recorded annotated-CSV responses in the documented format (test/fixtures/metrics/flux-*), served
// from a local server. InfluxQL against a real InfluxDB 1.x is in test/integration/metrics/.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { HttpProviderOptions } from '../../../src/metrics/provider.ts';
import {
  createInfluxDBProvider,
  escapeFluxString,
  escapeInfluxQLString,
  expandFlux,
  expandInfluxQL,
  parseCsvRows,
  parseFluxCsv,
  parseInfluxQLResponse,
} from '../../../src/metrics/influxdb.ts';
import { ConfigError, QueryError } from '../../../src/util/errors.ts';
import {
  reply,
  startRecordingServer,
  type RecordingServer,
  type Reply,
} from '../../support/recording-server.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8');

const servers: RecordingServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

function options(url: string, extra: Record<string, string>): HttpProviderOptions {
  return { url, headers: {}, insecureSkipVerify: false, timeoutMs: 5000, retries: 0, extra };
}

async function fluxProviderAgainst(replies: Reply[], extra: Record<string, string> = {}) {
  const server = await startRecordingServer(replies);
  servers.push(server);
  const provider = createInfluxDBProvider(
    options(server.url, { version: '2', org: 'acme', token: 'tok-123', ...extra }),
  );
  return { server, provider };
}

describe('annotated CSV', () => {
  test('RFC 4180 rows: quotes, doubled quotes, newlines inside quotes, CRLF', () => {
    assert.deepEqual(parseCsvRows('a,"b,c","say ""hi"""\r\n,"multi\nline",\r\n'), [
      ['a', 'b,c', 'say "hi"'],
      ['', 'multi\nline', ''],
    ]);
  });

  test('one series per table, labels from the group key without _start/_stop, defaults applied', () => {
    const series = parseFluxCsv(fixture('flux-histogram.csv'), 'q');
    assert.deepEqual(series, [
      {
        labels: { _field: 'http_request_duration_seconds_bucket', _measurement: 'prometheus', le: '0.1' },
        points: [
          [1700000060, 540],
          [1700000180, 512.5],
        ],
      },
      {
        labels: { _field: 'http_request_duration_seconds_bucket', _measurement: 'prometheus', le: '+Inf' },
        points: [
          [1700000060, 600],
          [1700000120, 610],
        ],
      },
      { labels: { track: 'canary', note: 'quoted, with comma' }, points: [[1700000060, 1200]] },
    ]);
  });

  test('an error table in the stream is a QueryError', () => {
    assert.throws(
      () => parseFluxCsv(fixture('flux-error-inline.csv'), 'from(bucket: "b")'),
      (error: unknown) => {
        assert.ok(error instanceof QueryError);
        assert.match(error.message, /regexp literal expected\n {2}query: from\(bucket: "b"\)/);
        return true;
      },
    );
  });

  test('an empty answer is no series', () => {
    assert.deepEqual(parseFluxCsv('\r\n', 'q'), []);
  });
});

describe('InfluxDB 2.x provider (recorded responses)', () => {
  const range = {
    query:
      'from(bucket: "k8s")\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n  |> aggregateWindow(every: v.windowPeriod, fn: last)',
    start: 1700000000,
    end: 1700000180,
    stepSeconds: 60,
  };

  test('POSTs the expanded Flux with Token auth and org, asks for annotated CSV, parses it', async () => {
    const { server, provider } = await fluxProviderAgainst([
      reply.text(200, 'text/csv; charset=utf-8', fixture('flux-histogram.csv')),
    ]);
    const series = await provider.queryRange(range);
    assert.equal(series.length, 3);
    const request = server.seen[0];
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/api/v2/query?org=acme');
    assert.equal(request?.headers.authorization, 'Token tok-123');
    assert.equal(request?.headers['content-type'], 'application/json');
    const body = JSON.parse(request?.body ?? '{}') as { query: string; dialect: { annotations: string[] } };
    assert.equal(
      body.query,
      'from(bucket: "k8s")\n  |> range(start: 2023-11-14T22:11:20.000Z, stop: 2023-11-14T22:16:20.000Z)\n  |> aggregateWindow(every: 1m, fn: last)',
    );
    assert.deepEqual(body.dialect.annotations.sort(), ['datatype', 'default', 'group']);
  });

  test('a 400 compile error is a QueryError with InfluxDB message and the query', async () => {
    const { provider } = await fluxProviderAgainst([
      reply.text(400, 'application/json', fixture('flux-error-400.json')),
    ]);
    await assert.rejects(
      provider.queryRange({ ...range, query: 'frum(bucket: "k8s")' }),
      (error: unknown) => {
        assert.ok(error instanceof QueryError);
        assert.match(error.message, /undefined identifier frum/);
        assert.equal(error.query, 'frum(bucket: "k8s")');
        assert.ok(!error.message.includes('tok-123'));
        return true;
      },
    );
  });

  test('requires org; histogram queries require bucket', async () => {
    assert.throws(
      () => createInfluxDBProvider(options('http://127.0.0.1:1', { version: '2' })),
      /analysis\.provider\.org: is required/,
    );
    const { provider } = await fluxProviderAgainst([]);
    assert.throws(() => provider.histogramQuery('h', 'true', 60_000), /analysis\.provider\.bucket/);
  });

  test('histogram query and selector in Flux', async () => {
    const { provider } = await fluxProviderAgainst([], { bucket: 'k8s' });
    const query = provider.histogramQuery('http_request_duration_seconds', 'r.track == "canary"', 30_000);
    assert.match(
      query,
      /^from\(bucket: "k8s"\)\n {2}\|> range\(start: v\.timeRangeStart, stop: v\.timeRangeStop\)/,
    );
    assert.match(query, /r\._field == "http_request_duration_seconds_bucket" and r\.track == "canary"/);
    assert.match(query, /difference\(nonNegative: true\)\n {2}\|> group\(columns: \["le"\]\)/);
    assert.equal(
      provider.defaultSelector({ namespace: 'shop', podPattern: 'web/canary-.*' }),
      'r.namespace == "shop" and r.pod =~ /^(?:web\\/canary-.*)$/',
    );
  });
});

describe('Flux placeholders', () => {
  test('v.timeRangeStart/Stop become RFC3339 times (two windows early; stop = end) and v.windowPeriod a duration', () => {
    const query =
      'a(start: v.timeRangeStart, stop: v.timeRangeStop) b(every: v.windowPeriod) c(v.windowPeriod)';
    assert.equal(
      expandFlux({ query, start: 1700000000.5, end: 1700000090, stepSeconds: 30 }),
      'a(start: 2023-11-14T22:12:20.500Z, stop: 2023-11-14T22:14:50.000Z) b(every: 30s) c(30s)',
    );
  });
});

describe('InfluxQL', () => {
  test('$timeFilter (from two windows before start) and $interval are replaced everywhere', () => {
    const q =
      'SELECT x FROM (SELECT y FROM m WHERE $timeFilter GROUP BY time($interval)) WHERE $timeFilter GROUP BY time($__interval)';
    assert.equal(
      expandInfluxQL({ query: q, start: 1700.5, end: 1800.2, stepSeconds: 90 }),
      'SELECT x FROM (SELECT y FROM m WHERE time >= 1520s AND time < 1801s GROUP BY time(1m30s)) WHERE time >= 1520s AND time < 1801s GROUP BY time(1m30s)',
    );
  });

  test('series labels are tags; nulls dropped; several value columns become _field', () => {
    const body = {
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'prometheus',
              tags: { le: '0.1' },
              columns: ['time', 'sum'],
              values: [
                [10, 5],
                [20, null],
              ],
            },
            { name: 'prometheus', columns: ['time', 'a', 'b'], values: [[10, 1, 2]] },
          ],
        },
      ],
    };
    assert.deepEqual(parseInfluxQLResponse(body, 'q'), [
      { labels: { le: '0.1' }, points: [[10, 5]] },
      { labels: { _field: 'a' }, points: [[10, 1]] },
      { labels: { _field: 'b' }, points: [[10, 2]] },
    ]);
    assert.deepEqual(parseInfluxQLResponse({ results: [{}] }, 'q'), []);
  });

  test('a statement error is a QueryError', () => {
    assert.throws(
      () =>
        parseInfluxQLResponse({ results: [{ error: 'undefined function foo()' }] }, 'SELECT foo(x) FROM m'),
      {
        name: 'QueryError',
        message: /undefined function foo\(\)\n {2}query: SELECT foo\(x\) FROM m/,
      },
    );
  });

  test('escaping for string literals and Flux strings', () => {
    assert.equal(escapeInfluxQLString(`it's a \\ test`), `it\\'s a \\\\ test`);
    assert.equal(escapeFluxString('say "${x}" \\'), 'say \\"\\${x}\\" \\\\');
  });

  test('version 1 requires a database; an unknown version is a ConfigError', () => {
    assert.throws(
      () => createInfluxDBProvider(options('http://x', {})),
      /analysis\.provider\.database: is required/,
    );
    assert.throws(() => createInfluxDBProvider(options('http://x', { version: '3' })), ConfigError);
  });
});
