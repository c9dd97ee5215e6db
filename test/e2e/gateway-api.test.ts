/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The gateway-api router end to end: the CLI as a process against the sandbox, whose Gateway (north-south)
 * and whose mesh (GAMMA: a route whose parent is the Service itself) route by the HTTPRoute's weights, with
 * a real Prometheus and steady traffic through the route's parent. The canary's share is measured through
 * the parent at every step, and so is an A/B header match (`traffic.match`: every request carrying the
 * header reaches the canary); the user's route, Deployment and Service end as they were.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.ts';
import { apiRequest, loadK8sSchemas, probe, sample, waitFor } from '../integration/sandbox/helpers.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { GATEWAY_CONTROLLER } from '../sandbox/index.ts';
import { measure as measureAt, requestsFor } from './weighted-runs.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

const schemas = loadK8sSchemas();
const GW = 'gateway.networking.k8s.io/v1';
/**
 * The measured requests: 200 at a time, 16 in flight on kept-alive connections (the Gateway and the mesh
 * route every request by itself, so the share is per request as with new connections, at less cost).
 */
const SAMPLING = { batch: 200, concurrency: 16, keepAlive: true };
/**
 * Seconds of analysis per step in the measured runs (min = max: with no errors on either track the judge
 * has no ratio to bound, so it passes a step at maxDuration, never early). The measurement has only the
 * step's time (and its 2 s of warm-up): 4445 requests at 50%, ≈ 7 s on a quiet 2-core machine, ≈ 9 s
 * beside another e2e file. A step gets three times what they take at the rate the listener answers just
 * before the run, at least 30 s and at most 90 s (the time this test once used on every machine): a
 * loaded machine gets longer steps rather than a measurement cut short (twice was cut short once, when
 * other test files loaded the machine after the rate was taken).
 */
const stepSeconds = (rate: number) => Math.min(90, Math.max(30, Math.ceil((3 * requestsFor(50)) / rate)));
/** Requests carrying the A/B header per step, each of which must reach the canary. */
const HEADER_REQUESTS = 200;

/** Where a run's traffic enters and what the test sends there. */
interface Entry {
  /** The HTTPRoute the run edits. */
  route: string;
  /** The listener of the route's parent (a Gateway's, or the Service's own for GAMMA). */
  port: number;
  headers: Record<string, string>;
  /** The run's `traffic.match`: header values that must reach the canary, and one that must not. */
  match?: { header: string; values: string[]; other: string };
}

