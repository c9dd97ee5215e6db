/**
 * The Prometheus provider against a real Prometheus (1 s scrape interval) scraping the fake exporter,
 * whose counters advance at exactly known rates: canary 100 req/s with 10% errors, baseline 100 req/s
 * with 2% errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProvider } from '../../../src/metrics/registry.ts';
import type { HttpProviderOptions, MetricsProvider, Series } from '../../../src/metrics/provider.ts';
import { BackendError, ExitCode, QueryError } from '../../../src/util/errors.ts';
import { startExporter, type RunningExporter } from '../../support/exporter.ts';
import { startPrometheus, waitForSamples, type RunningPrometheus } from '../../support/prometheus.ts';
import { freePort } from '../../support/service.ts';

const RPS = 100;
const ERROR_RATE = { canary: 0.1, baseline: 0.02 };
const WINDOW_SECONDS = 6;
const TOLERANCE = 0.2;

function options(url: string, overrides: Partial<HttpProviderOptions> = {}): HttpProviderOptions {
  return {
    url,
    headers: {},
    insecureSkipVerify: false,
    timeoutMs: 5000,
    retries: 1,
    extra: {},
    ...overrides,
  };
}

function assertNear(actual: number, expected: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= TOLERANCE * expected,
    `${what}: ${actual} is not within ±${TOLERANCE * 100}% of ${expected}`,
  );
}

const byTrack = (series: Series[], track: string) => series.find((s) => s.labels.track === track);

/** A reverse proxy to Prometheus that answers 401 unless the request carries `required` headers. */
async function startAuthProxy(target: string, required: Record<string, string>) {
  const seen: Array<Record<string, string | undefined>> = [];
  const server = http.createServer((req, res) => {
    seen.push({
      authorization: req.headers.authorization,
      'x-scope-orgid': req.headers['x-scope-orgid'] as string,
    });
    if (Object.entries(required).some(([name, value]) => req.headers[name] !== value)) {
      return res
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end('{"error":"missing credentials"}');
    }
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('Prometheus provider against a real Prometheus', { concurrency: false }, () => {
  let exporter: RunningExporter;
  let prometheus: RunningPrometheus;
  let provider: MetricsProvider;

  before(async () => {
    exporter = await startExporter({
      tracks: {
        canary: { rps: RPS, errorRate: ERROR_RATE.canary, latencyMs: 80 },
        baseline: { rps: RPS, errorRate: ERROR_RATE.baseline, latencyMs: 40 },
      },
    });
    prometheus = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
    provider = createProvider('prometheus', options(prometheus.url));
    // Enough history that every evaluated window below lies after the first scrape.
    const scrapes = 'count_over_time(http_requests_total{track="canary",code="200"}[1m])';
    await waitForSamples(
      prometheus.url,
      scrapes,
      (s) => (s[0]?.points[0]?.[1] ?? 0) >= WINDOW_SECONDS + 5,
      Date.now() + 60_000,
    );
  });

  after(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  test('increase per step matches the exporter rates, per track', async () => {
    const end = Math.floor(Date.now() / 1000) - 1;
    const range = { start: end - 2, end, stepSeconds: 1 };
    const totals = await provider.queryRange({
      ...range,
      query: `sum by (track) (increase(http_requests_total[${WINDOW_SECONDS}s]))`,
    });
    const errors = await provider.queryRange({
      ...range,
      query: `sum by (track) (increase(http_requests_total{code="500"}[${WINDOW_SECONDS}s]))`,
    });
    for (const track of ['canary', 'baseline'] as const) {
      const total = byTrack(totals, track);
      const bad = byTrack(errors, track);
      assert.equal(total?.points.length, 3, `${track} totals: ${JSON.stringify(totals)}`);
      assert.equal(bad?.points.length, 3, `${track} errors: ${JSON.stringify(errors)}`);
      for (const [t, value] of total?.points ?? [])
        assertNear(value, RPS * WINDOW_SECONDS, `${track} requests at ${t}`);
      for (const [t, value] of bad?.points ?? []) {
        assertNear(value, RPS * WINDOW_SECONDS * ERROR_RATE[track], `${track} errors at ${t}`);
      }
    }
  });

  test('histogramQuery gives cumulative buckets per le whose +Inf matches the request rate', async () => {
    const query = provider.histogramQuery(
      'http_request_duration_seconds',
      'track="canary"',
      WINDOW_SECONDS * 1000,
    );
    const end = Math.floor(Date.now() / 1000) - 1;
    const series = await provider.queryRange({ query, start: end, end, stepSeconds: 1 });
    const buckets = series
      .map((s) => ({
        le: Number(s.labels.le === '+Inf' ? Infinity : s.labels.le),
        count: s.points[0]?.[1] ?? NaN,
      }))
      .sort((a, b) => a.le - b.le);
    assert.equal(buckets.length, 12);
    assert.equal(buckets.at(-1)?.le, Infinity);
    assertNear(buckets.at(-1)?.count ?? 0, RPS * WINDOW_SECONDS, '+Inf bucket');
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.count >= buckets[i - 1]!.count - 1e-9);
    // Log-normal with median 80 ms: about half the requests are under 0.1 s, nearly none under 0.025 s.
    const under100ms = buckets.find((b) => b.le === 0.1)!.count / buckets.at(-1)!.count;
    assert.ok(under100ms > 0.5 && under100ms < 0.8, `share under 0.1 s: ${under100ms}`);
  });

  test('a counter reset still gives non-negative increases', async () => {
    const resetAt = Date.now() / 1000;
    exporter.reset();
    const query = 'increase(http_requests_total{track="canary",code="200"}[4s])';
    await waitForSamples(
      prometheus.url,
      'resets(http_requests_total{track="canary",code="200"}[1m])',
      (s) => (s[0]?.points[0]?.[1] ?? 0) >= 1,
      Date.now() + 30_000,
    );
    await waitForSamples(
      prometheus.url,
      'timestamp(http_requests_total{track="canary",code="200"})',
      (s) => (s[0]?.points[0]?.[1] ?? 0) > resetAt + 5,
      Date.now() + 30_000,
    );
    const series = await provider.queryRange({
      query,
      start: Math.floor(resetAt) - 3,
      end: Math.floor(resetAt) + 4,
      stepSeconds: 1,
    });
    const points = series[0]?.points ?? [];
    assert.ok(points.length >= 6, JSON.stringify(series));
    for (const [t, value] of points) assert.ok(value >= 0, `increase at ${t} is ${value}`);
    const at = Math.floor(resetAt) + 2;
    const raw = await provider.queryRange({
      query: 'delta(http_requests_total{track="canary",code="200"}[6s])',
      start: at,
      end: at,
      stepSeconds: 1,
    });
    assert.ok(
      (raw[0]?.points[0]?.[1] ?? 0) < 0,
      `the raw delta across the reset is negative: ${JSON.stringify(raw)}`,
    );
  });

  test('a broken query is a QueryError with the query and Prometheus error', async () => {
    const query = 'sum(rate(http_requests_total[1m])';
    const end = Math.floor(Date.now() / 1000);
    const error = await provider.queryRange({ query, start: end - 10, end, stepSeconds: 5 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof QueryError, String(error));
    assert.equal(error.exitCode, ExitCode.InvalidInput);
    assert.equal(error.query, query);
    assert.match(error.message, /HTTP 400\): bad_data: .*parse error/);
    assert.ok(error.message.endsWith(`query: ${query}`));
  });

  test('identify: a real Prometheus answers as a PromQL API; an HTML page, a 404 or other JSON is exit 2 naming the URL field', async () => {
    await provider.identify?.();
    const answers: Record<string, [number, string, string]> = {
      '/html': [200, 'text/html', '<html><body>Grafana</body></html>'],
      '/missing': [404, 'text/plain', 'not found'],
      '/json': [200, 'application/json', '{"status":"ok"}'],
    };
    const server = http.createServer((req, res) => {
      const [status, type, body] = answers[
        Object.keys(answers).find((p) => req.url?.startsWith(p)) ?? ''
      ] ?? [500, 'text/plain', ''];
      res.writeHead(status, { 'Content-Type': type }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const where of Object.keys(answers)) {
        const other = createProvider('prometheus', options(`${base}${where}`));
        await assert.rejects(other.identify?.() ?? Promise.resolve(), (error: Error & { path?: string }) => {
          assert.equal(error.path, 'analysis.provider.url', where);
          assert.match(error.message, /expected the base URL of a Prometheus HTTP API/);
          return true;
        });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('an unreachable URL is a BackendError after the configured retries', async () => {
    const port = await freePort();
    const unreachable = createProvider('prometheus', options(`http://127.0.0.1:${port}`, { retries: 2 }));
    const error = await unreachable.queryRange({ query: 'up', start: 0, end: 10, stepSeconds: 5 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof BackendError, String(error));
    assert.equal(error.exitCode, ExitCode.Infrastructure);
    assert.match(
      error.message,
      new RegExp(
        `GET http://127\\.0\\.0\\.1:${port}/api/v1/query_range failed after 3 attempts: .*ECONNREFUSED`,
      ),
    );
  });

  test('bearer token, basic auth and extra headers reach the server', async () => {
    const bearerProxy = await startAuthProxy(prometheus.url, {
      authorization: 'Bearer t0ken',
      'x-scope-orgid': 'team-a',
    });
    const basicProxy = await startAuthProxy(prometheus.url, {
      authorization: `Basic ${Buffer.from('alice:pa ss').toString('base64')}`,
    });
    try {
      const end = Math.floor(Date.now() / 1000) - 1;
      const range = { query: 'sum(up)', start: end - 2, end, stepSeconds: 1 };
      const viaBearer = createProvider(
        'prometheus',
        options(bearerProxy.url, { bearerToken: 't0ken', headers: { 'X-Scope-OrgID': 'team-a' } }),
      );
      const viaBasic = createProvider(
        'prometheus',
        options(basicProxy.url, { basicAuth: { username: 'alice', password: 'pa ss' } }),
      );
      assert.deepEqual(
        (await viaBearer.queryRange(range))[0]?.points.map((p) => p[1]),
        [1, 1, 1],
      );
      assert.deepEqual(
        (await viaBasic.queryRange(range))[0]?.points.map((p) => p[1]),
        [1, 1, 1],
      );
      const withoutCredentials = createProvider('prometheus', options(basicProxy.url));
      await assert.rejects(withoutCredentials.queryRange(range), {
        name: 'ConfigError',
        message: /refused the credentials \(HTTP 401\)/,
      });
    } finally {
      await bearerProxy.close();
      await basicProxy.close();
    }
  });
});
