import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { request, runDemoAppToExit, samples, startDemoApp, waitFor } from './helpers.ts';
import type { DemoApp } from './helpers.ts';

const DEFAULT_BUCKETS = [
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '+Inf',
];

const started: DemoApp[] = [];
async function demoApp(env: Record<string, string>): Promise<DemoApp> {
  const app = await startDemoApp(env);
  started.push(app);
  return app;
}
after(() => Promise.all(started.map((app) => app.stop())));

async function metrics(app: DemoApp): Promise<string> {
  const response = await request(`${app.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return response.body;
}

function bucket(text: string, path: string, le: string): number {
  return samples(text, 'http_request_duration_seconds_bucket')
    .filter((s) => s.labels.path === path && s.labels.le === le)
    .reduce((sum, s) => sum + s.value, 0);
}

describe('demo app', () => {
  test('serves /, /healthz and counts every request in Prometheus format', async () => {
    const before = Date.now() / 1000;
    const app = await demoApp({
      DEMO_VERSION: '2.1.0',
      APP_VERSION: 'abc123',
      CANARY_TRACK: 'canary',
      HOSTNAME: 'web-1',
    });
    const root = await request(`${app.url}/`);
    assert.equal(root.status, 200);
    assert.deepEqual(JSON.parse(root.body), {
      service: 'demo-app',
      version: '2.1.0',
      appVersion: 'abc123',
      track: 'canary',
      hostname: 'web-1',
    });
    for (let i = 0; i < 4; i++) await request(`${app.url}/`);
    for (let i = 0; i < 2; i++) assert.equal((await request(`${app.url}/healthz`)).status, 200);
    assert.equal((await request(`${app.url}/nope`)).status, 404);

    const text = await metrics(app);
    const count = (labels: Record<string, string>) =>
      samples(text, 'http_requests_total').find((s) =>
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
    assert.equal(count({ code: '200', method: 'GET', path: '/' }), 5);
    assert.equal(count({ code: '200', method: 'GET', path: '/healthz' }), 2);
    assert.equal(count({ code: '404', method: 'GET', path: 'other' }), 1);
    assert.match(text, /^# TYPE http_requests_total counter$/m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);

    const rootBuckets = samples(text, 'http_request_duration_seconds_bucket').filter(
      (s) => s.labels.path === '/',
    );
    assert.deepEqual(
      rootBuckets.map((s) => s.labels.le),
      DEFAULT_BUCKETS,
    );
    const values = rootBuckets.map((s) => s.value);
    values.forEach((value, i) =>
      assert.ok(i === 0 || value >= (values[i - 1] ?? 0), 'buckets are cumulative'),
    );
    assert.equal(values.at(-1), 5);
    const [countSample] = samples(text, 'http_request_duration_seconds_count').filter(
      (s) => s.labels.path === '/',
    );
    const [sumSample] = samples(text, 'http_request_duration_seconds_sum').filter(
      (s) => s.labels.path === '/',
    );
    assert.equal(countSample?.value, 5);
    assert.ok((sumSample?.value ?? 0) > 0);

    const [startTime] = samples(text, 'process_start_time_seconds');
    assert.ok(startTime && startTime.value >= before - 60 && startTime.value <= Date.now() / 1000);
    assert.deepEqual(samples(text, 'demo_app_info')[0]?.labels, { version: '2.1.0', track: 'canary' });
  });

  test('DEMO_ERROR_RATE=0.5 answers about half of / with 500, and the metrics agree', async () => {
    const app = await demoApp({ DEMO_ERROR_RATE: '0.5' });
    const n = 400;
    let failures = 0;
    for (let batch = 0; batch < n / 20; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => request(`${app.url}/`)));
      failures += results.filter((r) => r.status === 500).length;
      assert.ok(results.every((r) => r.status === 200 || r.status === 500));
    }
    // failures ~ Binomial(400, 0.5): mean 200, sd 10. ±6 sd = [140, 260] (35%–65%); a false alarm has
    // probability ~2e-9.
    assert.ok(failures >= 140 && failures <= 260, `${failures} of ${n} failed`);
    const text = await metrics(app);
    const byCode = (code: string) =>
      samples(text, 'http_requests_total').find((s) => s.labels.path === '/' && s.labels.code === code)
        ?.value ?? 0;
    assert.equal(byCode('500'), failures);
    assert.equal(byCode('200'), n - failures);
  });

  test('DEMO_LATENCY_MS delays every / request; the histogram shows it', async () => {
    const app = await demoApp({ DEMO_LATENCY_MS: '60' });
    await Promise.all(Array.from({ length: 10 }, () => request(`${app.url}/`)));
    const text = await metrics(app);
    assert.equal(bucket(text, '/', '0.05'), 0, 'no request faster than its 60 ms latency');
    assert.equal(bucket(text, '/', '+Inf'), 10);
  });

  test('DEMO_SLOW_FRACTION + DEMO_SLOW_MS add a slow tail to that fraction of requests', async () => {
    const app = await demoApp({ DEMO_SLOW_FRACTION: '0.5', DEMO_SLOW_MS: '1500' });
    const n = 40;
    await Promise.all(Array.from({ length: n }, () => request(`${app.url}/`)));
    const text = await metrics(app);
    // Slow requests take >= 1.5 s, so they are exactly those above the 1 s bucket (fast ones on
    // loopback take milliseconds). slow ~ Binomial(40, 0.5): sd 3.2; [5, 35] fails with probability ~2e-7.
    const slow = bucket(text, '/', '+Inf') - bucket(text, '/', '1');
    assert.equal(bucket(text, '/', '+Inf'), n);
    assert.ok(slow >= 5 && slow <= 35, `${slow} of ${n} slow`);
  });

  test('logs a start line and periodic summaries', async () => {
    const app = await demoApp({ DEMO_SUMMARY_INTERVAL_MS: '200', DEMO_VERSION: '3.0.0' });
    assert.match(
      app.output(),
      /demo-app: version 3\.0\.0 track - listening on http:\/\/127\.0\.0\.1:\d+ pid \d+/,
    );
    await request(`${app.url}/`);
    await waitFor('a summary line counting the request', () => /total [1-9]\d*/.test(app.output()));
    assert.match(app.output(), /last 0\.2s: \d+ requests, \d+ errors \(\d+\.\d%\); total \d+/);
  });

  test('SIGTERM finishes the request in flight, then exits 0', async () => {
    const app = await demoApp({ DEMO_LATENCY_MS: '1500' });
    const inFlight = request(`${app.url}/`);
    await waitFor('the request to be in flight', async () => {
      const [gauge] = samples(await metrics(app), 'http_requests_in_flight');
      return gauge?.value === 1;
    });
    app.child.kill('SIGTERM');
    assert.equal((await inFlight).status, 200);
    assert.equal(await app.exited, 0);
    assert.match(app.output(), /received SIGTERM, shutting down/);
  });

  test('DEMO_CRASH exits 1 at start with a message', async () => {
    const { code, stderr } = await runDemoAppToExit({ DEMO_CRASH: 'true' });
    assert.equal(code, 1);
    assert.match(stderr, /DEMO_CRASH is set: exiting with code 1/);
  });

  test('an invalid variable exits 1 naming the variable, its value and what was expected', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DEMO_ERROR_RATE: '1.5' }, /invalid DEMO_ERROR_RATE="1\.5": expected a number between 0 and 1/],
      [{ DEMO_LATENCY_MS: '-5' }, /invalid DEMO_LATENCY_MS="-5": expected a number between 0 and 600000/],
      [{ DEMO_SLOW_FRACTION: 'half' }, /invalid DEMO_SLOW_FRACTION="half"/],
      [{ PORT: '80.5' }, /invalid PORT="80\.5": expected an integer between 0 and 65535/],
      [{ DEMO_CRASH: 'maybe' }, /invalid DEMO_CRASH="maybe": expected one of 1, true, yes, 0, false, no/],
    ];
    for (const [env, message] of cases) {
      const { code, stderr } = await runDemoAppToExit(env);
      assert.equal(code, 1, JSON.stringify(env));
      assert.match(stderr, message);
    }
  });
});
