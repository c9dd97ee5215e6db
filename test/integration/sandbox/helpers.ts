/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

/** Validators for the Kubernetes objects the suite checks, from test/schemas/k8s (JSON Schema, strict). */
export function loadK8sSchemas(): Record<
  'deployment' | 'service' | 'ingress' | 'httproute',
  (o: unknown) => string | undefined
> {
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
    httproute: load('httproute_v1.json'),
  };
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
