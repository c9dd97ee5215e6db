import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { BackendError, ConfigError } from '../util/errors.ts';
import type { Operation } from './errors.ts';
import { describeOperation, errorForStatus } from './errors.ts';

/** An HTTP error answer from the API server, before it is classified. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The errno-like code of a network failure (undici wraps it in `cause`), or undefined for anything else. */
export function networkErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error instanceof HttpStatusError) return undefined;
  if (error.name === 'TimeoutError') return 'request timeout';
  const codes = [error, error.cause].map((e) => (e as { code?: unknown } | undefined)?.code);
  const code = codes.find((c): c is string => typeof c === 'string' && NETWORK_CODES.has(c));
  if (code) return code;
  if (error instanceof TypeError && error.message === 'fetch failed') return 'fetch failed';
  return undefined;
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_OSSL|ERR_SSL|HOSTNAME_MISMATCH/;

/** A TLS or key failure (a wrong CA, a broken client key) as `code: message`: not a blip, never retried. */
export function tlsProblem(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_CODE.test(code)) return `${code}: ${current.message}`;
    current = current.cause;
  }
  return undefined;
}

export type RetryDecision = 'retry' | 'fail';

/** Which failures are worth another attempt: throttling, server errors, network errors, and (for writes) conflicts. */
export function classifyFailure(error: unknown, options: { retryConflicts: boolean }): RetryDecision {
  if (tlsProblem(error)) return 'fail';
  if (error instanceof HttpStatusError) {
    if (error.status === 429 || error.status >= 500) return 'retry';
    if (error.status === 409 && options.retryConflicts) return 'retry';
    return 'fail';
  }
  return networkErrorCode(error) ? 'retry' : 'fail';
}

/** Exponential back-off with jitter in [d/2, d], or the server's Retry-After when it names one. */
export function backoffDelay(
  attempt: number,
  error: unknown,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const retryAfter = error instanceof HttpStatusError ? Number(error.headers['retry-after']) : NaN;
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1000, maxMs);
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface RetryOptions {
  retryConflicts?: boolean;
  /** How long to keep retrying from the first attempt (the config's apiRetryBudget). */
  budgetMs?: number;
  /** At most this many attempts (default: 6 without a budget, else as many as the budget allows). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

/** Runs `fn` with bounded retries; the final failure is turned into a typed error naming `op`. */
export async function withRetry<T>(
  op: Operation,
  fn: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { budgetMs = Infinity, baseDelayMs = 200, maxDelayMs = 5000, clock = systemClock } = options;
  const attempts = options.attempts ?? (options.budgetMs === undefined ? 6 : Infinity);
  const started = clock.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const decision = classifyFailure(error, { retryConflicts: options.retryConflicts ?? false });
      const delay = backoffDelay(attempt, error, baseDelayMs, maxDelayMs);
      const outOfBudget = clock.now() - started + delay > budgetMs;
      if (decision === 'fail' || attempt + 1 >= attempts || outOfBudget || options.signal?.aborted)
        throw toTypedError(op, error, attempt + 1, options.budgetMs && clock.now() - started);
      await clock.sleep(delay, options.signal);
    }
  }
}

export function toTypedError(op: Operation, error: unknown, attempts = 1, elapsedMs?: number): Error {
  const within = elapsedMs === undefined ? '' : ` in ${Math.round(elapsedMs / 1000)} s`;
  const tries = attempts > 1 ? ` (after ${attempts} attempts${within})` : '';
  if (error instanceof HttpStatusError) {
    const typed = errorForStatus(op, error.status, error.body, error);
    if (tries && typed instanceof BackendError) typed.message += tries;
    return typed;
  }
  const tls = tlsProblem(error);
  if (tls) {
    return new ConfigError(
      'kubeconfig',
      `${describeOperation(op)}: TLS with the Kubernetes API server failed (${tls.slice(0, 300)}): check the cluster's certificate-authority(-data) and the user's client certificate and key`,
    );
  }
  const code = networkErrorCode(error);
  if (code)
    return new BackendError(
      `${describeOperation(op)}: cannot reach the Kubernetes API server (${code})${tries}`,
      {
        cause: error,
      },
    );
  return error instanceof Error ? error : new Error(String(error));
}
