/**
 * `canary-action analyze` end to end against a real InfluxDB 1.x holding the exporter's counters in
 * the schema Telegraf's Prometheus input writes, with InfluxQL queries as the README documents them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startExporter, type RunningExporter, type TrackSpec } from '../../support/exporter.ts';
import { startInfluxDB, type RunningInfluxDB } from '../../support/influxdb.ts';
import { makeTempDir } from '../../support/service.ts';
import { runCli } from '../../support/cli.ts';
import type { AnalysisReport } from '../../../src/report/json.ts';

// 5% errors at 200 req/s give each track ~240 errors in 24 s: enough for a pass whose bound rules out
// twice the tolerance at 80% power (at 1% the judge rightly answers inconclusive).
const healthy: TrackSpec = { rps: 200, errorRate: 0.05, latencyMs: 40 };
const perWindow = (filter: string) =>
  `SELECT sum("d") FROM (SELECT non_negative_difference(last("http_requests_total")) AS "d" FROM "prometheus" ` +
  `WHERE $timeFilter AND {{selector}}${filter} GROUP BY time($interval), *) WHERE $timeFilter GROUP BY time($interval)`;

function configFor(url: string, database: string): string {
  return `apiVersion: canary-action/v1
analysis:
  provider: {type: influxdb, url: ${url}, database: ${database}, retries: 1, timeout: 2s}
  tracks: {canary: "\\"track\\" = 'canary'", baseline: "\\"track\\" = 'baseline'"}
  interval: 2s
  warmup: 2s
  minDuration: 8s
  maxDuration: 24s
  metrics:
    - name: errors
      type: ratio
      bad: '${perWindow(` AND "code" =~ /^5/`)}'
      total: '${perWindow('')}'
    - {name: latency, type: latency, histogram: http_request_duration_seconds}
`;
}

describe('analyze against a real InfluxDB 1.x', { concurrency: false }, () => {
  let exporter: RunningExporter;
  let influx: RunningInfluxDB;
  let dir: string;

  before(async () => {
    dir = await makeTempDir('analyze-influx');
    exporter = await startExporter({ tracks: { canary: healthy, baseline: healthy } });
    influx = await startInfluxDB();
    await exporter.pushToInflux(influx.url, influx.database);
  });

  after(async () => {
    await exporter?.stop();
    await influx?.stop();
  });

  async function analyze(name: string) {
    const configFile = path.join(dir, `${name}.yml`);
    const reportFile = path.join(dir, `${name}.json`);
    await writeFile(configFile, configFor(influx.url, influx.database));
    const result = await runCli(['analyze', '--config', configFile, '--report', reportFile]);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as AnalysisReport;
    return { ...result, output: result.stdout + result.stderr, report };
  }

  test('A/A passes', async () => {
    exporter.setTrack('canary', healthy);
    const { code, output, report } = await analyze('aa');
    assert.equal(code, 0, output);
    assert.equal(report.verdict, 'pass');
    const errors = report.metrics.find((m) => m.name === 'errors');
    assert.ok((errors?.canary.total ?? 0) > 1000, JSON.stringify(errors?.canary));
    assert.match(errors?.queries['canary.bad'] ?? '', /"track" = 'canary' AND "code" =~ \/\^5\//);
  });

  test('several times the errors fails with exit 1', async () => {
    exporter.setTrack('canary', { ...healthy, errorRate: 0.3 });
    const { code, output, report } = await analyze('errors');
    assert.equal(code, 1, output);
    assert.equal(report.metrics.find((m) => m.name === 'errors')?.verdict, 'fail');
  });

  test('a latency shift fails with exit 1', async () => {
    exporter.setTrack('canary', { ...healthy, latencyMs: 160 });
    const { code, output, report } = await analyze('latency');
    assert.equal(code, 1, output);
    assert.equal(report.metrics.find((m) => m.name === 'latency')?.verdict, 'fail');
  });
});
