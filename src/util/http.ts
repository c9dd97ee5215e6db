import { readFileSync } from 'node:fs';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { BackendError, ConfigError, QueryError } from './errors.ts';
import { systemClock } from './clock.ts';

export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** PEM bundle: when set, only these CAs are trusted. */
  caFile?: string;
  insecureSkipVerify?: boolean;
  timeoutMs: number;
  /** How long one request is retried on network errors, 429 and 5xx (from its first attempt). */
  retryBudgetMs?: number;
  /** At most this many retries after the first attempt, within the budget (unset: no count limit). */
  retries?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Injected by tests; defaults to Math.random and the system clock. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Names the config field that holds the URL and credentials, for messages (default `analysis.provider`). */
  configPath?: string;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Raw body with its content type (e.g. a Flux query as JSON). */
  body?: { contentType: string; data: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The user's query: a 400/422 answer becomes a QueryError carrying it. */
  query?: string;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface HttpClient {
  /** Base URL without credentials, safe to print. */
  readonly displayUrl: string;
  request(request: HttpRequest): Promise<HttpResponse>;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 8000 };
const RETRY_AFTER_CAP_MS = 30_000;
const QUERY_REJECTED = new Set([400, 422]);
const CREDENTIALS_REFUSED = new Set([401, 403]);

/** Full-jitter exponential back-off: a delay drawn from [cap/2, cap] with cap = base·2^attempt ≤ max. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** `https://user:pw@host/p?q=1` → `https://host/p`: never print credentials or query parameters. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

/** Pulls the human-readable error out of a backend's error body (Prometheus, InfluxDB, Datadog shapes). */
export function backendErrorText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      if (typeof record.error === 'string') {
        return typeof record.errorType === 'string' ? `${record.errorType}: ${record.error}` : record.error;
      }
      if (Array.isArray(record.errors)) return record.errors.map(String).join('; ');
      if (typeof record.message === 'string') return record.message;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim().replace(/\s+/g, ' ');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text || '(empty body)';
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const displayUrl = redactUrl(options.baseUrl);
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? systemClock.sleep;
  const now = options.now ?? systemClock.now;
  // The config always sets the budget (src/config/schema.ts); without one, `retries` alone limits.
  const budgetMs = options.retryBudgetMs ?? Infinity;
  const maxAttempts =
    options.retries === undefined ? (options.retryBudgetMs ? Infinity : 1) : options.retries + 1;
  const configPath = options.configPath ?? 'analysis.provider';
  const instance = buildAxios(options, configPath);

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const where = `${req.method} ${displayUrl}${req.path}`;
    const started = now();
    let lastCause = '';
    let attempt = 0;
    for (; ; attempt++) {
      req.signal?.throwIfAborted();
      let retryAfterMs: number | undefined;
      try {
        const response = await send(instance, req);
        if (response.status < 400) return toResponse(response);
        const text = backendErrorText(String(response.data ?? ''));
        if (response.status === 429 || response.status >= 500) {
          lastCause = `HTTP ${response.status}: ${text}`;
          retryAfterMs = parseRetryAfter(response.headers['retry-after']);
        } else if (req.query !== undefined && QUERY_REJECTED.has(response.status)) {
          throw new QueryError(req.query, `${where} rejected the query (HTTP ${response.status}): ${text}`);
        } else if (CREDENTIALS_REFUSED.has(response.status)) {
          throw new ConfigError(
            configPath,
            `${where} refused the credentials (HTTP ${response.status}): ${text}; check the token, API key or user`,
          );
        } else {
          throw new BackendError(`${where} failed (HTTP ${response.status}): ${text}`);
        }
      } catch (error) {
        if (!isNetworkError(error)) throw error;
        if (req.signal?.aborted) throw req.signal.reason;
        lastCause = describeNetworkError(error, options.timeoutMs);
        if (isTlsVerificationError(error)) {
          throw new BackendError(
            `${where}: TLS verification failed (${lastCause}); set caFile to the server's CA bundle`,
            { cause: new Error(lastCause) },
          );
        }
      }
      const delay = Math.max(backoffDelay(attempt, backoff, random), retryAfterMs ?? 0);
      if (attempt + 1 >= maxAttempts || now() - started + delay > budgetMs) break;
      await sleep(delay, req.signal);
    }
    const attempts = attempt + 1;
    const within = Number.isFinite(budgetMs) ? ` in ${Math.round((now() - started) / 1000)} s` : '';
    throw new BackendError(
      `${where} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}${within}: ${lastCause}`,
      { cause: new Error(lastCause) },
    );
  }

  return { displayUrl, request };
}

function buildAxios(options: HttpClientOptions, configPath: string): AxiosInstance {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
  let httpsAgent: https.Agent | undefined;
  if (options.caFile || options.insecureSkipVerify) {
    let ca: Buffer | undefined;
    if (options.caFile) {
      try {
        ca = readFileSync(options.caFile);
      } catch (error) {
        throw new ConfigError(
          `${configPath}.caFile`,
          `cannot read CA file ${JSON.stringify(options.caFile)}`,
          {
            cause: error,
          },
        );
      }
      // Refused here, before any change: Node would only fail at the first TLS handshake, if ever.
      if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----'))
        throw new ConfigError(
          `${configPath}.caFile`,
          `${JSON.stringify(options.caFile)} holds no PEM certificate; expected one or more "-----BEGIN CERTIFICATE-----" blocks`,
        );
    }
    httpsAgent = new https.Agent({ ca, rejectUnauthorized: !options.insecureSkipVerify });
  }
  return axios.create({
    baseURL: options.baseUrl,
    headers,
    auth: options.basicAuth,
    timeout: options.timeoutMs,
    httpsAgent,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 5,
  });
}

function send(instance: AxiosInstance, req: HttpRequest): Promise<AxiosResponse<string>> {
  let data: string | undefined;
  const headers: Record<string, string> = { ...req.headers };
  if (req.form) {
    data = new URLSearchParams(req.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (req.body) {
    data = req.body.data;
    headers['Content-Type'] = req.body.contentType;
  }
  return instance.request<string>({
    method: req.method,
    url: req.path,
    params: req.params,
    data,
    headers,
    signal: req.signal,
  });
}

function toResponse(response: AxiosResponse<string>): HttpResponse {
  const contentType = response.headers['content-type'];
  return {
    status: response.status,
    contentType: typeof contentType === 'string' ? contentType : '',
    text: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
  };
}

function isNetworkError(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response === undefined;
}

function isTlsVerificationError(error: unknown): boolean {
  const code = axios.isAxiosError(error) ? error.code : undefined;
  return !!code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
}

/** The cause without the request config (whose headers hold tokens). */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (!axios.isAxiosError(error)) return String(error);
  if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return `timed out after ${timeoutMs} ms`;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (a false positive of the rule)
  const code = error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_AFTER_CAP_MS) : undefined;
}
