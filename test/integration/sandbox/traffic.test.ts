/**
 * Real traffic through the sandbox: Service and HTTPRoute listeners spread requests over real pod
 * processes, and the real Prometheus scrapes those pods through the targets file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { PROMETHEUS_BIN, startPrometheus } from '../../support/prometheus.ts';
import { apiRequest, deploymentManifest, serviceManifest, waitFor } from './helpers.ts';

/** Every request this file sends to `/`, by the pod that answered (Prometheus counters must match). */
const served = new Map<string, number>();

function get(port: number): Promise<{ status: number; hostname: string; track: string | null }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
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

async function send(port: number, n: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i += 1) {
    const { status, hostname, track } = await get(port);
    assert.equal(status, 200);
    const key = `${track}/${hostname}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function share(counts: Map<string, number>, track: string): number {
  let total = 0;
  let mine = 0;
  for (const [key, n] of counts) {
    total += n;
    if (key.startsWith(`${track}/`)) mine += n;
  }
  return mine / total;
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
    await create(`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web' },
      spec: {
        rules: [
          {
            backendRefs: [
              { name: 'web-stable', port: 80, weight: 80 },
              { name: 'web-canary', port: 80, weight: 20 },
            ],
          },
        ],
      },
    });
    await waitFor('4 ready endpoints behind Service web', async () => {
      const ep = (await apiRequest(sandbox, 'GET', `/api/v1/namespaces/${ns}/endpoints/web`)).json;
      return ep?.subsets?.[0]?.addresses?.length === 4 && !ep.subsets[0].notReadyAddresses;
    });
    await waitFor(
      'listener ports',
      () => sandbox.listenerPort('service', ns, 'web') && sandbox.listenerPort('httproute', ns, 'web'),
    );
    // The listeners learn about endpoints in the same controller pass that wrote them; one more pass to be sure.
    await waitFor(
      'the canary service listener to have its pod',
      async () => (await get(sandbox.listenerPort('service', ns, 'web-canary')!)).status === 200,
    );
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('a Service listener round-robins over its ready pods: 1 canary pod of 4 gets a quarter', async () => {
    const n = 200;
    const counts = await send(sandbox.listenerPort('service', ns, 'web')!, n);
    assert.equal(counts.size, 4, `every pod answers: ${JSON.stringify([...counts])}`);
    for (const [pod, count] of counts)
      assert.ok(Math.abs(count - n / 4) <= n * 0.05, `${pod} got ${count} of ${n}`);
    assert.ok(Math.abs(share(counts, 'canary') - 0.25) <= 0.05, `canary share ${share(counts, 'canary')}`);
    console.log(`# service split over ${n} requests: ${JSON.stringify(Object.fromEntries(counts))}`);
  });

  test('an HTTPRoute gateway listener honours backendRef weights (80/20)', async () => {
    const n = 400;
    const counts = await send(sandbox.listenerPort('httproute', ns, 'web')!, n);
    const canary = share(counts, 'canary');
    // Weighted random choice: 20% ± 8 points is four standard deviations at n = 400.
    assert.ok(canary > 0.12 && canary < 0.28, `canary share ${canary}`);
    console.log(`# gateway canary share over ${n} requests: ${canary.toFixed(3)}`);
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
