/**
 * The inputs of a case: a valid config, manifests and kubeconfig, each of which a bad-input case
 * breaks in one place (`mutate`, or `raw` text for what YAML itself must refuse). The config is paced
 * for the sandbox: one traffic step of 50%, polls every 2 s, and by default an analysis of 4 s that
 * passes under `onInconclusive: pass`, so a release is promoted in about 15 s whatever the traffic.
 * It always carries planted secrets: the provider's bearer token and a header value from `${VAR}`s.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';
import { webDeployment } from '../e2e/release-objects.ts';
import { REPOSITORY } from './environment.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- configs and manifests are built as loose JSON */

/** The demo-app image of a release (every tag exists in the sandbox except ones containing "missing"). */
export const imageOf = (tag: string) => `${REPOSITORY}:${tag}`;

/** The variables every config reads: planted secrets. */
export const SECRET_VARIABLES = ['PROM_TOKEN', 'ORG_HEADER'] as const;

export interface ConfigOptions {
  namespace?: string;
  steps?: number[];
  interval?: string;
  warmup?: string;
  minDuration?: string;
  maxDuration?: string;
  onInconclusive?: 'fail' | 'pass' | 'hold';
  readyTimeout?: string;
  lockWait?: string;
  /** Replaces the provider (default: Prometheus at the environment's URL with the planted credentials). */
  provider?: Record<string, unknown>;
  metrics?: unknown[];
  /** Last word: edits the config object before it is written. */
  mutate?: (config: any) => void;
}

export function configObject(prometheusUrl: string, options: ConfigOptions = {}): any {
  const config: any = {
    apiVersion: 'canary-action/v1',
    workload: 'deployment/web',
    ...(options.namespace ? { namespace: options.namespace } : {}),
    traffic: { router: 'replicas', steps: options.steps ?? [50] },
    lockWait: options.lockWait ?? '10s',
    readyTimeout: options.readyTimeout ?? '60s',
    analysis: {
      provider: options.provider ?? {
        type: 'prometheus',
        url: prometheusUrl,
        bearerToken: '${PROM_TOKEN}',
        headers: { 'X-Scope-OrgID': '${ORG_HEADER}' },
        timeout: '5s',
      },
      interval: options.interval ?? '2s',
      warmup: options.warmup ?? '1s',
      minDuration: options.minDuration ?? '4s',
      maxDuration: options.maxDuration ?? '4s',
      onInconclusive: options.onInconclusive ?? 'pass',
      metrics: options.metrics ?? [{ template: 'http-error-rate' }, { template: 'http-latency' }],
    },
  };
  options.mutate?.(config);
  return config;
}

/** YAML; JSON (which is YAML too) when js-yaml cannot write it (a multi-megabyte string). */
export function configText(config: unknown): string {
  try {
    return dump(config, { lineWidth: -1, noRefs: true });
  } catch {
    return `${JSON.stringify(config, null, 2)}\n`;
  }
}

export interface ManifestOptions {
  image: string;
  namespace?: string;
  /** The demo app's behaviour (DEMO_ERROR_RATE, DEMO_CRASH …). */
  env?: Record<string, string>;
  /** A ConfigMap `web-config` the Deployment reads. */
  configData?: Record<string, string>;
  /** A Secret `web-secret` (stringData) the Deployment reads. */
  secretStringData?: Record<string, string>;
  mutate?: (documents: any[]) => void;
}

export function manifestObjects(options: ManifestOptions): any[] {
  const deployment: any = webDeployment({
    image: options.image,
    ...(options.namespace ? { namespace: options.namespace } : { namespace: '' }),
    ...(options.env ? { env: options.env } : {}),
    ...(options.configData ? { configMap: 'web-config' } : {}),
  });
  if (!options.namespace) delete deployment.metadata.namespace;
  const documents: any[] = [deployment];
  if (options.configData) {
    documents.unshift({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
      data: options.configData,
    });
  }
  if (options.secretStringData) {
    documents.unshift({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-secret' },
      type: 'Opaque',
      stringData: options.secretStringData,
    });
    const container = deployment.spec.template.spec.containers[0];
    container.envFrom = [...(container.envFrom ?? []), { secretRef: { name: 'web-secret' } }];
  }
  options.mutate?.(documents);
  return documents;
}

export const manifestText = (documents: unknown[]) =>
  documents.map((d) => dump(d, { lineWidth: -1, noRefs: true })).join('---\n');

/** The anchors of a YAML "billion laughs": `a0` … `a<levels>`, each `width` aliases of the one below. */
export function aliasDefinitions(levels = 9, width = 9): string {
  const lines = [`a0: &a0 [${Array.from({ length: width }, () => '"lol"').join(', ')}]`];
  for (let i = 1; i <= levels; i++)
    lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** A YAML "billion laughs": the anchors, then `key: *a<levels>` (width^levels strings once expanded). */
export function aliasBomb(levels = 9, width = 9, key = 'bomb'): string {
  return `${aliasDefinitions(levels, width)}${key}: *a${levels}\n`;
}

/**
 * A document's YAML with the anchors first and `*a<levels>` wherever the object holds the string
 * "__BOMB__" (top-level values are written as JSON, which YAML flow style reads, aliases included).
 */
export function withAliasBomb(object: Record<string, unknown>, levels = 9, width = 9): string {
  const lines = Object.entries(object).map(
    ([key, value]) => `${key}: ${JSON.stringify(value).split('"__BOMB__"').join(`*a${levels}`)}`,
  );
  return `${aliasDefinitions(levels, width)}${lines.join('\n')}\n`;
}

/** The `ci` kubeconfig as an object (what test/sandbox writes), to break in one place. */
export function kubeconfigObject(options: {
  server: string;
  ca: string;
  token: string;
  namespace: string;
}): any {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.ca).toString('base64'),
        },
      },
    ],
    users: [{ name: 'ci', user: { token: options.token } }],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: 'ci', namespace: options.namespace } },
    ],
    'current-context': 'sandbox',
  };
}

let otherCa: Promise<{ cert: string; key: string }> | undefined;

/** A self-signed CA (openssl) that did not sign the sandbox's serving certificate, with its key. */
export function unrelatedCa(): Promise<{ cert: string; key: string }> {
  otherCa ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faults-ca-'));
    try {
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-subj',
        '/CN=unrelated-ca',
        '-days',
        '2',
      ]);
      return {
        cert: await readFile(path.join(dir, 'cert.pem'), 'utf8'),
        key: await readFile(path.join(dir, 'key.pem'), 'utf8'),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return otherCa;
}

/** `bytes` of YAML comment lines (valid YAML that says nothing): padding for size limits. */
export function yamlPadding(bytes: number): string {
  const line = `# ${'x'.repeat(98)}\n`;
  return line.repeat(Math.ceil(bytes / line.length));
}
