/**
 * What the weighted routers' e2e tests share: a run of the CLI as a process with a written config against
 * the release environment, the stable's resourceVersions, and the canary's share of requests measured
 * through a listener while a step's weight is live.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { apiRequest, sample, waitFor } from '../integration/sandbox/helpers.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { writeManifests, type ReleaseEnvironment } from './environment.ts';

/** Requests per step so that ±3 points is at least 4 binomial standard deviations (4445 at 50%). */
export const requestsFor = (weight: number) =>
  Math.ceil((16 * (weight / 100) * (1 - weight / 100)) / 0.03 ** 2);

export const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

export function weightedRuns(env: ReleaseEnvironment) {
  const ns = env.namespace;
  const admin = async (method: string, p: string, body?: unknown) => {
    const res = await apiRequest(env.sandbox, method, p, body === undefined ? {} : { body });
    assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${res.text}`);
    return res.json;
  };
  const stableVersions = async () => ({
    deployment: (await env.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`)).metadata.resourceVersion,
    service: (await env.get(`/api/v1/namespaces/${ns}/services/web`)).metadata.resourceVersion,
  });
  const writeConfig = async (
    name: string,
    traffic: string,
    minDuration = env.timings.minDuration,
    readyTimeout = env.timings.readyTimeout,
  ) => {
    const file = path.join(env.dir, `${name}.yml`);
    const t = env.timings;
    await writeFile(
      file,
      `apiVersion: canary-action/v1
workload: deployment/web
namespace: ${ns}
traffic: ${traffic}
lockWait: ${t.lockWait}
readyTimeout: ${readyTimeout}
analysis:
  provider: {type: prometheus, url: ${env.prometheusUrl}}
  interval: ${t.interval}
  warmup: ${t.warmup}
  minDuration: ${minDuration}
  maxDuration: ${minDuration === t.minDuration ? t.maxDuration : minDuration}
  metrics:
    - {template: http-error-rate}
`,
    );
    return file;
  };
  const cli = (args: string[]) => runCli([...args, '--kubeconfig', env.kubeconfig]);
  /** `canary-action run` of a new image; the run's promise and where its report goes. */
  const run = async (
    name: string,
    traffic: string,
    image: string,
    options: {
      appEnv?: Record<string, string>;
      minDuration?: string;
      flags?: string[];
      /** Also how long a route change may wait to be accepted. */
      readyTimeout?: string;
    } = {},
  ) => {
    const manifests = await writeManifests(env, name, {
      image,
      ...(options.appEnv ? { env: options.appEnv } : {}),
    });
    const config = await writeConfig(name, traffic, options.minDuration, options.readyTimeout);
    const report = path.join(env.dir, `${name}-report.json`);
    const args = ['run', '--config', config, '--manifests', manifests, '--image', image, '--revision', name];
    return { result: cli([...args, ...(options.flags ?? []), '--report', report]), report };
  };
  /**
   * A third party puts the route's spec back while the step is analysed (`routePath`: the route's API path):
   * the run re-asserts the weight, says so, counts it in the report, and leaves the spec as it was. With
   * `part: 'annotations'` (haproxy) the route's annotations are what the run writes and what is put back;
   * they end equal as a map (the API server returns them sorted by key), the spec byte-identical.
   */
  const revertMidAnalysis = async (options: {
    name: string;
    traffic: string;
    weight: number;
    routePath: string;
    liveWeight: () => Promise<number | undefined>;
    part?: 'spec' | 'annotations';
  }) => {
    const { weight, routePath, liveWeight } = options;
    const annotations = options.part === 'annotations';
    const partOf = (route: KubeObject) => (annotations ? route.metadata.annotations : route.spec);
    const withPart = (route: KubeObject, value: unknown) =>
      annotations
        ? { ...route, metadata: { ...route.metadata, annotations: value } }
        : { ...route, spec: value };
    const before = partOf(await env.get(routePath));
    const specBefore = JSON.stringify((await env.get(routePath)).spec);
    const { result, report } = await run(options.name, options.traffic, env.image('5.0.0'), {
      minDuration: '16s',
    });
    await waitFor(`the route at ${weight}%`, async () => (await liveWeight()) === weight, 120_000);
    const live = await env.get(routePath);
    await admin('PUT', routePath, withPart(live, before));
    await waitFor('the weight re-asserted', async () => (await liveWeight()) === weight, 60_000);
    const done = await result;
    assert.equal(done.code, 0, show(done));
    assert.match(done.stdout + done.stderr, new RegExp(`changed by someone else: re-asserting ${weight}%`));
    const json = JSON.parse(await readFile(report, 'utf8'));
    assert.ok(json.steps[0].reassertions >= 1, JSON.stringify(json.steps));
    const after = await env.get(routePath);
    assert.equal(JSON.stringify(after.spec), specBefore);
    if (annotations) assert.deepEqual(partOf(after), before);
  };
  /**
   * A good release held at its last step and then promoted by a config-less command (another job, the router
   * rebuilt from the canary's annotations). `check` runs beside the run and measures the steps (the held one
   * whatever the machine's pace); `whileHeld` looks at the held canary. A failed check leaves no canary live
   * for the tests after it. Resolves with the promote command's result.
   */
  const heldThenPromoted = async (options: {
    name: string;
    traffic: string;
    image: string;
    steps: number[];
    minDuration: string;
    check: () => Promise<Array<ReturnType<typeof assertShares>>>;
    whileHeld?: () => Promise<void>;
  }) => {
    const { result, report } = await run(options.name, options.traffic, options.image, {
      minDuration: options.minDuration,
      flags: ['--hold'],
    });
    const target = ['--workload', 'deployment/web', '--namespace', ns];
    try {
      // The run goes on whatever the checks say: wait for it, so no test leaves a live run behind.
      const checked = options.check().catch((error: unknown) => error as Error);
      const done = await result;
      const shares = await checked;
      if (shares instanceof Error) throw shares;
      assert.equal(done.code, 0, show(done));
      await options.whileHeld?.();
      const measured = shares.map(
        (s) =>
          `${s.weight}% → canary ${(s.canary * 100).toFixed(1)}%, baseline ${(s.baseline * 100).toFixed(1)}% (${s.requests} requests)`,
      );
      console.log(`measured shares: ${measured.join('; ')}`);
      const json = JSON.parse(await readFile(report, 'utf8')) as {
        outcome: string;
        steps: Array<{ weight: number }>;
      };
      assert.equal(json.outcome, 'held');
      assert.deepEqual(
        json.steps.map((s) => s.weight),
        options.steps,
      );
      const promoted = await cli(['promote', ...target]);
      assert.equal(promoted.code, 0, show(promoted));
      return promoted;
    } finally {
      if (await env.get(`/apis/apps/v1/namespaces/${ns}/deployments/web-canary`))
        await cli(['rollback', ...target]);
    }
  };
  return { admin, stableVersions, run, cli, revertMidAnalysis, heldThenPromoted };
}

