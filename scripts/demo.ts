/**
 * The quick-start demo: the Kubernetes sandbox (pods are real processes of the demo app), a real
 * Prometheus scraping them and steady traffic through the `web` Service. `canary-action run` then
 * promotes a good release and rolls back a release answering 10% of requests with a 500 (the replicas
 * router: canary pods behind the stable's Service), and promotes a third one through a Gateway API
 * HTTPRoute in steps of 5, 25 and 50%, measuring at each step how the sandbox Gateway splits requests
 * between the canary, the baseline and the stable. Everything runs on 127.0.0.1 and stops at the end.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { apiRequest, sample, waitFor } from '../test/integration/sandbox/helpers.ts';
import { GATEWAY_CONTROLLER } from '../test/sandbox/index.ts';
import { startTrafficGenerator, type TrafficStats } from '../test/sandbox/node/traffic.ts';
import {
  REPOSITORY,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from '../test/e2e/environment.ts';

const root = path.resolve(import.meta.dirname, '..');
const say = (text: string) => console.log(`\n\x1b[1m▶ ${text}\x1b[0m`);
const note = (text: string) => console.log(`\x1b[36m▷ ${text}\x1b[0m`);
const GW = 'gateway.networking.k8s.io/v1';
const STEPS = [5, 25, 50];
/** Requests sent through the Gateway at each step to show its split (about ±1.5 points at 50%: one sd). */
const MEASURED_REQUESTS = 1000;

function cli(args: string[]): Promise<number | null> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src/entrypoints/cli.ts'), ...args],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    },
  );
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      resolve(code);
    }),
  );
}

/** What a cluster admin installs for the Gateway release: the sandbox's GatewayClass, a Gateway, the app's HTTPRoute. */
async function installGateway(env: ReleaseEnvironment): Promise<number> {
  const ns = env.namespace;
  const create = async (p: string, body: unknown) => {
    const res = await apiRequest(env.sandbox, 'POST', p, { body });
    if (res.status !== 201) throw new Error(`POST ${p}: ${res.status} ${res.text}`);
  };
  await create(`/apis/${GW}/gatewayclasses`, {
    apiVersion: GW,
    kind: 'GatewayClass',
    metadata: { name: 'sandbox' },
    spec: { controllerName: GATEWAY_CONTROLLER },
  });
  await create(`/apis/${GW}/namespaces/${ns}/gateways`, {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { name: 'public', namespace: ns },
    spec: { gatewayClassName: 'sandbox', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  });
  await create(`/apis/${GW}/namespaces/${ns}/httproutes`, {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name: WORKLOAD, namespace: ns },
    spec: {
      parentRefs: [{ name: 'public' }],
      hostnames: ['web.example.com'],
      rules: [{ backendRefs: [{ name: WORKLOAD, port: 80 }] }],
    },
  });
  const port = await waitFor('the Gateway listener', () => env.sandbox.listenerPort('gateway', ns, 'public'));
  // Traffic starts once the Gateway routes the host to the stable (before, it would answer 404).
  await waitFor(
    'the route to the stable',
    async () => (await sample(port, 1, { headers: { host: 'web.example.com' } })).byStatus['200'] === 1,
  );
  return port;
}

/** The canary's percentage in the live route once its Gateway accepted it at its generation, else undefined. */
async function liveWeight(env: ReleaseEnvironment): Promise<number | undefined> {
  const route = await env.get(`/apis/${GW}/namespaces/${env.namespace}/httproutes/${WORKLOAD}`);
  const refs: Array<{ name: string; weight: number }> = route?.spec.rules[0].backendRefs ?? [];
  const canary = refs.find((r) => r.name === `${WORKLOAD}-canary`);
  const accepted = (route?.status?.parents ?? []).some((p: { conditions: Array<Record<string, unknown>> }) =>
    p.conditions.some(
      (c) =>
        c.type === 'Accepted' && c.status === 'True' && c.observedGeneration === route.metadata.generation,
    ),
  );
  if (!canary || !accepted) return undefined;
  const total = refs.reduce((sum, r) => sum + r.weight, 0);
  return Math.round((canary.weight / total) * 1000) / 10;
}

/**
 * While the run goes on: at each step, once the route carries its weight, MEASURED_REQUESTS requests through
 * the Gateway, counted by the track of the pod that answered (the stable's pods have none). A step that
 * moved on before they were all answered is said so, not shown.
 */
