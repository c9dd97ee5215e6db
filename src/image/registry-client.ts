/**
 * A small client of the OCI Distribution API: resolve a tag to its digest, read manifests and config
 * blobs, put a manifest under another tag. Handles bearer-token challenges and basic auth; retries
 * network errors, 429 and 5xx with back-off.
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { systemClock } from '../util/clock.ts';
import { BackendError, ConfigError } from '../util/errors.ts';
import { backoffDelay } from '../util/http.ts';
import type { RegistryCredentials } from './builder.ts';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

export interface RegistryClientOptions {
  /** `host[:port]` as in the image reference; `docker.io` is served by registry-1.docker.io. */
  registry: string;
  /** Plain http and no TLS verification. */
  insecure: boolean;
  credentials?: RegistryCredentials;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

export interface RegistryClient {
  readonly baseUrl: string;
  /** The manifest a tag or digest points to; undefined when the registry does not have it. */
  getManifest(path: string, reference: string, signal?: AbortSignal): Promise<Manifest | undefined>;
  getBlob(path: string, digest: string, signal?: AbortSignal): Promise<Buffer>;
  /** Stores `manifest` under `tag` (the registry already holds its blobs). */
  putManifest(path: string, tag: string, manifest: Manifest, signal?: AbortSignal): Promise<void>;
}

/** Wrong or missing credentials: the registry refused us even after answering its challenge. */
export class RegistryAuthError extends ConfigError {}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://x/token",service="x",scope="repository:a:pull"` → scheme and parameters. */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(param[1] ?? '').toLowerCase()] = (param[2] ?? param[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: (match[1] ?? '').toLowerCase(), params };
}

export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const baseUrl = `${options.insecure ? 'http' : 'https'}://${apiHost(options.registry)}`;
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const sleep = options.sleep ?? systemClock.sleep;
  const httpsAgent = options.insecure ? new https.Agent({ rejectUnauthorized: false }) : undefined;
  const instance: AxiosInstance = axios.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    httpsAgent,
    responseType: 'arraybuffer',
    validateStatus: () => true,
    maxRedirects: 5,
  });
  const basic = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
    : undefined;
  const tokens = new Map<string, string>();

  async function send(config: Parameters<AxiosInstance['request']>[0], signal?: AbortSignal) {
    const where = `${String(config.method ?? 'GET').toUpperCase()} ${baseUrl}${config.url ?? ''}`;
    let lastCause = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      signal?.throwIfAborted();
      try {
        const response = await instance.request<Buffer>({ ...config, signal });
        if (response.status !== 429 && response.status < 500) return response;
        lastCause = `HTTP ${response.status}`;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!axios.isAxiosError(error) || error.response) throw error;
        lastCause = error.code ? `${error.code}: ${error.message}` : error.message;
      }
      if (attempt < retries)
        await sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 4000 }, Math.random), signal);
    }
    throw new BackendError(`registry ${where} failed after ${retries + 1} attempts: ${lastCause}`);
  }

  async function authorization(challengeHeader: string, signal?: AbortSignal): Promise<string | undefined> {
    const challenge = parseChallenge(challengeHeader);
    if (challenge?.scheme === 'basic') return basic;
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return undefined;
    const { realm, service, scope } = challenge.params;
    const key = `${realm} ${service ?? ''} ${scope ?? ''}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const params: Record<string, string> = {};
    if (service) params.service = service;
    if (scope) params.scope = scope;
    const response = await send(
      { method: 'GET', url: realm, baseURL: '', params, headers: basic ? { Authorization: basic } : {} },
      signal,
    );
    if (response.status !== 200) {
      throw new RegistryAuthError(
        '--registry-username',
        `token service ${redactQuery(realm)} refused ${basic ? 'the credentials' : 'anonymous access'} for ${scope ?? 'the registry'} (HTTP ${response.status})`,
      );
    }
    const body = JSON.parse(Buffer.from(response.data).toString('utf8')) as {
      token?: string;
      access_token?: string;
    };
    const token = body.token ?? body.access_token;
    if (!token) throw new BackendError(`token service ${redactQuery(realm)} answered without a token`);
    tokens.set(key, `Bearer ${token}`);
    return `Bearer ${token}`;
  }

  /** Sends once; on 401 answers the registry's challenge and sends again. */
  async function authorized(config: Parameters<AxiosInstance['request']>[0], signal?: AbortSignal) {
    const first = await send(config, signal);
    if (first.status !== 401) return first;
    const header = headerValue(first, 'www-authenticate');
    const auth = header ? await authorization(header, signal) : undefined;
    const second = auth
      ? await send({ ...config, headers: { ...config.headers, Authorization: auth } }, signal)
      : first;
    if (second.status === 401 || second.status === 403) {
      throw new RegistryAuthError(
        '--registry-username',
        `${baseUrl} refused ${auth ? 'the credentials' : 'anonymous access'} (HTTP ${second.status}) for ${config.url}; check --registry-username/--registry-password`,
      );
    }
    return second;
  }

  const failure = (response: AxiosResponse<Buffer>, what: string) =>
    new BackendError(`registry ${baseUrl} ${what} failed (HTTP ${response.status}): ${errorText(response)}`);

  return {
    baseUrl,
    async getManifest(path, reference, signal) {
      const url = `/v2/${path}/manifests/${reference}`;
      const response = await authorized(
        { method: 'GET', url, headers: { Accept: MANIFEST_MEDIA_TYPES.join(', ') } },
        signal,
      );
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw failure(response, `GET ${url}`);
      const body = Buffer.from(response.data);
      const digest =
        headerValue(response, 'docker-content-digest') ??
        `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const mediaType = (headerValue(response, 'content-type') ?? '').split(';')[0] ?? '';
      return { digest, mediaType, body };
    },
    async getBlob(path, digest, signal) {
      const url = `/v2/${path}/blobs/${digest}`;
      const response = await authorized({ method: 'GET', url }, signal);
      if (response.status !== 200) throw failure(response, `GET ${url}`);
      return Buffer.from(response.data);
    },
    async putManifest(path, tag, manifest, signal) {
      const url = `/v2/${path}/manifests/${tag}`;
      const response = await authorized(
        { method: 'PUT', url, data: manifest.body, headers: { 'Content-Type': manifest.mediaType } },
        signal,
      );
      if (response.status !== 201 && response.status !== 200) throw failure(response, `PUT ${url}`);
    },
  };
}

function headerValue(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' && value ? value : undefined;
}

function errorText(response: AxiosResponse<Buffer>): string {
  const text = Buffer.from(response.data ?? [])
    .toString('utf8')
    .trim()
    .replace(/\s+/g, ' ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text || '(empty body)';
}

function redactQuery(url: string): string {
  return url.split('?')[0] ?? url;
}
