/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Ajv } from 'ajv';
import { dump } from 'js-yaml';
import type { Sandbox } from '../../sandbox/index.ts';
import { K8S_SCHEMAS_DIR, SCHEMAS_DIR } from '../../support/schemas.ts';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
export const kubectlMissing = existsSync(KUBECTL)
  ? false
  : `kubectl not found at ${KUBECTL}: the kubectl suite needs the real kubectl`;

export { SCHEMAS_DIR };

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl with a kubeconfig; never throws on a non-zero exit. */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      args,
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          KUBECONFIG: kubeconfig,
        },
        timeout: 120_000,
        maxBuffer: 20 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function kubectlOk(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const result = await kubectl(kubeconfig, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTPS request to the sandbox API server, trusting its CA. */
export function apiRequest(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string | null; raw?: string } = {},
): Promise<ApiResponse> {
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const token = options.token === undefined ? sandbox.adminToken : options.token;
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sandbox.url}${path}`,
      {
        method,
        ca: sandbox.ca,
        agent: false,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined
            ? {
                'Content-Type': options.contentType ?? 'application/json',
                'Content-Length': Buffer.byteLength(body),
              }
            : {}),
          'User-Agent': 'sandbox-test/1.0',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` after the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type K8sSchemaName =
  | 'deployment'
  | 'service'
  | 'ingress'
  | 'ingressclass'
  | 'httproute'
  | 'gateway'
  | 'gatewayclass'
  | 'virtualservice'
  | 'virtualservice_v1beta1'
  | 'destinationrule'
  | 'destinationrule_v1beta1';

/** Validators for the Kubernetes objects the suite checks, from test/schemas/k8s (JSON Schema, strict). */
export function loadK8sSchemas(): Record<K8sSchemaName, (o: unknown) => string | undefined> {
  const dir = K8S_SCHEMAS_DIR;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const load = (file: string) => {
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    return (object: unknown) =>
      validate(object) ? undefined : ajv.errorsText(validate.errors, { separator: '\n' });
  };
  return {
    deployment: load('deployment-apps-v1.json'),
    service: load('service-v1.json'),
    ingress: load('ingress-networking-v1.json'),
    ingressclass: load('ingressclass-networking-v1.json'),
    httproute: load('httproute_v1.json'),
    gateway: load('gateway_v1.json'),
    gatewayclass: load('gatewayclass_v1.json'),
    virtualservice: load('virtualservice_v1.json'),
    virtualservice_v1beta1: load('virtualservice_v1beta1.json'),
    destinationrule: load('destinationrule_v1.json'),
    destinationrule_v1beta1: load('destinationrule_v1beta1.json'),
  };
}

/** The schema of an object by its apiVersion and kind (undefined for kinds without one here). */
export function schemaNameOf(o: { apiVersion?: string; kind?: string }): K8sSchemaName | undefined {
  const names: Record<string, K8sSchemaName> = {
    'apps/v1/Deployment': 'deployment',
    'v1/Service': 'service',
    'networking.k8s.io/v1/Ingress': 'ingress',
    'networking.k8s.io/v1/IngressClass': 'ingressclass',
    'gateway.networking.k8s.io/v1/HTTPRoute': 'httproute',
    'gateway.networking.k8s.io/v1/Gateway': 'gateway',
    'gateway.networking.k8s.io/v1/GatewayClass': 'gatewayclass',
    'networking.istio.io/v1/VirtualService': 'virtualservice',
    'networking.istio.io/v1beta1/VirtualService': 'virtualservice_v1beta1',
    'networking.istio.io/v1/DestinationRule': 'destinationrule',
    'networking.istio.io/v1beta1/DestinationRule': 'destinationrule_v1beta1',
  };
  return names[`${o.apiVersion}/${o.kind}`];
}

/** What `sample` saw: responses by status, and the 2xx ones by the answering pod's track and name. */
export interface Sample {
  total: number;
  byStatus: Record<string, number>;
  byTrack: Record<string, number>;
  byPod: Record<string, number>;
}

/**
 * Sends `n` GET requests to a loopback listener, each on a new connection (no keep-alive), `concurrency`
 * at a time, and counts the answers. The demo app answers with its pod name and CANARY_TRACK.
 * `keepAlive` reuses up to `concurrency` connections instead: cheaper, and as good for an L7 listener
 * (a Gateway, a mesh route, an ingress controller), which routes every request by itself, but not for a
 * kube-proxy Service, which balances connections.
 */
export async function sample(
  port: number,
  n: number,
  options: {
    path?: string;
    headers?: Record<string, string>;
    method?: string;
    concurrency?: number;
    keepAlive?: boolean;
  } = {},
): Promise<Sample> {
  const out: Sample = { total: 0, byStatus: {}, byTrack: {}, byPod: {} };
  const agent = options.keepAlive ? new http.Agent({ keepAlive: true }) : false;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: options.path ?? '/',
          method: options.method ?? 'GET',
          headers: options.headers ?? {},
          agent,
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => {
            out.total += 1;
            const status = String(res.statusCode);
            out.byStatus[status] = (out.byStatus[status] ?? 0) + 1;
            if (res.statusCode === 200) {
              const body = JSON.parse(text) as { hostname: string; track: string | null };
              const track = body.track ?? '';
              out.byTrack[track] = (out.byTrack[track] ?? 0) + 1;
              out.byPod[body.hostname] = (out.byPod[body.hostname] ?? 0) + 1;
            }
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  let started = 0;
  const worker = async () => {
    while (started < n) {
      started += 1;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(n, options.concurrency ?? 16) }, worker));
  } finally {
    if (agent) agent.destroy();
  }
  return out;
}