async function measureSteps(
  env: ReleaseEnvironment,
  port: number,
  running: () => boolean,
): Promise<string[]> {
  const lines: string[] = [];
  for (const weight of STEPS) {
    while (running() && (await liveWeight(env)) !== weight)
      await new Promise((resolve) => setTimeout(resolve, 100));
    if (!running()) break;
    const seen = await sample(port, MEASURED_REQUESTS, {
      headers: { host: 'web.example.com' },
      concurrency: 16,
      keepAlive: true,
    }).catch(() => undefined);
    if (!seen || (await liveWeight(env)) !== weight) {
      note(`step ${weight}%: the run moved on before ${MEASURED_REQUESTS} requests were measured`);
      continue;
    }
    const canary = seen.byTrack.canary ?? 0;
    const baseline = seen.byTrack.baseline ?? 0;
    const share = (n: number) => `${((n / seen.total) * 100).toFixed(1)}%`;
    const line =
      `step ${String(weight).padStart(2)}%: canary ${share(canary)}, baseline ${share(baseline)}, ` +
      `stable ${share(seen.total - canary - baseline)} of ${seen.total} requests through the Gateway` +
      (seen.byStatus['200'] === seen.total ? '' : ` (statuses ${JSON.stringify(seen.byStatus)})`);
    note(`measured ${line}`);
    lines.push(line);
  }
  return lines;
}

const outcome = (code: number | null) =>
  code === 0 ? 'promoted' : code === 1 ? 'rolled back' : 'not promoted: see its output above';
const describeTraffic = (t: TrafficStats | undefined) => {
  const failed = Object.entries(t?.byStatus ?? {}).filter(([status]) => Number(status) >= 400);
  if (t?.networkErrors) failed.push(['network', t.networkErrors]);
  const detail = failed.length > 0 ? ` (${failed.map(([k, n]) => `${k}: ${n}`).join(', ')})` : '';
  return `${t?.sent} requests, ${t?.errors} errors${detail}`;
};

async function main(): Promise<number> {
  say(
    'Starting the Kubernetes sandbox, deployment/web (2 replicas of v1) behind a Service, Prometheus and 160 req/s of traffic',
  );
  const env = await startReleaseEnvironment({ trafficPerSecond: 160 });
  try {
    const kubeconfig = env.sandbox.kubeconfig;
    console.log(`sandbox ${env.sandbox.url} (KUBECONFIG=${kubeconfig}), Prometheus ${env.prometheus?.url}`);
    const release = async (config: string, version: string, extraEnv: Record<string, string>) => {
      const image = `${REPOSITORY}:${version}`;
      const manifests = await writeManifests(env, `web-${version}`, { image, env: extraEnv });
      return cli([
        'run',
        '--config',
        config,
        '--kubeconfig',
        kubeconfig,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        `v${version}`,
        '--report',
        path.join(env.dir, `report-${version}.json`),
      ]);
    };
    const image = async () =>
      (await env.get(`/apis/apps/v1/namespaces/${env.namespace}/deployments/${WORKLOAD}`)).spec.template.spec
        .containers[0].image as string;

    const config = await writeConfig(env, 'demo', { minDuration: '10s', maxDuration: '40s' });
    say('Release 2.0.0: a good canary — expect it to be promoted (exit 0)');
    const good = await release(config, '2.0.0', {});
    console.log(`deployment/web now runs ${await image()}`);
    say('Release 3.0.0: answers 10% of requests with a 500 — expect it to be rolled back (exit 1)');
    const bad = await release(config, '3.0.0', { DEMO_ERROR_RATE: '0.1' });
    const serviceTraffic = await env.traffic?.stop();

    say(
      'Release 4.0.0 through the Gateway API: a Gateway and an HTTPRoute to the web Service, 160 req/s through the Gateway; ' +
        'the route sends 5%, then 25%, then 50% to the canary (and as much to the baseline) — expect it to be promoted (exit 0)',
    );
    const gatewayPort = await installGateway(env);
    const gatewayTraffic = startTrafficGenerator({
      url: `http://127.0.0.1:${gatewayPort}/`,
      ratePerSecond: 160,
      headers: { host: 'web.example.com' },
    });
    const gatewayConfig = await writeConfig(env, 'demo-gateway', {
      traffic: `{router: gateway-api, route: httproute/${WORKLOAD}, steps: [${STEPS.join(', ')}]}`,
      minDuration: '10s',
      maxDuration: '10s',
      // 5% of 160 req/s is too few slow requests in 10 s for the latency metric to catch a regression.
      metrics: '    - {template: http-error-rate}',
    });
    let running = true;
    const run = release(gatewayConfig, '4.0.0', {}).finally(() => (running = false));
    const measured = await measureSteps(env, gatewayPort, () => running);
    const gateway = await run;
    const gatewayStats = await gatewayTraffic.stop();
    console.log(`deployment/web now runs ${await image()}`);

    say(
      `Results: release 2.0.0 exit ${good} (${outcome(good)}), release 3.0.0 exit ${bad} (${outcome(bad)}), ` +
        `release 4.0.0 exit ${gateway} (${outcome(gateway)} through the Gateway); deployment/web runs ${await image()}; ` +
        `traffic through the Service ${describeTraffic(serviceTraffic)}, through the Gateway ${describeTraffic(gatewayStats)}; ` +
        `reports in ${env.dir}`,
    );
    console.log(
      [
        'The Gateway split, measured at each step (the canary and the baseline each get the step weight, the stable the rest):',
        ...measured,
      ].join('\n  '),
    );
    return good === 0 && bad === 1 && gateway === 0 ? 0 : 1;
  } finally {
    await env.stop();
  }
}

process.exitCode = await main();
