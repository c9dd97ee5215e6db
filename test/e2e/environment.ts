/**
 * The release environment the e2e tests and the demo share: a stable `web` Deployment behind a Service, a
 * Prometheus scraping its pods, and steady traffic through the Service. Two modes, one test code:
 * - sandbox (default): the Kubernetes sandbox, a real Prometheus reading its targets file, and a loopback
 *   traffic generator through the Service's listener; everything on 127.0.0.1, stop() ends every process.
 * - external (CANARY_E2E_KUBECONFIG set): a real cluster through kubectl (external-environment.ts), with
 *   the Prometheus, namespace and image repository named by the other CANARY_E2E_* variables.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dump } from 'js-yaml';
import { startSandbox, type Rule, type Sandbox } from '../sandbox/index.ts';
import { startTrafficGenerator, type TrafficGenerator } from '../sandbox/node/traffic.ts';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { apiRequest, waitFor } from '../integration/sandbox/helpers.ts';
import { startExternalEnvironment } from './external-environment.ts';
import {
  REPOSITORY,
  STABLE_TAG,
  webDeployment,
  webService,
  WORKLOAD,
  type TestTag,
} from './release-objects.ts';

export {
  IMAGE_TAGS,
  MISSING_TAG,
  REPOSITORY,
  SIDECAR_IMAGE,
  webDeployment,
  WORKLOAD,
  type ImageTag,
  type TestTag,
} from './release-objects.ts';

export type Mode = 'sandbox' | 'external';

export interface Timings {
  /** The analysis of a written config. */
  interval: string;
  warmup: string;
  minDuration: string;
  maxDuration: string;
  /** min = max duration of an analysis with too few polls to detect a regression: inconclusive. */
  tooShort: string;
  /** min = max duration of an analysis that is still running when a test interrupts it. */
  long: string;
  readyTimeout: string;
  lockWait: string;
  /** How long the set-up and the tests wait for a state of the cluster. */
  waitMs: number;
}

/** The one place the mode sets the pace: a real cluster pulls images and is scraped every 5 s. */
export const TIMINGS: Record<Mode, Timings> = {
  sandbox: {
    interval: '2s',
    warmup: '2s',
    minDuration: '6s',
    maxDuration: '40s',
    tooShort: '4s',
    long: '60s',
    readyTimeout: '90s',
    lockWait: '10s',
    waitMs: 120_000,
  },
  external: {
    interval: '10s',
    warmup: '10s',
    minDuration: '30s',
    maxDuration: '90s',
    tooShort: '10s',
    long: '5m',
    readyTimeout: '3m',
    lockWait: '30s',
    waitMs: 300_000,
  },
};

export interface ExternalCluster {
  kubeconfig: string;
  namespace: string;
  prometheusUrl: string;
  repository: string;
}

/** The cluster named by CANARY_E2E_*, or undefined (sandbox mode) when CANARY_E2E_KUBECONFIG is unset. */
export function externalCluster(variables: NodeJS.ProcessEnv = process.env): ExternalCluster | undefined {
  const kubeconfig = variables.CANARY_E2E_KUBECONFIG;
  if (!kubeconfig) return undefined;
  const required = (name: string, what: string) => {
    const value = variables[name];
    if (!value) throw new Error(`${name} is empty: with CANARY_E2E_KUBECONFIG set, expected ${what}`);
    return value;
  };
  return {
    kubeconfig,
    namespace: required('CANARY_E2E_NAMESPACE', 'the namespace the tests deploy to'),
    prometheusUrl: required(
      'CANARY_E2E_PROMETHEUS_URL',
      "the URL of a Prometheus scraping the namespace's pods",
    ),
    repository: required(
      'CANARY_E2E_REPOSITORY',
      'the repository holding the demo-app image tags (IMAGE_TAGS)',
    ),
  };
}

export const E2E_MODE: Mode = process.env.CANARY_E2E_KUBECONFIG ? 'external' : 'sandbox';

/** A test's `skip` option: in external mode, why the test needs the sandbox; false in sandbox mode. */
export function sandboxOnly(missingFeature: string): string | false {
  return E2E_MODE === 'external'
    ? `sandbox only: needs ${missingFeature}, which CANARY_E2E_KUBECONFIG's cluster does not provide`
    : false;
}

