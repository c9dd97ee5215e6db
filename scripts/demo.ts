/**
 * The analysis demo: a real Prometheus scrapes two real processes of the demo app, a baseline and
 * a canary, under steady loopback traffic; `canary-action analyze` judges a good canary (pass), then
 * a canary answering 5% of requests with a 500 (fail). Everything runs on 127.0.0.1 and stops at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import { runAnalyzeCommand } from '../src/pipeline/analyze-command.ts';
import { createLocalPlatform } from '../src/platform/local.ts';
import { systemClock } from '../src/util/clock.ts';
import { startPrometheus, waitForSamples } from '../test/support/prometheus.ts';
import { freePort, makeTempDir } from '../test/support/service.ts';
import { startTrafficGenerator } from '../test/sandbox/node/traffic.ts';

const RATE_PER_TRACK = 40;
const root = path.resolve(import.meta.dirname, '..');
const say = (text: string) => console.log(`\n\x1b[1m▶ ${text}\x1b[0m`);

interface App {
  url: string;
  target: string;
  process: ChildProcess;
}

async function startApp(track: string, version: string, env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'examples/demo-app/server.mjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      CANARY_TRACK: track,
      DEMO_VERSION: version,
      DEMO_LATENCY_MS: '20',
      ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, target: `127.0.0.1:${port}`, process: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`demo app (${track}) did not become ready on ${url}`);
}

const config = (prometheusUrl: string) =>
  parseConfig(
    `apiVersion: canary-action/v1
analysis:
  provider: {type: prometheus, url: ${prometheusUrl}}
  tracks: {canary: 'track="canary", path="/"', baseline: 'track="baseline", path="/"'}
  interval: 5s
  warmup: 5s
  minDuration: 30s
  maxDuration: 90s
  metrics:
    - {template: http-error-rate}
    - {template: http-latency}
`,
    process.env,
    'demo config',
  );

async function main(): Promise<number> {
  const dir = await makeTempDir('canary-demo');
  const targetsFile = path.join(dir, 'targets.json');
  const apps: App[] = [];
  const stoppers: Array<() => Promise<unknown>> = [];
  try {
    say('Starting the demo app: a baseline (v1) and a good canary (v2), and a real Prometheus');
    const baseline = await startApp('baseline', 'v1');
    let canary = await startApp('canary', 'v2');
    apps.push(baseline, canary);
    const writeTargets = () =>
      writeFile(
        targetsFile,
        JSON.stringify([
          { targets: [baseline.target], labels: { track: 'baseline' } },
          { targets: [canary.target], labels: { track: 'canary' } },
        ]),
      );
    await writeTargets();
    const prometheus = await startPrometheus({ fileSdPath: targetsFile, scrapeIntervalSeconds: 1 });
    stoppers.push(() => prometheus.stop());
    const traffic = [baseline, canary].map((app) =>
      startTrafficGenerator({ url: `${app.url}/`, ratePerSecond: RATE_PER_TRACK, durationMs: 300_000 }),
    );
    stoppers.push(() => Promise.all(traffic.map((t) => t.stop())));
    await waitForSamples(
      prometheus.url,
      'sum(rate(http_requests_total{track="canary"}[5s]))',
      (s) => (s[0]?.points[0]?.[1] ?? 0) > 0,
      Date.now() + 60_000,
    );
    console.log(`Prometheus ${prometheus.url}, ${RATE_PER_TRACK} req/s to each track`);

    say('Release 1: a good canary — expect PASS');
    const platform = createLocalPlatform();
    const good = await runAnalyzeCommand({
      config: config(prometheus.url),
      platform,
      clock: systemClock,
      reportFile: path.join(dir, 'good.json'),
    });

    say('Release 2: a canary answering 5% of requests with a 500 — expect FAIL');
    canary.process.kill('SIGTERM');
    traffic[1]?.stop();
    canary = await startApp('canary', 'v3', { DEMO_ERROR_RATE: '0.05' });
    apps.push(canary);
    await writeTargets();
    const badTraffic = startTrafficGenerator({
      url: `${canary.url}/`,
      ratePerSecond: RATE_PER_TRACK,
      durationMs: 300_000,
    });
    stoppers.push(() => badTraffic.stop());
    const bad = await runAnalyzeCommand({
      config: config(prometheus.url),
      platform,
      clock: systemClock,
      reportFile: path.join(dir, 'bad.json'),
    });

    say(
      `Results: release 1 ${good.report.verdict} (exit ${good.exitCode}), release 2 ${bad.report.verdict} (exit ${bad.exitCode}); reports in ${dir}`,
    );
    return good.report.verdict === 'pass' && bad.report.verdict === 'fail' ? 0 : 1;
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    for (const app of apps) app.process.kill('SIGTERM');
  }
}

process.exitCode = await main();
