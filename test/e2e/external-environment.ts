/**
 * The e2e release environment on a real cluster (kind in .github/workflows/e2e-kind.yml): every set-up
 * step and admin read is a plain `kubectl --kubeconfig K -n NAMESPACE …`, printed with its output when it
 * fails. Prometheus, the registry and the namespace are the cluster's; this module only creates the stable
 * `web` Deployment and Service and an in-cluster traffic Deployment, and deletes them (and whatever a run
 * left behind) in stop(). Not runnable on the development machine (no cluster there): keep it plain.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { makeTempDir } from '../support/service.ts';
import { waitFor } from '../integration/sandbox/helpers.ts';
import type { E2eEnvironment, E2eOptions, ExternalCluster, Timings } from './environment.ts';
import {
  STABLE_TAG,
  TRAFFIC_DEPLOYMENT,
  trafficDeployment,
  webDeployment,
  webService,
  WORKLOAD,
  type TestTag,
} from './release-objects.ts';

/** What the environment creates plus what a run may leave behind: deleted before set-up and by stop(). */
const OWNED_OBJECTS = [
  `deployment/${WORKLOAD}`,
  `deployment/${WORKLOAD}-canary`,
  `deployment/${WORKLOAD}-baseline`,
  `deployment/${TRAFFIC_DEPLOYMENT}`,
  `service/${WORKLOAD}`,
  'configmap/web-config',
  `lease/${WORKLOAD}-canary-lock`,
];
const RUN_CLONES = 'app.kubernetes.io/managed-by=canary-action';

export async function startExternalEnvironment(
  cluster: ExternalCluster,
  options: E2eOptions,
  timings: Timings,
): Promise<E2eEnvironment> {
  const { kubeconfig, namespace } = cluster;
  const kubectl = (args: string[], input?: string) =>
    run(['--kubeconfig', kubeconfig, '-n', namespace, ...args], input);
  const apply = (object: unknown) => kubectl(['apply', '-f', '-'], JSON.stringify(object));
  const deleteOwned = async () => {
    await kubectl(['delete', ...OWNED_OBJECTS, '--ignore-not-found', '--cascade=foreground', '--wait']);
    await kubectl(['delete', 'configmaps,secrets', '-l', RUN_CLONES, '--ignore-not-found', '--wait']);
  };
  const get = async (path: string) => {
    const result = await runUnchecked(['--kubeconfig', kubeconfig, 'get', '--raw', path]);
    if (result.code === 0) return JSON.parse(result.stdout);
    if (/\(NotFound\)/.test(result.stderr)) return undefined;
    throw new Error(describe(result));
  };
  const readyReplicas = async (name: string) =>
    (await get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`))?.status?.readyReplicas ?? 0;

  const dir = await makeTempDir('e2e-external');
  const stop = async () => {
    await deleteOwned().catch((error: unknown) => console.error(`e2e clean-up: ${String(error)}`));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await deleteOwned();
    const replicas = options.stableReplicas ?? 2;
    const image = (tag: TestTag) => `${cluster.repository}:${tag}`;
    await apply(webDeployment({ image: image(STABLE_TAG), replicas, namespace }));
    await apply(webService(namespace));
    if (options.trafficPerSecond) await apply(trafficDeployment(namespace, options.trafficPerSecond));
    await waitFor(
      `the stable (kubectl -n ${namespace} rollout status deployment/${WORKLOAD})`,
      async () => (await readyReplicas(WORKLOAD)) === replicas,
      timings.waitMs,
    );
    if (options.trafficPerSecond) {
      await waitFor(
        `the traffic (kubectl -n ${namespace} get pods -l app=${TRAFFIC_DEPLOYMENT})`,
        async () => (await readyReplicas(TRAFFIC_DEPLOYMENT)) === 1,
        timings.waitMs,
      );
    }
    await waitForScrapes(cluster, replicas, timings.waitMs);
    return {
      mode: 'external',
      namespace,
      dir,
      kubeconfig,
      prometheusUrl: cluster.prometheusUrl,
      timings,
      image,
      get,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Prometheus must see every stable pod before a run queries it, or the first polls find no data. */
async function waitForScrapes(cluster: ExternalCluster, pods: number, timeoutMs: number): Promise<void> {
  const query = `count(up{namespace="${cluster.namespace}", app="${WORKLOAD}", track="stable"} == 1)`;
  const url = `${cluster.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`;
  await waitFor(
    `Prometheus at ${cluster.prometheusUrl} to scrape ${pods} stable pods (${query}; the pods carry the ` +
      'prometheus.io/scrape and prometheus.io/port annotations)',
    async () => {
      const body = (await (await fetch(url)).json()) as {
        data?: { result?: Array<{ value: [number, string] }> };
      };
      return Number(body.data?.result?.[0]?.value[1] ?? 0) >= pods;
    },
    timeoutMs,
  );
}

interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

function runUnchecked(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      args,
      { timeout: 5 * 60_000, maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ args, code, stdout, stderr: error && !stderr ? String(error) : stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function run(args: string[], input?: string): Promise<string> {
  const result = await runUnchecked(args, input);
  if (result.code !== 0) throw new Error(describe(result));
  return result.stdout;
}

function describe(result: Run): string {
  return `kubectl ${result.args.join(' ')} exited ${result.code}\n${result.stdout}${result.stderr}`;
}
