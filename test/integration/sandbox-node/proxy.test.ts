import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTrafficProxy } from '../../sandbox/node/proxy.ts';
import type { Backend, TrafficProxy } from '../../sandbox/node/types.ts';
import { freePort, request } from './helpers.ts';

/** Four small backends that answer with their own name and echo the request they got. */
const servers: http.Server[] = [];
const backends: Backend[] = [];
let proxy: TrafficProxy;

before(async () => {
  for (let i = 0; i < 4; i++) {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            backend: i,
            method: req.method,
            url: req.url,
            body,
            xff: req.headers['x-forwarded-for'],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    backends.push({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
  }
  proxy = await startTrafficProxy();
});

after(async () => {
  await proxy?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function spread(total: number): Promise<number[]> {
  const counts = [0, 0, 0, 0];
  for (let batch = 0; batch < total / 25; batch++) {
    const responses = await Promise.all(
      Array.from({ length: 25 }, () => request(`http://127.0.0.1:${proxy.port}/`)),
    );
    for (const response of responses) {
      assert.equal(response.status, 200);
      const { backend } = JSON.parse(response.body) as { backend: number };
      counts[backend] = (counts[backend] ?? 0) + 1;
    }
  }
  return counts;
}

describe('traffic proxy', () => {
  test('listens on 127.0.0.1 and forwards method, path, body and X-Forwarded-For', async () => {
    assert.equal(proxy.host, '127.0.0.1');
    proxy.setBackendGroups([{ weight: 1, backends: [backends[2] as Backend] }]);
    const response = await request(`http://127.0.0.1:${proxy.port}/orders?id=7`, {
      method: 'POST',
      body: 'hello',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), {
      backend: 2,
      method: 'POST',
      url: '/orders?id=7',
      body: 'hello',
      xff: '127.0.0.1',
    });
  });

  test('one group of 4 pods: the canary pod gets a quarter of 300 requests (round-robin)', async () => {
    proxy.setBackendGroups([{ weight: 100, backends }]);
    // Round-robin over 4 backends gives each exactly 300 / 4 = 75, whatever the concurrency.
    assert.deepEqual(await spread(300), [75, 75, 75, 75]);
  });

  test('group weights decide the split, not the number of pods in each group', async () => {
    proxy.setBackendGroups([
      { weight: 50, backends: [backends[0] as Backend] },
      { weight: 50, backends: backends.slice(1) },
    ]);
    const counts = await spread(300);
    const canary = counts[0] ?? 0;
    // canary ~ Binomial(300, 0.5): mean 150, sd 8.7; ±6 sd = [98, 202] fails by chance with probability
    // ~2e-9, and excludes the 75 a per-pod split would give.
    assert.ok(canary >= 98 && canary <= 202, `canary got ${canary} of 300`);
    // Within the stable group the 300 - canary requests go round-robin: the three pods differ by at most one.
    const stable = counts.slice(1);
    assert.ok(Math.max(...stable) - Math.min(...stable) <= 1, `stable split ${stable.join('/')}`);
  });

  test('weights 1:3 across 1 and 3 pods give the canary about 25%', async () => {
    proxy.setBackendGroups([
      { weight: 1, backends: [backends[0] as Backend] },
      { weight: 3, backends: backends.slice(1) },
    ]);
    const canary = (await spread(300))[0] ?? 0;
    // canary ~ Binomial(300, 0.25): mean 75, sd 7.5; ±6 sd = [30, 120] (10%–40%).
    assert.ok(canary >= 30 && canary <= 120, `canary got ${canary} of 300`);
  });

  test('no backends: 503 with a body that says why', async () => {
    proxy.setBackendGroups([]);
    const response = await request(`http://127.0.0.1:${proxy.port}/`);
    assert.equal(response.status, 503);
    assert.match(response.body, /no ready endpoints/);
    proxy.setBackendGroups([{ weight: 1, backends: [] }]);
    assert.equal((await request(`http://127.0.0.1:${proxy.port}/`)).status, 503);
  });

  test('a backend that refuses connections: 502 naming it', async () => {
    const port = await freePort();
    proxy.setBackendGroups([{ weight: 1, backends: [{ host: '127.0.0.1', port }] }]);
    const response = await request(`http://127.0.0.1:${proxy.port}/`);
    assert.equal(response.status, 502);
    assert.match(response.body, new RegExp(`upstream 127\\.0\\.0\\.1:${port} failed: ECONNREFUSED`));
  });
});