/** One request on a new connection: its status, the route the sandbox took (x-sandbox-route) and the answering track. */
export function probe(
  port: number,
  path = '/',
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; route: string | undefined; track: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        let track: string | undefined;
        try {
          track = (JSON.parse(body) as { track?: string }).track ?? undefined;
        } catch {
          track = undefined;
        }
        const route = res.headers['x-sandbox-route'];
        resolve({
          status: res.statusCode ?? 0,
          route: typeof route === 'string' ? route : undefined,
          track,
          body,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Asserts that `count` of `n` is within a binomial tolerance of the expected share: 4.5 standard
 * deviations (a false failure about once in 150 000 checks); exact for shares of 0 and 1.
 */
export function assertShare(what: string, count: number, n: number, expected: number): void {
  const tolerance = 4.5 * Math.sqrt((expected * (1 - expected)) / n);
  const share = count / n;
  if (Math.abs(share - expected) > tolerance + 1e-12)
    throw new Error(
      `${what}: share ${share.toFixed(4)} (${count} of ${n}) is not within ${expected} ± ${tolerance.toFixed(4)}`,
    );
}

/** A Deployment of one track of the demo app: labels app and track, CANARY_TRACK set to the track. */
export function trackDeployment(
  name: string,
  namespace: string,
  app: string,
  track: string,
  replicas: number,
  extraLabels: Record<string, string> = {},
): Record<string, unknown> {
  return deploymentManifest(name, namespace, {
    replicas,
    labels: { app, track, ...extraLabels },
    env: { CANARY_TRACK: track },
  });
}

/** Waits until every pod of the namespace with these labels is Ready and there are `count` of them. */
export async function waitForReadyPods(
  sandbox: Sandbox,
  namespace: string,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    `${count} ready pods in ${namespace}`,
    async () => {
      const pods = (await apiRequest(sandbox, 'GET', `/api/v1/namespaces/${namespace}/pods`)).json
        .items as any[];
      const ready = pods.filter(
        (p) =>
          !p.metadata.deletionTimestamp &&
          p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length === count && pods.length === count;
    },
    timeoutMs,
  );
}

export function deploymentManifest(
  name: string,
  namespace: string,
  options: {
    replicas?: number;
    image?: string;
    env?: Record<string, string>;
    labels?: Record<string, string>;
  } = {},
): Record<string, unknown> {
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image ?? 'registry.local/demo-app:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: Object.entries(options.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

export function serviceManifest(
  name: string,
  namespace: string,
  selector: Record<string, string>,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

/** A multi-document YAML file, as users keep manifests (kubectl validates `kind: List` files client-side). */
export function toYaml(objects: unknown[]): string {
  return objects.map((o) => dump(o)).join('---\n');
}
