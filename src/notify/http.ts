/**
 * The notifiers' HTTP client: one request with a per-attempt timeout, retried with jittered exponential
 * back-off on network errors, timeouts, 429 and 5xx, and abandoned the moment the dispatch deadline
 * aborts. It never throws and never describes a request by its URL or headers: a failure is a short
 * `problem` (status and the receiver's error text, or the network error's code).
 *
 * src/util/http.ts is written for metrics backends (errors mapped to BackendError/QueryError, a base URL
 * printed in messages, no PATCH); this one keeps only its back-off formula.
 */
import axios from 'axios';
import { systemClock } from '../util/clock.ts';
import { backendErrorText, backoffDelay, type BackoffPolicy } from '../util/http.ts';
import { truncate } from './format.ts';

export interface DeliveryRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** The exact bytes sent (a webhook's signature covers them). */
  body?: Buffer;
}

export interface DeliveryOptions {
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** The dispatch deadline: aborting it ends the delivery at once. */
  signal: AbortSignal;
  backoff?: Partial<BackoffPolicy>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Called before each attempt. */
  onAttempt?: () => void;
}

export type Delivery =
  | { ok: true; status: number; body: string; attempts: number }
  | { ok: false; status?: number; body?: string; attempts: number; problem: string };

/** Shorter than the metrics client's: a notification is worth a few seconds, not a minute. */
export const NOTIFY_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 4000 };
const RETRY_AFTER_CAP_MS = 10_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

type Attempt =
  | { kind: 'response'; status: number; body: string; retryAfter?: unknown }
  | { kind: 'failed'; problem: string }
  | { kind: 'aborted' };

export async function deliver(request: DeliveryRequest, options: DeliveryOptions): Promise<Delivery> {
  const attempts = Math.max(0, options.retries) + 1;
  const backoff = { ...NOTIFY_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? systemClock.sleep;
  const cutOff = (made: number, problem?: string): Delivery => ({
    ok: false,
    attempts: made,
    problem: problem
      ? `${problem}; then the notification deadline was reached`
      : 'notification deadline reached',
  });
  let last: { status?: number; body?: string; problem: string } = { problem: 'not attempted' };
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (options.signal.aborted) return cutOff(attempt, attempt > 0 ? last.problem : undefined);
    options.onAttempt?.();
    const outcome = await attemptOnce(request, options.timeoutMs, options.signal);
    let retryAfterMs: number | undefined;
    if (outcome.kind === 'aborted') return cutOff(attempt + 1);
    if (outcome.kind === 'response') {
      if (outcome.status >= 200 && outcome.status < 300) {
        return { ok: true, status: outcome.status, body: outcome.body, attempts: attempt + 1 };
      }
      const text = outcome.body.trim() ? `: ${truncate(backendErrorText(outcome.body), 200)}` : '';
      last = { status: outcome.status, body: outcome.body, problem: `HTTP ${outcome.status}${text}` };
      if (outcome.status !== 429 && outcome.status < 500) {
        return { ok: false, ...last, attempts: attempt + 1, problem: `${last.problem} (not retried)` };
      }
      retryAfterMs = parseRetryAfter(outcome.retryAfter);
    } else {
      last = { problem: outcome.problem };
    }
    if (attempt + 1 < attempts) {
      const delay = Math.max(backoffDelay(attempt, backoff, random), retryAfterMs ?? 0);
      try {
        await sleep(delay, options.signal);
      } catch {
        return { ...cutOff(attempt + 1, last.problem), ...(last.status ? { status: last.status } : {}) };
      }
    }
  }
  return {
    ok: false,
    ...last,
    attempts,
    problem: `${last.problem} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
  };
}

async function attemptOnce(
  request: DeliveryRequest,
  timeoutMs: number,
  deadline: AbortSignal,
): Promise<Attempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onDeadline = () => controller.abort();
  deadline.addEventListener('abort', onDeadline, { once: true });
  try {
    const response = await axios.request<string>({
      method: request.method,
      url: request.url,
      headers: request.headers ?? {},
      data: request.body,
      signal: controller.signal,
      responseType: 'text',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // A webhook that redirects is misconfigured; following a redirect would also re-send the body elsewhere.
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
    });
    return {
      kind: 'response',
      status: response.status,
      body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
      retryAfter: response.headers['retry-after'],
    };
  } catch (error) {
    if (deadline.aborted) return { kind: 'aborted' };
    if (controller.signal.aborted) return { kind: 'failed', problem: `timed out after ${timeoutMs} ms` };
    return { kind: 'failed', problem: describeNetworkError(error) };
  } finally {
    clearTimeout(timer);
    deadline.removeEventListener('abort', onDeadline);
  }
}

/** The error's code only: axios messages and configs carry the URL and the headers. */
function describeNetworkError(error: unknown): string {
  const code =
    (axios.isAxiosError(error) ? error.code : undefined) ??
    ((error as { cause?: NodeJS.ErrnoException } | undefined)?.cause?.code || undefined) ??
    (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return 'timed out';
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return `TLS verification failed (${code})`;
  }
  return code ? `network error (${code})` : 'network error';
}

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_AFTER_CAP_MS) : undefined;
}
