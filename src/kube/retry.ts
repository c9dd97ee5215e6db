import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { BackendError } from '../util/errors.ts';
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

export type RetryDecision = 'retry' | 'fail';

/** Which failures are worth another attempt: throttling, server errors, network errors, and (for writes) conflicts. */
export function classifyFailure(error: unknown, options: { retryConflicts: boolean }): RetryDecision {
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
  const { attempts = 6, baseDelayMs = 200, maxDelayMs = 5000, clock = systemClock } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const decision = classifyFailure(error, { retryConflicts: options.retryConflicts ?? false });
      if (decision === 'fail' || attempt + 1 >= attempts || options.signal?.aborted)
        throw toTypedError(op, error, attempt + 1);
      await clock.sleep(backoffDelay(attempt, error, baseDelayMs, maxDelayMs), options.signal);
    }
  }
}

export function toTypedError(op: Operation, error: unknown, attempts = 1): Error {
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (error instanceof HttpStatusError) {
    const typed = errorForStatus(op, error.status, error.body, error);
    if (tries && typed instanceof BackendError) typed.message += tries;
    return typed;
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