/** What every e2e test uses, in either mode. */
export interface E2eEnvironment {
  mode: Mode;
  namespace: string;
  /** Scratch directory for manifests, configs and reports. */
  dir: string;
  /** The kubeconfig the CLI under test gets. */
  kubeconfig: string;
  prometheusUrl?: string;
  timings: Timings;
  /** `repository:tag` of the demo-app image. */
  image(tag: TestTag): string;
  /** Admin reads of the API; undefined on 404. */
  get(path: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

/** The sandbox mode, with the sandbox's extras. */
export interface ReleaseEnvironment extends E2eEnvironment {
  sandbox: Sandbox;
  prometheus?: RunningPrometheus;
  traffic?: TrafficGenerator;
}

export interface E2eOptions {
  trafficPerSecond?: number;
  stableReplicas?: number;
}

export interface EnvironmentOptions extends E2eOptions {
  prometheus?: boolean;
  ciRules?: Rule[];
  /** Repository of the stable's image (default REPOSITORY). */
  repository?: string;
  /** The stable's selector and pod labels (default `app: web, track: stable`). */
  stableLabels?: Record<string, string>;
  /** The sandbox plays istiod with its status on (SandboxOptions.istioStatus). */
  istioStatus?: boolean;
}

/** The e2e environment of the mode CANARY_E2E_KUBECONFIG selects. */
export async function startE2eEnvironment(options: E2eOptions = {}): Promise<E2eEnvironment> {
  const cluster = externalCluster();
  return cluster
    ? startExternalEnvironment(cluster, options, TIMINGS.external)
    : startReleaseEnvironment(options);
}

/** Images whose reference contains "missing" cannot be pulled. */
const imageExists = async (image: string) => !image.includes('missing');

/** The sandbox mode, whatever CANARY_E2E_KUBECONFIG says. */
export async function startReleaseEnvironment(options: EnvironmentOptions = {}): Promise<ReleaseEnvironment> {
  const sandbox = await startSandbox({
    timeScale: 0.2,
    imageExists,
    ...(options.ciRules ? { ciRules: options.ciRules } : {}),
    ...(options.istioStatus ? { istioStatus: true } : {}),
  });
  const namespace = sandbox.namespace;
  const timings = TIMINGS.sandbox;
  const repository = options.repository ?? REPOSITORY;
  const stoppers: Array<() => Promise<unknown>> = [() => sandbox.stop()];
  const stop = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => undefined);
  };
  try {
    const env: ReleaseEnvironment = {
      mode: 'sandbox',
      sandbox,
      dir: path.join(sandbox.dir, 'release'),
      namespace,
      kubeconfig: sandbox.kubeconfig,
      timings,
      image: (tag) => `${repository}:${tag}`,
      async get(p) {
        const res = await apiRequest(sandbox, 'GET', p);
        return res.status === 404 ? undefined : res.json;
      },
      stop,
    };
    await mkdir(env.dir, { recursive: true });
    const create = async (p: string, body: unknown) => {
      const res = await apiRequest(sandbox, 'POST', p, { body });
      if (res.status !== 201) throw new Error(`POST ${p}: ${res.status} ${res.text}`);
    };
    const replicas = options.stableReplicas ?? 2;
    await create(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      webDeployment({
        image: env.image(STABLE_TAG),
        replicas,
        namespace,
        ...(options.stableLabels ? { labels: options.stableLabels } : {}),
      }),
    );
    await create(`/api/v1/namespaces/${namespace}/services`, webService(namespace));
    await waitFor(
      'the stable to be ready',
      async () =>
        (await env.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${WORKLOAD}`))?.status
          ?.readyReplicas === replicas,
      timings.waitMs,
    );
    const port = await waitFor(
      'the Service listener',
      () => sandbox.listenerPort('service', namespace, WORKLOAD),
      timings.waitMs,
    );
    if (options.prometheus !== false) {
      await sandbox.flushTargets();
      env.prometheus = await startPrometheus({ fileSdPath: sandbox.targetsFile, scrapeIntervalSeconds: 1 });
      env.prometheusUrl = env.prometheus.url;
      const prometheus = env.prometheus;
      stoppers.push(() => prometheus.stop());
    }
    if (options.trafficPerSecond) {
      env.traffic = startTrafficGenerator({
        url: `http://127.0.0.1:${port}/`,
        ratePerSecond: options.trafficPerSecond,
      });
      const traffic = env.traffic;
      stoppers.splice(1, 0, () => traffic.stop());
    }
    return env;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Writes the new release's manifests (Deployment, optionally a ConfigMap) and returns the file. */
export async function writeManifests(
  env: E2eEnvironment,
  name: string,
  options: {
    image: string;
    env?: Record<string, string>;
    configData?: Record<string, string>;
    sidecar?: boolean;
    labels?: Record<string, string>;
  },
): Promise<string> {
  const deployment = webDeployment({
    ...(options.labels ? { labels: options.labels } : {}),
    image: options.image,
    namespace: env.namespace,
    ...(options.env ? { env: options.env } : {}),
    ...(options.configData ? { configMap: 'web-config' } : {}),
  });
  const documents: unknown[] = [deployment];
  if (options.configData) {
    documents.unshift({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
      data: options.configData,
    });
  }
  const file = path.join(env.dir, `${name}.yaml`);
  await writeFile(file, documents.map((d) => dump(d)).join('---\n'));
  return file;
}

/** A release config paced by the mode's TIMINGS (sandbox: 2 s of warm-up, at most 20 s of analysis). */
export async function writeConfig(
  env: E2eEnvironment,
  name: string,
  options: {
    /** The `traffic` block, YAML flow style (default: the replicas router, one step of 50%). */
    traffic?: string;
    topLevel?: string;
    analysis?: string;
    minDuration?: string;
    maxDuration?: string;
    /** The metrics list, YAML lines (default: http-error-rate and http-latency). */
    metrics?: string;
  } = {},
): Promise<string> {
  const file = path.join(env.dir, `${name}.yml`);
  const { timings } = env;
  await writeFile(
    file,
    `apiVersion: canary-action/v1
workload: deployment/${WORKLOAD}
namespace: ${env.namespace}
traffic: ${options.traffic ?? '{router: replicas, steps: [50]}'}
lockWait: ${timings.lockWait}
readyTimeout: ${timings.readyTimeout}
${options.topLevel ?? ''}
analysis:
  provider: {type: prometheus, url: ${env.prometheusUrl ?? 'http://127.0.0.1:9'}}
  interval: ${timings.interval}
  warmup: ${timings.warmup}
  minDuration: ${options.minDuration ?? timings.minDuration}
  maxDuration: ${options.maxDuration ?? timings.maxDuration}
${options.analysis ?? ''}
  metrics:
${options.metrics ?? '    - {template: http-error-rate}\n    - {template: http-latency}'}
`,
  );
  return file;
}
