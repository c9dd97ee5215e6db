/**
 * `canary-action analyze` end to end against a real Prometheus scraping an exporter whose canary and
 * baseline tracks have known error rates and latencies.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startExporter, type RunningExporter, type TrackSpec } from '../../support/exporter.ts';
import { startPrometheus, waitForSamples, type RunningPrometheus } from '../../support/prometheus.ts';
import { makeTempDir } from '../../support/service.ts';
import { runCli } from '../../support/cli.ts';
import type { AnalysisReport } from '../../../src/report/json.ts';
import type { Series } from '../../../src/metrics/provider.ts';

// 5% errors at 200 req/s give each track ~240 errors in 24 s: enough for a pass whose bound rules out
// twice the tolerance at 80% power (at 1% the judge rightly answers inconclusive).
const healthy: TrackSpec = { rps: 200, errorRate: 0.05, latencyMs: 40 };
const TOKEN = 'prom-token-7f3a9c';

function configFor(prometheusUrl: string, overrides = ''): string {
  return `apiVersion: canary-action/v1
analysis:
  provider: {type: prometheus, url: ${prometheusUrl}, bearerToken: "\${PROM_TOKEN}", retries: 1, timeout: 2s}
  tracks: {canary: 'track="canary"', baseline: 'track="baseline"'}
  interval: 2s
  warmup: 2s
  minDuration: 8s
  maxDuration: 24s
${overrides}
  metrics:
    - {template: http-error-rate}
    - {template: http-latency}
`;
}

describe('analyze against a real Prometheus', { concurrency: false }, () => {
  let exporter: RunningExporter;
  let prometheus: RunningPrometheus;
  let dir: string;

  before(async () => {
    dir = await makeTempDir('analyze-cli');
    exporter = await startExporter({ tracks: { canary: healthy, baseline: healthy } });
    prometheus = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
    const hasTraffic = (s: Series[]) => (s[0]?.points[0]?.[1] ?? 0) > 0;
    await waitForSamples(
      prometheus.url,
      'sum(increase(http_requests_total{track="canary"}[2s]))',
      hasTraffic,
      Date.now() + 30_000,
    );
  });

  after(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  async function analyze(
    name: string,
    config: string,
    extraArgs: string[] = [],
    source: 'src' | 'dist' = 'src',
  ) {
    const configFile = path.join(dir, `${name}.yml`);
    const reportFile = path.join(dir, `${name}.json`);
    await writeFile(configFile, config);
    const result = await runCli(['analyze', '--config', configFile, '--report', reportFile, ...extraArgs], {
      env: { PROM_TOKEN: TOKEN },
      source,
    });
    const output = result.stdout + result.stderr;
    assert.doesNotMatch(output, new RegExp(TOKEN), 'the token must never be printed');
    let report: AnalysisReport | undefined;
    try {
      report = JSON.parse(await readFile(reportFile, 'utf8')) as AnalysisReport;
    } catch {
      report = undefined;
    }
    return { ...result, output, report };
  }

  test('A/A (the committed dist/cli.js): identical tracks pass, with a progress line per poll and a complete report', async () => {
    exporter.setTrack('canary', healthy);
    const { code, output, report } = await analyze('aa', configFor(prometheus.url), [], 'dist');
    assert.equal(code, 0, output);
    assert.match(output, /\[\d+s\/24s\] http-error-rate .* vs .* e=.*\| http-latency/);
    assert.equal(report?.schemaVersion, 1);
    assert.equal(report?.verdict, 'pass');
    const errors = report?.metrics.find((m) => m.name === 'http-error-rate');
    assert.ok(errors && errors.samples > 0);
    assert.equal(
      errors?.queries['canary.bad'],
      'sum(increase(http_requests_total{ track="canary", code=~"5.." }[2s]))',
    );
    assert.ok((errors?.canary.total ?? 0) > 0 && (errors?.baseline.total ?? 0) > 0);
    assert.ok(errors?.bounds && errors.bounds[0] !== null);
  });

  test('a canary with several times the errors fails early with exit 1', async () => {
    exporter.setTrack('canary', { ...healthy, errorRate: 0.3 });
    const { code, output, report } = await analyze('errors', configFor(prometheus.url));
    assert.equal(code, 1, output);
    assert.equal(report?.verdict, 'fail');
    const errors = report?.metrics.find((m) => m.name === 'http-error-rate');
    assert.equal(errors?.verdict, 'fail');
    assert.ok((errors?.estimate ?? 0) > 3, `estimate ${errors?.estimate}`);
    assert.ok((errors?.evidence ?? 0) >= (errors?.threshold ?? Infinity));
    const decidedAfter = Date.parse(report?.decidedAt ?? '') - Date.parse(report?.startedAt ?? '');
    assert.ok(
      report && report.polls * 2000 < 24_000,
      `decided early: ${report?.polls} polls, ${decidedAfter} ms`,
    );
  });

  test('a latency shift fails', async () => {
    exporter.setTrack('canary', { ...healthy, latencyMs: 160 });
    const { code, report, output } = await analyze('latency', configFor(prometheus.url));
    assert.equal(code, 1, output);
    assert.equal(report?.metrics.find((m) => m.name === 'http-latency')?.verdict, 'fail');
    assert.ok((report?.metrics.find((m) => m.name === 'http-latency')?.testedBounds?.length ?? 0) >= 2);
  });

  test('a canary with no traffic is inconclusive (exit 3), not a pass', async () => {
    exporter.setTrack('canary', healthy);
    const config = configFor(prometheus.url).replace(`'track="canary"'`, `'track="nonexistent"'`);
    const { code, report, output } = await analyze('no-traffic', config);
    assert.equal(code, 3, output);
    assert.equal(report?.verdict, 'inconclusive');
    assert.match(report?.reason ?? '', /no data/i);
  });

  test('onInconclusive: pass turns the same case into exit 0, with the verdict still inconclusive', async () => {
    const config = configFor(prometheus.url, '  onInconclusive: pass').replace(
      `'track="canary"'`,
      `'track="nonexistent"'`,
    );
    const { code, report } = await analyze('no-traffic-pass', config);
    assert.equal(code, 0);
    assert.equal(report?.verdict, 'inconclusive');
    assert.equal(report?.outcome, 'passed');
  });

  test("a broken query exits 2 showing the query and Prometheus' error", async () => {
    const config = configFor(prometheus.url).replace(
      '- {template: http-latency}',
      `- {name: broken, type: gauge, query: 'sum(rate(x{ {{selector}} }[{{interval}}])', blocking: false}`,
    );
    const { code, output } = await analyze('broken', config);
    assert.equal(code, 2, output);
    assert.match(output, /metric "broken" \((canary|baseline)\.value query\)/);
    assert.match(output, /sum\(rate\(x\{ track="(canary|baseline)" \}\[2s\]\)/);
    assert.match(output, /parse error/);
    assert.doesNotMatch(output, /warm-up/, 'a broken query is reported before the warm-up');
  });

  test('an unreachable backend exits 4 after retries', async () => {
    const { code, output } = await analyze('unreachable', configFor('http://127.0.0.1:9'));
    assert.equal(code, 4, output);
    assert.match(output, /127\.0\.0\.1:9/);
  });
});
