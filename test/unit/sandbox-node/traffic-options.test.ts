import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackHost, startTrafficGenerator } from '../../sandbox/node/traffic.ts';
import { ConfigError } from '../../../src/util/errors.ts';

describe('isLoopbackHost', () => {
  test('accepts 127.0.0.0/8, localhost and ::1', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.254',
      'localhost',
      'LOCALHOST',
      '::1',
      '[::1]',
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
  });

  test('refuses everything else', () => {
    for (const host of [
      '10.0.0.1',
      '128.0.0.1',
      '0.0.0.0',
      'example.com',
      '127.0.0.1.nip.io',
      'localhost.example',
      '::',
      '::2',
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});

describe('startTrafficGenerator options', () => {
  const refused = (options: Parameters<typeof startTrafficGenerator>[0], field: string) =>
    assert.throws(
      () => startTrafficGenerator(options),
      (error: unknown) => error instanceof ConfigError && error.path === field,
    );

  test('refuses a non-loopback URL before sending anything', () => {
    refused({ url: 'http://10.1.2.3:8080/', ratePerSecond: 1 }, 'url');
    refused({ url: 'http://example.com/', ratePerSecond: 1 }, 'url');
    refused({ url: 'not a url', ratePerSecond: 1 }, 'url');
    refused({ url: 'ftp://127.0.0.1/', ratePerSecond: 1 }, 'url');
  });

  test('refuses a rate, bound or path list it cannot honour', () => {
    const url = 'http://127.0.0.1:1/';
    refused({ url, ratePerSecond: 0 }, 'ratePerSecond');
    refused({ url, ratePerSecond: Number.NaN }, 'ratePerSecond');
    refused({ url, ratePerSecond: 1, maxRequests: 0 }, 'maxRequests');
    refused({ url, ratePerSecond: 1, maxRequests: 1.5 }, 'maxRequests');
    refused({ url, ratePerSecond: 1, durationMs: -1 }, 'durationMs');
    refused({ url, ratePerSecond: 1, durationMs: 24 * 3600_000 }, 'durationMs');
    refused({ url, ratePerSecond: 1, paths: [] }, 'paths');
    refused({ url, ratePerSecond: 1, paths: ['healthz'] }, 'paths');
  });
});
