import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError } from '../../../src/kube/errors.ts';
import {
  backoffDelay,
  classifyFailure,
  HttpStatusError,
  networkErrorCode,
  toTypedError,
  withRetry,
} from '../../../src/kube/retry.ts';
import type { Clock } from '../../../src/util/clock.ts';
import { BackendError, ConfigError, PermissionError } from '../../../src/util/errors.ts';

const fetchFailed = (code: string) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
const op = { verb: 'patch', resource: 'deployments', name: 'web', namespace: 'demo' };

test('classifyFailure: throttling, server and network errors retry; conflicts only for writes; other 4xx fail', () => {
  const writes = { retryConflicts: true };
  const reads = { retryConflicts: false };
  for (const status of [429, 500, 502, 503, 504])
    assert.equal(classifyFailure(new HttpStatusError(status, {}), reads), 'retry');
  assert.equal(classifyFailure(new HttpStatusError(409, {}), writes), 'retry');
  assert.equal(classifyFailure(new HttpStatusError(409, {}), reads), 'fail');
  for (const status of [400, 401, 403, 404, 422])
    assert.equal(classifyFailure(new HttpStatusError(status, {}), writes), 'fail');
  assert.equal(classifyFailure(fetchFailed('ECONNREFUSED'), reads), 'retry');
  assert.equal(classifyFailure(Object.assign(new Error('t'), { name: 'TimeoutError' }), reads), 'retry');
  assert.equal(classifyFailure(new Error('a bug'), reads), 'fail');
  assert.equal(networkErrorCode(fetchFailed('ECONNRESET')), 'ECONNRESET');
});

test('backoffDelay doubles up to the cap, jittered in [d/2, d], and honours Retry-After', () => {
  const none = new HttpStatusError(503, {});
  assert.equal(
    backoffDelay(0, none, 200, 5000, () => 0),
    100,
  );
  assert.equal(
    backoffDelay(3, none, 200, 5000, () => 1),
    1600,
  );
  assert.equal(
    backoffDelay(10, none, 200, 5000, () => 1),
    5000,
  );
  assert.equal(backoffDelay(0, new HttpStatusError(429, {}, { 'retry-after': '2' }), 200, 5000), 2000);
  assert.equal(backoffDelay(0, new HttpStatusError(429, {}, { 'retry-after': '60' }), 200, 5000), 5000);
});

test('toTypedError maps statuses to the project errors with the operation and the server message', () => {
  const forbidden = toTypedError(
    op,
    new HttpStatusError(403, {
      message:
        'deployments.apps "web" is forbidden: User "ci" cannot patch resource "deployments" in API group "apps" in the namespace "demo"',
    }),
  );
  assert.ok(forbidden instanceof PermissionError);
  assert.match(
    forbidden.message,
    /^missing permission: cannot patch deployments in namespace "demo" \(while trying to patch deployments\/web in namespace "demo"\)/,
  );
  const invalid = toTypedError(op, new HttpStatusError(422, { message: 'spec.replicas: Invalid value: -1' }));
  assert.ok(invalid instanceof ConfigError);
  assert.equal(invalid.message, 'deployments/web: the object is invalid: spec.replicas: Invalid value: -1');
  const unauthorized = toTypedError(op, new HttpStatusError(401, { message: 'Unauthorized' }));
  assert.ok(unauthorized instanceof ConfigError && unauthorized.path === 'kubeconfig');
  const gone = toTypedError(
    { ...op, verb: 'get' },
    new HttpStatusError(400, JSON.stringify({ reason: 'BadRequest', message: 'no' })),
    1,
  );
  assert.ok(gone instanceof KubeApiError);
  assert.equal(gone.message, 'get deployments/web in namespace "demo": 400 BadRequest: no');
  const down = toTypedError(op, fetchFailed('ECONNREFUSED'), 6);
  assert.ok(down instanceof BackendError);
  assert.equal(
    down.message,
    'patch deployments/web in namespace "demo": cannot reach the Kubernetes API server (ECONNREFUSED) (after 6 attempts)',
  );
});

test('withRetry retries until success, then gives up with a typed error after the bounded attempts', async () => {
  const slept: number[] = [];
  const clock: Clock = { now: () => 0, sleep: async (ms) => void slept.push(ms) };
  let calls = 0;
  const value = await withRetry(
    op,
    async () => {
      calls++;
      if (calls < 3) throw new HttpStatusError(409, { reason: 'Conflict' });
      return 'ok';
    },
    { retryConflicts: true, clock },
  );
  assert.equal(value, 'ok');
  assert.equal(slept.length, 2);

  calls = 0;
  await assert.rejects(
    withRetry(
      op,
      async () => {
        calls++;
        throw new HttpStatusError(503, { reason: 'ServiceUnavailable', message: 'try later' });
      },
      { attempts: 4, clock },
    ),
    (error: unknown) =>
      error instanceof KubeApiError && error.status === 503 && /\(after 4 attempts\)$/.test(error.message),
  );
  assert.equal(calls, 4);
});
