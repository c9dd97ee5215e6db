import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTrafficGenerator } from '../../sandbox/node/traffic.ts';
import { freePort } from './helpers.ts';

/** Answers /fail with 500 and everything else with 200, counting what it receives. */
let server: http.Server;
let base = '';
const received: string[] = [];
const hosts: string[] = [];
const connections = new Set<unknown>();

before(async () => {
  server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    hosts.push(`${req.headers.host}|${req.headers['x-canary'] ?? ''}`);
    connections.add(req.socket);
    res.statusCode = req.url === '/fail' ? 500 : 200;
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

describe('traffic generator', () => {
  test('refuses a URL that is not loopback', () => {
    assert.throws(
      () => startTrafficGenerator({ url: 'http://192.168.1.1/', ratePerSecond: 5 }),
      /only sends to loopback/,
    );
  });

  test('stops by itself at maxRequests and counts by status code', async () => {
    received.length = 0;
    const generator = startTrafficGenerator({
      url: base,
      ratePerSecond: 200,
      maxRequests: 60,
      paths: ['/ok', '/fail'],
    });
    const stats = await generator.done;
    assert.deepEqual(stats, {
      sent: 60,
      completed: 60,
      ok: 30,
      errors: 30,
      byStatus: { '200': 30, '500': 30 },
      networkErrors: 0,
    });
    assert.equal(received.length, 60);
    assert.deepEqual(generator.stats(), stats);
  });

  test('stops by itself at durationMs', async () => {
    received.length = 0;
    const stats = await startTrafficGenerator({ url: `${base}/`, ratePerSecond: 50, durationMs: 300 }).done;
    assert.ok(stats.sent >= 1);
    assert.equal(stats.completed, stats.sent);
    assert.equal(received.length, stats.sent);
    const countAfterStop = received.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(received.length, countAfterStop, 'nothing is sent after it stopped');
  });

  test('stop() ends an unbounded run and returns the final counts', async () => {
    const generator = startTrafficGenerator({ url: `${base}/`, ratePerSecond: 100 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = await generator.stop();
    assert.equal(stats.completed, stats.sent);
    assert.equal(stats.ok, stats.sent);
    assert.deepEqual(await generator.done, stats);
  });

  test('sends the given headers (a Host for an ingress rule, an A/B header), each request on a new connection', async () => {
    hosts.length = 0;
    connections.clear();
    const stats = await startTrafficGenerator({
      url: `${base}/`,
      ratePerSecond: 200,
      maxRequests: 20,
      headers: { host: 'web.example.com', 'x-canary': 'always' },
    }).done;
    assert.equal(stats.ok, 20);
    assert.deepEqual([...new Set(hosts)], ['web.example.com|always']);
    assert.equal(connections.size, 20, 'no keep-alive: a Service listener balances every request');
  });

  test('connection errors count as network errors', async () => {
    const port = await freePort();
    const stats = await startTrafficGenerator({
      url: `http://127.0.0.1:${port}/`,
      ratePerSecond: 100,
      maxRequests: 5,
    }).done;
    assert.deepEqual(stats, { sent: 5, completed: 5, ok: 0, errors: 5, byStatus: {}, networkErrors: 5 });
  });
});
