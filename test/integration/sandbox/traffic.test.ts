/**
 * Real traffic through the sandbox's Service listeners (kube-proxy: a random ready endpoint per new
 * connection, every Service port), and the real Prometheus scraping those pods through the targets file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { PROMETHEUS_BIN, startPrometheus } from '../../support/prometheus.ts';
import { apiRequest, assertShare, deploymentManifest, serviceManifest, waitFor } from './helpers.ts';

/** Every request this file sends to `/`, by the pod that answered (Prometheus counters must match). */
const served = new Map<string, number>();

function get(
  port: number,
  agent: http.Agent | false = false,
): Promise<{ status: number; hostname: string; track: string | null }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => {
        const body = JSON.parse(text) as { hostname: string; track: string | null };
        served.set(body.hostname, (served.get(body.hostname) ?? 0) + 1);
        resolve({ status: res.statusCode ?? 0, hostname: body.hostname, track: body.track });
      });
    });
    req.on('error', reject);
  });
}

/** `n` requests, `concurrency` at a time, each on a new connection unless an agent keeps them alive. */
async function send(
  port: number,
  n: number,
  agent: http.Agent | false = false,
  concurrency = 8,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let started = 0;
  const worker = async () => {
    while (started < n) {
      started += 1;
      const { status, hostname, track } = await get(port, agent);
      assert.equal(status, 200);
      const key = `${track}/${hostname}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

describe('sandbox traffic', () => {
  let sandbox: Sandbox;
  const ns = 'demo';
  const create = async (path: string, body: unknown) => {
    const res = await apiRequest(sandbox, 'POST', path, { body });
    assert.equal(res.status, 201, res.text);
  };

  before(async () => {
    sandbox = await startSandbox({ timeScale: 0.2 });
    const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
    const services = `/api/v1/namespaces/${ns}/services`;
    await create(
      deployments,
      deploymentManifest('web-stable', ns, {
        replicas: 3,
        labels: { app: 'web', track: 'stable' },
        env: { CANARY_TRACK: 'stable' },
      }),
    );
    await create(
      deployments,
      deploymentManifest('web-canary', ns, {
        replicas: 1,
        labels: { app: 'web', track: 'canary' },
        env: { CANARY_TRACK: 'canary' },
      }),
    );
    await create(services, serviceManifest('web', ns, { app: 'web' }));
    await create(services, serviceManifest('web-stable', ns, { app: 'web', track: 'stable' }));
    await create(services, serviceManifest('web-canary', ns, { app: 'web', track: 'canary' }));
    await create(services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sticky' },
      spec: {
        selector: { app: 'web' },
        sessionAffinity: 'ClientIP',
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    });
    await create(services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'multi' },
      spec: {
        selector: { app: 'web', track: 'canary' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'alt', port: 8081, targetPort: 8080 },
          { name: 'none', port: 9999, targetPort: 'no-such-port' },
        ],
      },
    });
    await waitFor('4 ready endpoints behind Service web', async () => {
      const ep = (await apiRequest(sandbox, 'GET', `/api/v1/namespaces/${ns}/endpoints/web`)).json;
      return ep?.subsets?.[0]?.addresses?.length === 4 && !ep.subsets[0].notReadyAddresses;
    });
    await waitFor('listener ports', () => sandbox.listenerPort('service', ns, 'web'));
    // The listeners learn about endpoints in the same controller pass that wrote them; one more pass to be sure.
    await waitFor(
      'the canary service listener to have its pod',
      async () => (await get(sandbox.listenerPort('service', ns, 'web-canary')!)).status === 200,
    );
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('a Service listener sends each new connection to a random ready pod: 1 canary pod of 4 gets a quarter', async () => {
    const n = 2000;
    const counts = await send(sandbox.listenerPort('service', ns, 'web')!, n);
    assert.equal(counts.size, 4, `every pod answers: ${JSON.stringify([...counts])}`);
    for (const [pod, count] of counts) assertShare(pod, count, n, 0.25);
    console.log(`# service split over ${n} connections: ${JSON.stringify(Object.fromEntries(counts))}`);
  });

  test('a kept-alive connection stays with its pod, as with kube-proxy; many connections spread', async () => {
    const port = sandbox.listenerPort('service', ns, 'web')!;
    const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const counts = await send(port, 100, one, 1);
      assert.equal(counts.size, 1, `one connection, one pod: ${JSON.stringify([...counts])}`);
    } finally {
      one.destroy();
    }
    // 40 kept-alive connections, 10 requests each: whole connections land on pods, not requests.
    const pods = new Set<string>();
    for (let c = 0; c < 40; c += 1) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const counts = await send(port, 10, agent, 1);
        assert.equal(counts.size, 1);
        assert.equal([...counts.values()][0], 10);
        pods.add([...counts.keys()][0]!);
      } finally {
        agent.destroy();
      }
    }
    // Each of 4 pods is missed by 40 random connections with probability (3/4)^40 ≈ 1e-5.
    assert.equal(pods.size, 4, `connections spread over the pods: ${[...pods].join(', ')}`);
  });

  test('sessionAffinity ClientIP: every new connection from one client goes to the same pod', async () => {
    const port = await waitFor('the sticky Service listener', () =>
      sandbox.listenerPort('service', ns, 'sticky'),
    );
    await waitFor('the sticky Service to have its 4 endpoints', () => {
      const config = sandbox.listenerConfig('service', ns, 'sticky');
      return config && 'endpoints' in config && config.endpoints.length === 4;
    });
    const counts = await send(port, 100);
    assert.equal(counts.size, 1, `one client, one pod: ${JSON.stringify([...counts])}`);
  });

  test('every port of a Service gets a listener (targetPort by name or number); a port no pod has resets connections', async () => {
    const ports = await waitFor('the multi-port Service listeners', () => {
      const found = [80, 8081, 9999].map((p) => sandbox.listenerPort('service', ns, 'multi', p));
      return found.every((p) => p !== undefined) ? (found as number[]) : undefined;
    });
    assert.equal(sandbox.listenerPort('service', ns, 'multi'), ports[0], 'the first port is the default');
    const service = (await apiRequest(sandbox, 'GET', `/api/v1/namespaces/${ns}/services/multi`)).json;
    assert.deepEqual(JSON.parse(service.metadata.annotations['sandbox.canary-action.dev/ports']), {
      '80': ports[0],
      '8081': ports[1],
      '9999': ports[2],
    });
    assert.equal((await get(ports[0]!)).track, 'canary');
    assert.equal((await get(ports[1]!)).track, 'canary');
    await assert.rejects(get(ports[2]!), /ECONNRESET|socket hang up/);
  });

  test(
    'the real Prometheus scrapes every ready pod through the targets file; per-pod counts match the traffic sent',
    { skip: existsSync(PROMETHEUS_BIN) ? false : `Prometheus not found at ${PROMETHEUS_BIN}` },
    async () => {
      await sandbox.flushTargets();
      const prometheus = await startPrometheus({ fileSdPath: sandbox.targetsFile, scrapeIntervalSeconds: 1 });
      try {
        const query = async (promql: string) => {
          const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
          return (
            (await res.json()) as {
              data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
            }
          ).data.result;
        };
        await waitFor('Prometheus to scrape 4 pods', async () => (await query('up == 1')).length === 4);
        const up = await query('up');
        for (const series of up) {
          assert.equal(series.metric.namespace, ns);
          assert.ok(
            served.has(series.metric.pod!),
            `pod label ${series.metric.pod} names a pod that served traffic`,
          );
          assert.equal(series.metric.app, 'web');
          assert.ok(['stable', 'canary'].includes(series.metric.track!));
        }
        await send(sandbox.listenerPort('service', ns, 'web')!, 100);
        const expected = Object.fromEntries([...served].sort());
        const seen = await waitFor(
          'Prometheus counters to match the requests sent',
          async () => {
            const result = await query('sum by (pod) (http_requests_total{path="/"})');
            const counts = Object.fromEntries(result.map((r) => [r.metric.pod!, Number(r.value[1])]).sort());
            return JSON.stringify(counts) === JSON.stringify(expected) ? counts : undefined;
          },
          60_000,
        );
        const canary = await query(
          'sum(http_requests_total{path="/", track="canary"}) / sum(http_requests_total{path="/"})',
        );
        console.log(
          `# Prometheus per-pod request counts: ${JSON.stringify(seen)}; canary share ${Number(canary[0]!.value[1]).toFixed(3)}`,
        );
      } finally {
        await prometheus.stop();
      }
    },
  );
});
