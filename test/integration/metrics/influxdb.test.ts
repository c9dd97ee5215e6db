/**
 * The InfluxDB provider (version 1, InfluxQL) against a real InfluxDB 1.x fed every second by the
 * fake exporter (schema in test/support/exporter.ts): canary 100 req/s with 10% errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createProvider } from '../../../src/metrics/registry.ts';
import type { MetricsProvider } from '../../../src/metrics/provider.ts';
import { QueryError } from '../../../src/util/errors.ts';
import { startExporter, type RunningExporter } from '../../support/exporter.ts';
import { startInfluxDB, type RunningInfluxDB } from '../../support/influxdb.ts';
import { waitFor } from '../../support/service.ts';

const RPS = 100;
const ERROR_RATE = 0.1;
const STEP = 2;
const TOLERANCE = 0.2;

function assertNear(actual: number, expected: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= TOLERANCE * expected,
    `${what}: ${actual} not within ±20% of ${expected}`,
  );
}

describe('InfluxDB 1.x provider against a real InfluxDB', { concurrency: false }, () => {
  let exporter: RunningExporter;
  let influx: RunningInfluxDB;
  let provider: MetricsProvider;
  /** Four whole STEP-second windows (stamped by their end), all after the first write and all complete. */
  let range: { start: number; end: number; stepSeconds: number };

  before(async () => {
    exporter = await startExporter({
      tracks: {
        canary: { rps: RPS, errorRate: ERROR_RATE, latencyMs: 80 },
        baseline: { rps: RPS, errorRate: 0.02, latencyMs: 40 },
      },
    });
    influx = await startInfluxDB();
    const firstWrite = Math.floor(Date.now() / 1000);
    await exporter.pushToInflux(influx.url, influx.database);
    provider = createProvider('influxdb', {
      url: influx.url,
      headers: {},
      insecureSkipVerify: false,
      timeoutMs: 5000,
      retries: 1,
      extra: { version: '1', database: influx.database },
    });
    // Points are stamped with their window's end; the first window ending at `start` is complete
    // and has a full window before it (which non_negative_difference needs).
    const start = (Math.floor(firstWrite / STEP) + 2) * STEP;
    const end = start + 3 * STEP;
    await waitFor(
      'four complete windows of points',
      async () => {
        if (Date.now() / 1000 < end + 1) return undefined;
        const series = await provider.queryRange({
          query: `SELECT count("http_requests_total") FROM "prometheus" WHERE $timeFilter AND "track" = 'canary' AND "code" = '200' GROUP BY time($interval)`,
          start: end,
          end,
          stepSeconds: STEP,
        });
        return series.some((s) => s.points.length > 0) ? true : undefined;
      },
      60_000,
      250,
    );
    range = { start, end, stepSeconds: STEP };
  });

  after(async () => {
    await exporter?.stop();
    await influx?.stop();
  });

  test('points come back through InfluxQL with $timeFilter and GROUP BY time($interval), tags as labels', async () => {
    const series = await provider.queryRange({
      ...range,
      query: `SELECT last("http_requests_total") FROM "prometheus" WHERE $timeFilter AND "track" = 'canary' GROUP BY time($interval), "code" fill(none)`,
    });
    assert.deepEqual(
      series.map((s) => s.labels).sort((a, b) => (a.code ?? '').localeCompare(b.code ?? '')),
      [{ code: '200' }, { code: '500' }],
    );
    for (const s of series) {
      assert.deepEqual(
        s.points.map(([t]) => t),
        [0, 1, 2, 3].map((i) => range.start + i * STEP),
      );
      const values = s.points.map(([, v]) => v);
      assert.ok(
        values.every((v, i) => i === 0 || v > values[i - 1]!),
        `counters grow: ${values}`,
      );
    }
    const counters = exporter.counters().canary!;
    const lastOk = series.find((s) => s.labels.code === '200')!.points.at(-1)![1];
    assert.ok(lastOk <= counters.requests - counters.errors);
  });

  test('the documented ratio queries give the error rate per window', async () => {
    const perWindow = (filter: string) =>
      `SELECT sum("d") FROM (SELECT non_negative_difference(last("http_requests_total")) AS "d" FROM "prometheus" ` +
      `WHERE $timeFilter AND "track" = 'canary'${filter} GROUP BY time($interval), *) WHERE $timeFilter GROUP BY time($interval)`;
    const [errors] = await provider.queryRange({ ...range, query: perWindow(` AND "code" =~ /^5/`) });
    const [totals] = await provider.queryRange({ ...range, query: perWindow('') });
    assert.equal(totals?.points.length, 4, JSON.stringify(totals));
    for (const [i, [t, total]] of (totals?.points ?? []).entries()) {
      assertNear(total, RPS * STEP, `requests in the window at ${t}`);
      assertNear(errors?.points[i]?.[1] ?? 0, RPS * STEP * ERROR_RATE, `errors in the window at ${t}`);
    }
  });

  test('histogramQuery groups bucket increases by le', async () => {
    const query = provider.histogramQuery('http_request_duration_seconds', `"track" = 'canary'`, STEP * 1000);
    const series = await provider.queryRange({ ...range, query });
    const les = series.map((s) => s.labels.le).sort();
    assert.deepEqual(les, [
      '+Inf',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '10',
      '2.5',
      '5',
    ]);
    const inf = series.find((s) => s.labels.le === '+Inf')!;
    assert.equal(inf.points.length, 4);
    for (const [t, value] of inf.points) assertNear(value, RPS * STEP, `+Inf bucket at ${t}`);
  });

  test('a query InfluxDB rejects is a QueryError with its message', async () => {
    const query = 'SELECT nosuchfunction("http_requests_total") FROM "prometheus" WHERE $timeFilter';
    await assert.rejects(provider.queryRange({ ...range, query }), (error: unknown) => {
      assert.ok(error instanceof QueryError, String(error));
      assert.match(error.message, /undefined function nosuchfunction\(\)/);
      assert.match(error.query, /WHERE time >= \d+s AND time < \d+s$/);
      return true;
    });
  });
});
