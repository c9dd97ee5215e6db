// Tests of src/util/http.ts (kept here, with the providers that use it) against real local HTTP(S)
// servers on loopback: retries, back-off, abort, TLS and the mapping of failures to typed errors.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  backendErrorText,
  backoffDelay,
  createHttpClient,
  redactUrl,
  type HttpClientOptions,
} from '../../../src/util/http.ts';
import { BackendError, ConfigError, ExitCode, QueryError } from '../../../src/util/errors.ts';
import { freePort, waitFor } from '../../support/service.ts';
import {
  reply,
  startRecordingServer,
  type RecordingServer,
  type Reply,
} from '../../support/recording-server.ts';

const servers: RecordingServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function scriptedServer(replies: Reply[], tls?: { key: Buffer; cert: Buffer }) {
  const server = await startRecordingServer(replies, tls);
  servers.push(server);
  return server;
}

const { json, hang } = reply;

function client(baseUrl: string, extra: Partial<HttpClientOptions> = {}, delays: number[] = []) {
  return createHttpClient({
    baseUrl,
    timeoutMs: 2000,
    retries: 2,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
}

describe('backoffDelay', () => {
  test('doubles per attempt, jitters within [cap/2, cap], and stops growing at maxMs', () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 1)),
      [100, 200, 400, 800, 1000, 1000],
    );
    assert.equal(
      backoffDelay(2, policy, () => 0),
      200,
    );
    assert.equal(
      backoffDelay(2, policy, () => 0.5),
      300,
    );
  });
});

describe('redactUrl and backendErrorText', () => {
  test('credentials and query parameters never appear in a printed URL', () => {
    assert.equal(
      redactUrl('https://alice:s3cret@metrics.example:9090/prom/?u=bob&p=pw'),
      'https://metrics.example:9090/prom',
    );
  });
  test('extracts the error of Prometheus, InfluxDB and Datadog bodies', () => {
    assert.equal(
      backendErrorText('{"status":"error","errorType":"bad_data","error":"parse error"}'),
      'bad_data: parse error',
    );
    assert.equal(backendErrorText('{"errors":["Rate limit","bad query"]}'), 'Rate limit; bad query');
    assert.equal(backendErrorText('{"code":"invalid","message":"compilation failed"}'), 'compilation failed');
    assert.equal(backendErrorText('  upstream\n  down '), 'upstream down');
  });
});