describe(
  'gateway-api router (sandbox Gateway + Prometheus)',
  { skip: sandboxOnly('the sandbox Gateway controller') },
  () => {
    let env: ReleaseEnvironment;
    let traffic: TrafficGenerator | undefined;
    let gatewayPort: number;
    const ns = () => env.namespace;
    const routes = () => `/apis/${GW}/namespaces/${ns()}/httproutes`;
    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await apiRequest(env.sandbox, method, p, body === undefined ? {} : { body });
      assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${res.text}`);
      return res.json;
    };
    const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--kubeconfig', env.kubeconfig]);
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    const stableVersions = async () => ({
      deployment: (await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`)).metadata
        .resourceVersion,
      service: (await env.get(`/api/v1/namespaces/${ns()}/services/web`)).metadata.resourceVersion,
    });
    const routeSpec = async (name: string) => JSON.stringify((await env.get(`${routes()}/${name}`)).spec);

    const writeConfig = async (
      name: string,
      traffic: string,
      durations: { minDuration: string; maxDuration: string },
    ) => {
      const file = path.join(env.dir, `${name}.yml`);
      const t = env.timings;
      await writeFile(
        file,
        `apiVersion: canary-action/v1
workload: deployment/web
namespace: ${ns()}
traffic: ${traffic}
lockWait: ${t.lockWait}
readyTimeout: ${t.readyTimeout}
analysis:
  provider: {type: prometheus, url: ${env.prometheusUrl}}
  interval: ${t.interval}
  warmup: ${t.warmup}
  minDuration: ${durations.minDuration}
  maxDuration: ${durations.maxDuration}
  metrics:
    - {template: http-error-rate}
`,
      );
      return file;
    };
    /** Starts `canary-action run`; durations: the analysis's (default: the mode's minDuration and maxDuration). */
    const run = async (
      name: string,
      traffic: string,
      image: string,
      options: { appEnv?: Record<string, string>; minDuration?: string; maxDuration?: string } = {},
    ) => {
      const manifests = await writeManifests(env, name, {
        image,
        ...(options.appEnv ? { env: options.appEnv } : {}),
      });
      const config = await writeConfig(name, traffic, {
        minDuration: options.minDuration ?? env.timings.minDuration,
        maxDuration: options.maxDuration ?? options.minDuration ?? env.timings.maxDuration,
      });
      const report = path.join(env.dir, `${name}-report.json`);
      const args = [
        'run',
        '--config',
        config,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        name,
      ];
      return { result: cli([...args, '--report', report]), report };
    };
    /** Steady traffic (what the judge sees) through one entry at a time: the running run's route's parent. */
    const sendTraffic = async (to: { port: number; headers: Record<string, string> }) => {
      await traffic?.stop();
      traffic = startTrafficGenerator({
        url: `http://127.0.0.1:${to.port}/`,
        ratePerSecond: 160,
        headers: to.headers,
      });
    };

    before(async () => {
      env = await startReleaseEnvironment({ stableReplicas: 2 });
      await admin('POST', `/apis/${GW}/gatewayclasses`, {
        apiVersion: GW,
        kind: 'GatewayClass',
        metadata: { name: 'sandbox' },
        spec: { controllerName: GATEWAY_CONTROLLER },
      });
      const gateway = (name: string, from: string) => ({
        apiVersion: GW,
        kind: 'Gateway',
        metadata: { name, namespace: ns() },
        spec: {
          gatewayClassName: 'sandbox',
          listeners: [
            {
              name: 'http',
              port: 80,
              protocol: 'HTTP',
              allowedRoutes: {
                namespaces:
                  from === 'Selector'
                    ? { from, selector: { matchLabels: { 'no-such': 'namespace' } } }
                    : { from },
              },
            },
          ],
        },
      });
      await admin('POST', `/apis/${GW}/namespaces/${ns()}/gateways`, gateway('public', 'Same'));
      await admin('POST', `/apis/${GW}/namespaces/${ns()}/gateways`, gateway('private', 'Selector'));
      const route = (name: string, parent: string) => ({
        apiVersion: GW,
        kind: 'HTTPRoute',
        metadata: { name, namespace: ns() },
        spec: {
          parentRefs: [{ name: parent }],
          hostnames: [`${name}.example.com`],
          rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
        },
      });
      for (const r of [route('web', 'public'), route('web-private', 'private')]) {
        assert.equal(schemas.httproute(r), undefined);
        await admin('POST', routes(), r);
      }
      gatewayPort = await waitFor('the Gateway listener', () =>
        env.sandbox.listenerPort('gateway', ns(), 'public'),
      );
      await sendTraffic(viaGateway());
    });
    after(async () => {
      await traffic?.stop();
      await env?.stop();
    });
    const viaGateway = (): Entry => ({
      route: 'web',
      port: gatewayPort,
      headers: { host: 'web.example.com' },
    });

    /** Whether every parent reports the route Accepted at its generation. */
    const isAccepted = (route: any): boolean =>
      (route?.spec.parentRefs ?? []).every((parent: any) =>
        route.status?.parents?.some(
          (p: any) =>
            p.parentRef.name === parent.name &&
            (p.parentRef.kind ?? 'Gateway') === (parent.kind ?? 'Gateway') &&
            p.conditions.some(
              (c: any) =>
                c.type === 'Accepted' &&
                c.status === 'True' &&
                c.observedGeneration === route.metadata.generation,
            ),
        ),
      );

    /** The canary's weight in the live route, once the route is Accepted at its generation (else undefined). */
    const liveWeight = async (name: string): Promise<number | undefined> => {
      const route = await env.get(`${routes()}/${name}`);
      const refs: any[] = route?.spec.rules[0].backendRefs ?? [];
      const canary = refs.find((r) => r.name === 'web-canary');
      if (!canary || !isAccepted(route)) return undefined;
      const total = refs.reduce((sum, r) => sum + r.weight, 0);
      return Math.round((canary.weight / total) * 1000) / 10;
    };

    /**
     * `n` answered requests through the entry (with `headers` beside its own), in batches; a batch with a
     * reset connection is sent again (a listener being reconfigured, or a loaded machine, may reset one).
     */
    const measure = (entry: Entry, weight: number, n: number, headers: Record<string, string> = {}) =>
      measureAt(
        entry.port,
        weight,
        () => liveWeight(entry.route),
        { ...entry.headers, ...headers },
        {
          count: n,
          batch: SAMPLING.batch,
          keepAlive: SAMPLING.keepAlive,
        },
      );

    /**
     * The A/B match at one step: every request whose header matches reaches the canary (counted), and a
     * request with another value takes the weighted rule (rule 0), as requests without the header do.
     */
    const measureMatch = async (entry: Entry, weight: number) => {
      const { header, values, other } = entry.match!;
      const byTrack: Record<string, number> = {};
      for (const value of values) {
        const seen = await measure(entry, weight, HEADER_REQUESTS / values.length, { [header]: value });
        for (const [track, count] of Object.entries(seen.byTrack))
          byTrack[track] = (byTrack[track] ?? 0) + count;
      }
      assert.deepEqual(byTrack, { canary: HEADER_REQUESTS }, `step ${weight}%: every ${header} request`);
      const weighted = await waitFor('an answer', () =>
        probe(entry.port, '/', { ...entry.headers, [header]: other }),
      );
      assert.equal(weighted.status, 200);
      assert.match(weighted.route ?? '', new RegExp(`^HTTPRoute ${ns()}/${entry.route} rule 0 -> `));
      return byTrack.canary / HEADER_REQUESTS;
    };

    interface StepShares {
      weight: number;
      canary: number;
      baseline: number;
      requests: number;
      seconds: number;
      /** The canary's share of the requests carrying the A/B header. */
      matched?: number;
    }
    const describeShares = (shares: StepShares[]) =>
      shares
        .map(
          (s) =>
            `${s.weight}% → canary ${(s.canary * 100).toFixed(1)}%, baseline ${(s.baseline * 100).toFixed(1)}% ` +
            `(${s.requests} requests in ${s.seconds.toFixed(1)} s` +
            `${s.matched === undefined ? '' : `; with the header: canary ${(s.matched * 100).toFixed(0)}%`})`,
        )
        .join('; ');

    /**
     * At each step, once the route carries its weight: the split measured, objects validated, the stable
     * untouched. At step `revertAt`, once measured, a third party (a GitOps tool, a person) puts the route's
     * original spec back, and the run must re-assert the weight before the step ends.
     */
    const checkSteps = async (
      entry: Entry,
      before: { deployment: string; service: string },
      revert?: { at: number; spec: unknown },
    ) => {
      const shares: StepShares[] = [];
      for (const weight of [5, 25, 50]) {
        await waitFor(
          `the route at ${weight}%`,
          async () => (await liveWeight(entry.route)) === weight,
          120_000,
        );
        const started = Date.now();
        const matched = entry.match ? await measureMatch(entry, weight) : undefined;
        const seen = await measure(entry, weight, requestsFor(weight));
        const seconds = (Date.now() - started) / 1000;
        const canary = (seen.byTrack.canary ?? 0) / seen.total;
        const baseline = (seen.byTrack.baseline ?? 0) / seen.total;
        shares.push({
          weight,
          canary,
          baseline,
          requests: seen.total,
          seconds,
          ...(matched === undefined ? {} : { matched }),
        });
        assert.ok(
          Math.abs(canary * 100 - weight) <= 3,
          `step ${weight}%: canary share ${(canary * 100).toFixed(1)}%`,
        );
        assert.ok(
          Math.abs(baseline * 100 - weight) <= 3,
          `step ${weight}%: baseline share ${(baseline * 100).toFixed(1)}%`,
        );
        // Validated after the measurement, so the measurement starts as soon as the step is live.
        const route = await env.get(`${routes()}/${entry.route}`);
        assert.equal(schemas.httproute(route), undefined, 'the weighted route validates');
        for (const track of ['canary', 'baseline']) {
          const service = await env.get(`/api/v1/namespaces/${ns()}/services/web-${track}`);
          assert.equal(schemas.service(service), undefined);
          const deployment = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-${track}`);
          assert.equal(schemas.deployment(deployment), undefined);
          assert.equal(deployment.spec.template.metadata.labels.app, `web-${track}`);
        }
        assert.deepEqual(
          await stableVersions(),
          before,
          'the stable Deployment and Service are untouched while analysing',
        );
        if (weight === revert?.at) {
          const live = await env.get(`${routes()}/${entry.route}`);
          await admin('PUT', `${routes()}/${entry.route}`, { ...live, spec: revert.spec });
          await waitFor(
            'the weight re-asserted',
            async () => (await liveWeight(entry.route)) === weight,
            60_000,
          );
        }
      }
      return shares;
    };

    /**
     * A good release through `entry` with steps 5 → 25 → 50 (traffic: the rest of the config's `traffic`):
     * promoted, each step's measured share within ±3 points of its weight, the route's spec byte-identical
     * afterwards, the stable Deployment and Service never written to.
     */
    const goodRelease = async (
      name: string,
      entry: Entry,
      traffic: string,
      tag: '2.0.0' | '4.0.0',
      revertAt?: number,
    ) => {
      const specBefore = await routeSpec(entry.route);
      const before = await stableVersions();
      const image = env.image(tag);
      // The rate of 1000 requests after 1000 that open the connections and warm the listener's code up.
      const timed = async (n: number) => {
        const started = Date.now();
        const seen = await sample(entry.port, n, { ...SAMPLING, headers: entry.headers });
        assert.deepEqual(seen.byStatus, { 200: n }, 'the stable answers through the route');
        return seen.total / ((Date.now() - started) / 1000);
      };
      await timed(1000);
      const rate = await timed(1000);
      const seconds = stepSeconds(rate);
      console.log(`${name}: ${rate.toFixed(0)} requests/s through the listener, steps of ${seconds} s`);
      const { result, report } = await run(
        name,
        `{router: gateway-api, route: httproute/${entry.route}, steps: [5, 25, 50]${traffic}}`,
        image,
        { minDuration: `${seconds}s`, maxDuration: `${seconds}s` },
      );
      // The run goes on whatever the checks say: wait for it, so no test leaves a live run behind.
      const revert = revertAt === undefined ? undefined : { at: revertAt, spec: JSON.parse(specBefore) };
      const checked = checkSteps(entry, before, revert).catch((error: unknown) => error as Error);
      const done = await result;
      const shares = await checked;
      if (shares instanceof Error) throw shares;
      assert.equal(done.code, 0, show(done));
      console.log(`${name} measured shares: ${describeShares(shares)}`);
      assert.equal(await routeSpec(entry.route), specBefore, 'the route spec is byte-identical');
      const route = await env.get(`${routes()}/${entry.route}`);
      assert.equal(route.metadata.annotations?.['canary-action.dev/original-spec'], undefined);
      assert.ok(isAccepted(route), 'the restored route is accepted by its parents');
      const after = await stableVersions();
      assert.equal(after.service, before.service, 'the stable Service was never changed');
      const stable = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`);
      assert.equal(stable.spec.template.spec.containers[0].image, image);
      for (const track of ['canary', 'baseline']) {
        assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-${track}`), undefined);
        assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-${track}`), undefined);
      }
      const json = JSON.parse(await readFile(report, 'utf8'));
      assert.equal(json.outcome, 'promoted');
      assert.deepEqual(
        json.steps.map((s: any) => s.weight),
        [5, 25, 50],
      );
      for (const step of json.steps)
        console.log(`${name} step ${step.weight}%: ${step.verdict}: ${step.reason}`);
      if (revertAt !== undefined) {
        assert.match(
          done.stdout + done.stderr,
          new RegExp(`changed by someone else: re-asserting ${revertAt}%`),
        );
        const step = json.steps.find((s: any) => s.weight === revertAt);
        assert.ok(step.reassertions >= 1, JSON.stringify(json.steps));
      }
      return shares;
    };

    test('a good release through the Gateway is promoted through 5 → 25 → 50 with an A/B header match: the measured share follows each weight, every request with the header reaches the canary; a weight reverted by a third party mid-analysis is re-asserted and counted in the report; the route ends as it was', async () => {
      await goodRelease(
        'gw-good',
        { ...viaGateway(), match: { header: 'x-canary', values: ['true'], other: 'false' } },
        `, match: {header: x-canary, exact: 'true'}`,
        '2.0.0',
        5,
      );
    });

    test('GAMMA: a good release through a route whose parent is the Service itself is promoted through 5 → 25 → 50 (a regex header match as well); the route ends as it was, the stable untouched', async () => {
      const mesh = {
        apiVersion: GW,
        kind: 'HTTPRoute',
        metadata: { name: 'web-mesh', namespace: ns() },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }],
          rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
        },
      };
      assert.equal(schemas.httproute(mesh), undefined);
      await admin('POST', routes(), mesh);
      try {
        await waitFor('the mesh route accepted', async () =>
          isAccepted(await env.get(`${routes()}/web-mesh`)),
        );
        const servicePort = await waitFor('the Service listener', () =>
          env.sandbox.listenerPort('service', ns(), 'web'),
        );
        await env.sandbox.settle();
        const entry: Entry = {
          route: 'web-mesh',
          port: servicePort,
          headers: {},
          match: { header: 'x-canary', values: ['yes', 'true'], other: 'maybe' },
        };
        // The Service's listener is the mesh's now: every request to it takes the route.
        assert.match(
          (await waitFor('an answer', () => probe(servicePort))).route ?? '',
          new RegExp(`^HTTPRoute ${ns()}/web-mesh rule 0 -> ${ns()}/web:80`),
        );
        await sendTraffic(entry);
        await goodRelease('gamma-good', entry, `, match: {header: x-canary, regex: '^(yes|true)$'}`, '4.0.0');
      } finally {
        await sendTraffic(viaGateway());
        await admin('DELETE', `${routes()}/web-mesh`);
      }
    });

    test('a bad release is rolled back: the route spec is byte-identical, the stable never modified', async () => {
      const specBefore = await routeSpec('web');
      const before = await stableVersions();
      const image = env.image('3.0.0');
      const { result } = await run(
        'gw-bad',
        '{router: gateway-api, route: httproute/web, steps: [25]}',
        image,
        { appEnv: { DEMO_ERROR_RATE: '0.3' } },
      );
      const done = await result;
      assert.equal(done.code, 1, show(done));
      assert.match(done.stdout + done.stderr, /http-error-rate/);
      assert.equal(await routeSpec('web'), specBefore);
      assert.deepEqual(await stableVersions(), before);
      assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary`), undefined);
    });

    test("a route its Gateway does not accept ends in exit 4 with the parent's message, rolled back", async () => {
      const specBefore = await routeSpec('web-private');
      const before = await stableVersions();
      const image = env.image('6.0.0');
      const { result } = await run(
        'gw-rejected',
        '{router: gateway-api, route: httproute/web-private, steps: [10]}',
        image,
      );
      const done = await result;
      assert.equal(done.code, 4, show(done));
      assert.match(
        done.stdout + done.stderr,
        /httproute\/web-private is not accepted: Gateway private: Accepted False \(NotAllowedByListeners\)/,
      );
      assert.equal(await routeSpec('web-private'), specBefore);
      assert.deepEqual(await stableVersions(), before);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-canary`), undefined);
      assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary`), undefined);
    });

    test('a route that does not send to the stable Service, or an unknown router, is exit 2 before any change', async () => {
      const image = env.image('7.0.0');
      await admin('POST', `/api/v1/namespaces/${ns()}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: ns() },
        spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      const specBefore = await routeSpec('web');
      const other = await run(
        'gw-other',
        '{router: gateway-api, route: httproute/web, service: other, steps: [10]}',
        image,
      );
      const done = await other.result;
      assert.equal(done.code, 2, show(done));
      assert.match(
        done.stderr + done.stdout,
        /traffic\.route: httproute\/web has no rule with a backendRef to Service other/,
      );
      assert.equal(await routeSpec('web'), specBefore);
      const unknown = await run('gw-unknown', '{router: smi, route: httproute/web, steps: [10]}', image);
      const u = await unknown.result;
      assert.equal(u.code, 2, show(u));
      assert.match(u.stderr + u.stdout, /traffic\.router/);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-canary`), undefined);
    });
  },
);