/**
 * N answered requests through a listener, in batches, while `liveWeight()` says the step's weight is live
 * (only batches it was live for from start to end count); a batch with a reset connection is sent again.
 */
export async function measure(
  port: number,
  weight: number,
  liveWeight: () => Promise<number | undefined>,
  headers: Record<string, string> = {},
  options: { count?: number; batch?: number; keepAlive?: boolean } = {},
) {
  const { count = requestsFor(weight), batch = 64, keepAlive = false } = options;
  const out = { total: 0, resets: 0, byTrack: {} as Record<string, number> };
  while (out.total < count) {
    const size = Math.min(batch, count - out.total);
    const seen = await sample(port, size, { headers, concurrency: 16, keepAlive }).catch(() => undefined);
    const still = await liveWeight();
    if (still !== weight) {
      assert.ok(out.total > 0 || still === undefined, `step ${weight}% ended before it could be measured`);
      assert.fail(`step ${weight}% ended after ${out.total} of ${count} requests`);
    }
    if (!seen) {
      out.resets += 1;
      assert.ok(out.resets < 20, `step ${weight}%: ${out.resets} batches with a reset connection`);
      continue;
    }
    assert.equal(seen.byStatus['200'], seen.total, `step ${weight}%: ${JSON.stringify(seen.byStatus)}`);
    out.total += seen.total;
    for (const [track, count] of Object.entries(seen.byTrack))
      out.byTrack[track] = (out.byTrack[track] ?? 0) + count;
  }
  return out;
}

/** The canary's and the baseline's measured shares, each within ±3 points of the step's weight. */
export function assertShares(weight: number, seen: { total: number; byTrack: Record<string, number> }) {
  const canary = (seen.byTrack.canary ?? 0) / seen.total;
  const baseline = (seen.byTrack.baseline ?? 0) / seen.total;
  for (const [track, share] of [
    ['canary', canary],
    ['baseline', baseline],
  ] as const)
    assert.ok(
      Math.abs(share * 100 - weight) <= 3,
      `step ${weight}%: ${track} share ${(share * 100).toFixed(1)}%`,
    );
  return { weight, canary, baseline, requests: seen.total };
}