describe('createHttpClient', () => {
  test('retries 503 and 429 with growing back-off, then returns the answer', async () => {
    const server = await scriptedServer([
      json(503, { error: 'busy' }),
      json(429, {}),
      json(200, { ok: true }),
    ]);
    const delays: number[] = [];
    const response = await client(server.url, { retries: 3 }, delays).request({ method: 'GET', path: '/x' });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { ok: true });
    assert.equal(server.seen.length, 3);
    assert.deepEqual(delays, [188, 375]);
  });

  test('a Retry-After header lengthens the wait', async () => {
    const server = await scriptedServer([json(429, {}, { 'Retry-After': '2' }), json(200, {})]);
    const delays: number[] = [];
    await client(server.url, {}, delays).request({ method: 'GET', path: '/' });
    assert.deepEqual(delays, [2000]);
  });

  test('gives up after the configured retries with a BackendError naming the URL without credentials', async () => {
    const server = await scriptedServer([json(500, { error: 'boom' })]);
    const withCredentials = server.url.replace('http://', 'http://alice:s3cret@');
    const request = client(`${withCredentials}/prom`, {
      headers: { 'X-Scope-OrgID': 'tenant-secret' },
      bearerToken: 'token-secret',
    }).request({ method: 'GET', path: '/api/v1/query_range', params: { query: 'up' } });
    const error = await request.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof BackendError, String(error));
    assert.equal(error.exitCode, ExitCode.Infrastructure);
    assert.equal(server.seen.length, 3);
    assert.match(
      error.message,
      /GET http:\/\/127\.0\.0\.1:\d+\/prom\/api\/v1\/query_range failed after 3 attempts: HTTP 500: boom/,
    );
    for (const secret of ['s3cret', 'alice', 'token-secret', 'tenant-secret'])
      assert.ok(!error.message.includes(secret));
    assert.ok(!String(error.cause).includes('token-secret'));
  });

  test('a 400 is a QueryError with the query and the backend text, not retried', async () => {
    const server = await scriptedServer([
      json(400, { status: 'error', errorType: 'bad_data', error: 'unexpected "}"' }),
    ]);
    const error = await client(server.url)
      .request({ method: 'GET', path: '/q', query: 'sum(x}' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof QueryError, String(error));
    assert.equal(error.exitCode, ExitCode.InvalidInput);
    assert.equal(error.query, 'sum(x}');
    assert.match(
      error.message,
      /rejected the query \(HTTP 400\): bad_data: unexpected "}"\n {2}query: sum\(x}/,
    );
    assert.equal(server.seen.length, 1);
  });

  test('401 is a ConfigError about credentials, 404 a BackendError; neither is retried', async () => {
    const unauthorized = await scriptedServer([json(401, { message: 'unauthorized access' })]);
    const error401 = await client(unauthorized.url, { bearerToken: 'tok' })
      .request({ method: 'GET', path: '/', query: 'up' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error401 instanceof ConfigError, String(error401));
    assert.match(
      error401.message,
      /^analysis\.provider: .*refused the credentials \(HTTP 401\): unauthorized access/,
    );
    assert.ok(!error401.message.includes('tok;') && !error401.message.includes('Bearer'));
    const missing = await scriptedServer([json(404, {})]);
    await assert.rejects(client(missing.url).request({ method: 'GET', path: '/nope' }), BackendError);
    assert.equal(unauthorized.seen.length + missing.seen.length, 2);
  });

  test('sends headers, bearer token, basic auth, query parameters and form bodies', async () => {
    const server = await scriptedServer([json(200, {})]);
    await client(server.url, { headers: { 'X-Scope-OrgID': 'team-a' }, bearerToken: 'tok' }).request({
      method: 'GET',
      path: '/a',
      params: { query: 'up{job="x"}' },
    });
    await client(server.url, { basicAuth: { username: 'u', password: 'p w' } }).request({
      method: 'POST',
      path: '/b',
      form: { query: 'a+b', step: '5s' },
    });
    const [first, second] = server.seen;
    assert.equal(first?.headers.authorization, 'Bearer tok');
    assert.equal(first?.headers['x-scope-orgid'], 'team-a');
    assert.equal(new URL(first?.url ?? '', 'http://x').searchParams.get('query'), 'up{job="x"}');
    assert.equal(second?.headers.authorization, `Basic ${Buffer.from('u:p w').toString('base64')}`);
    assert.equal(second?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(second?.body)), { query: 'a+b', step: '5s' });
  });

  test('connection refused is retried, then a BackendError naming the cause', async () => {
    const port = await freePort();
    const delays: number[] = [];
    const error = await client(`http://127.0.0.1:${port}`, { retries: 1 }, delays)
      .request({ method: 'GET', path: '/' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof BackendError, String(error));
    assert.match(error.message, /failed after 2 attempts: .*ECONNREFUSED/);
    assert.equal(delays.length, 1);
  });

  test('a request that outlives timeoutMs is retried and reported as a timeout', async () => {
    const server = await scriptedServer([hang]);
    const error = await client(server.url, { timeoutMs: 200, retries: 1 })
      .request({ method: 'GET', path: '/' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof BackendError, String(error));
    assert.match(error.message, /after 2 attempts: timed out after 200 ms/);
    assert.equal(server.seen.length, 2);
  });

  test('an abort ends an in-flight request and a back-off wait with the signal reason, without retrying', async () => {
    const server = await scriptedServer([hang]);
    const controller = new AbortController();
    const pending = client(server.url, { timeoutMs: 60_000 }).request({
      method: 'GET',
      path: '/',
      signal: controller.signal,
    });
    await waitFor(
      'the request to arrive',
      async () => (server.seen.length === 1 ? true : undefined),
      10_000,
      10,
    );
    controller.abort(new Error('cancelled by user'));
    await assert.rejects(pending, /cancelled by user/);
    assert.equal(server.seen.length, 1);

    const failing = await scriptedServer([json(503, {})]);
    const during = new AbortController();
    const waiting = createHttpClient({
      baseUrl: failing.url,
      timeoutMs: 2000,
      retries: 5,
      backoff: { baseMs: 60_000 },
    });
    const result = waiting.request({ method: 'GET', path: '/', signal: during.signal });
    await waitFor(
      'the first attempt',
      async () => (failing.seen.length === 1 ? true : undefined),
      10_000,
      10,
    );
    during.abort(new Error('stop waiting'));
    await assert.rejects(result, /stop waiting/);
    assert.equal(failing.seen.length, 1);
  });
});

describe('TLS', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'http-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const tls = { key: readFileSync(keyFile), cert: readFileSync(certFile) };

  test('verifies certificates by default and fails without retrying', async () => {
    const server = await scriptedServer([json(200, {})], tls);
    const error = await client(server.url)
      .request({ method: 'GET', path: '/' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof BackendError, String(error));
    assert.match(error.message, /TLS verification failed .*set caFile/);
    assert.equal(server.seen.length, 0);
  });

  test('trusts a CA given in caFile', async () => {
    const server = await scriptedServer([json(200, { trusted: true })], tls);
    const response = await client(server.url, { caFile: certFile }).request({ method: 'GET', path: '/' });
    assert.deepEqual(JSON.parse(response.text), { trusted: true });
  });

  test('skips verification only when insecureSkipVerify is set', async () => {
    const server = await scriptedServer([json(200, {})], tls);
    const response = await client(server.url, { insecureSkipVerify: true }).request({
      method: 'GET',
      path: '/',
    });
    assert.equal(response.status, 200);
  });

  test('an unreadable caFile is a ConfigError naming the field', () => {
    assert.throws(() => client('https://127.0.0.1:1', { caFile: path.join(dir, 'missing.pem') }), {
      name: 'ConfigError',
      message: /analysis\.provider\.caFile: cannot read CA file/,
    });
  });

  test('a caFile that holds no PEM certificate is a ConfigError naming the field, whatever the URL scheme', async () => {
    const notPem = path.join(dir, 'not-a-cert.pem');
    await writeFile(notPem, 'this is not a certificate\n');
    for (const url of ['https://127.0.0.1:1', 'http://127.0.0.1:1'])
      assert.throws(() => client(url, { caFile: notPem }), {
        name: 'ConfigError',
        message: /analysis\.provider\.caFile: .*holds no PEM certificate/,
      });
  });
});
