import http from 'node:http';
import { isIPv4 } from 'node:net';
import { ConfigError } from '../../../src/util/errors.ts';

export interface TrafficGeneratorOptions {
  /** Where to send requests; its host must be loopback (127.0.0.0/8, localhost, ::1). */
  url: string;
  /** Requests started per second, whatever the responses do (an open-loop load generator). */
  ratePerSecond: number;
  /** Stop after this many requests. */
  maxRequests?: number;
  /** Stop after this long. Default and maximum: 10 minutes, so a forgotten generator ends by itself. */
  durationMs?: number;
  /** Paths requested in turn (relative to the URL's origin). Default: the URL's own path. */
  paths?: string[];
  /** Per-request timeout; a timed-out request counts as a network error. Default 10 s. */
  timeoutMs?: number;
  /**
   * Headers sent with every request: `host` for an Ingress or Gateway hostname, a header an A/B match
   * routes by. Each request opens a new connection (no keep-alive), so a Service listener (kube-proxy:
   * an endpoint per connection) spreads requests as it spreads connections.
   */
  headers?: Record<string, string>;
}

export interface TrafficStats {
  /** Requests started. */
  sent: number;
  /** Requests that got a response or failed. */
  completed: number;
  /** 2xx and 3xx responses. */
  ok: number;
  /** Responses with status ≥ 400 plus network errors. */
  errors: number;
  /** Responses by status code ("200", "500" …). */
  byStatus: Record<string, number>;
  /** Connection errors and timeouts (no status code). */
  networkErrors: number;
}

export interface TrafficGenerator {
  /** Stops sending, waits for requests in flight and returns the final counts. */
  stop(): Promise<TrafficStats>;
  /** Counts so far. */
  stats(): TrafficStats;
  /** Resolves with the final counts once the generator stopped (by itself at its bound, or by stop()). */
  readonly done: Promise<TrafficStats>;
}

export const MAX_TRAFFIC_DURATION_MS = 10 * 60_000;
const TICK_MS = 10;

/** True for hosts that can only be this machine: 127.0.0.0/8, localhost and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

function parseTarget(options: TrafficGeneratorOptions): URL {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ConfigError('url', `expected an http:// URL, got ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'http:') {
    throw new ConfigError('url', `expected an http:// URL, got ${JSON.stringify(options.url)}`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      'url',
      `the traffic generator only sends to loopback hosts (127.0.0.0/8, localhost, ::1), got ${JSON.stringify(url.hostname)}`,
    );
  }
  return url;
}

function validateOptions(options: TrafficGeneratorOptions): void {
  const { ratePerSecond, maxRequests, durationMs, paths } = options;
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0 || ratePerSecond > 10_000) {
    throw new ConfigError('ratePerSecond', `expected a number in (0, 10000], got ${ratePerSecond}`);
  }
  if (maxRequests !== undefined && (!Number.isInteger(maxRequests) || maxRequests < 1)) {
    throw new ConfigError('maxRequests', `expected a positive integer, got ${maxRequests}`);
  }
  if (
    durationMs !== undefined &&
    (!Number.isFinite(durationMs) || durationMs <= 0 || durationMs > MAX_TRAFFIC_DURATION_MS)
  ) {
    throw new ConfigError(
      'durationMs',
      `expected a duration in (0, ${MAX_TRAFFIC_DURATION_MS}] ms, got ${durationMs}`,
    );
  }
  if (
    options.headers !== undefined &&
    (typeof options.headers !== 'object' ||
      Object.values(options.headers).some((value) => typeof value !== 'string'))
  ) {
    throw new ConfigError(
      'headers',
      `expected an object of header names to strings, got ${JSON.stringify(options.headers)}`,
    );
  }
  if (paths !== undefined && (paths.length === 0 || paths.some((path) => !path.startsWith('/')))) {
    throw new ConfigError(
      'paths',
      `expected a non-empty list of paths starting with "/", got ${JSON.stringify(paths)}`,
    );
  }
}

/** Starts sending requests at a fixed rate to a loopback URL until stopped or bounded. */
export function startTrafficGenerator(options: TrafficGeneratorOptions): TrafficGenerator {
  const target = parseTarget(options);
  validateOptions(options);
  const paths = options.paths ?? [`${target.pathname}${target.search}`];
  const durationMs = options.durationMs ?? MAX_TRAFFIC_DURATION_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: false });
  const counts: TrafficStats = { sent: 0, completed: 0, ok: 0, errors: 0, byStatus: {}, networkErrors: 0 };
  const startedAt = Date.now();
  let inFlight = 0;
  let stopped = false;
  let resolveDone: (stats: TrafficStats) => void = () => {};
  const done = new Promise<TrafficStats>((resolve) => (resolveDone = resolve));

  const snapshot = (): TrafficStats => ({ ...counts, byStatus: { ...counts.byStatus } });
  const settleIfFinished = () => {
    if (stopped && inFlight === 0) {
      agent.destroy();
      resolveDone(snapshot());
    }
  };
  const complete = (status: number | undefined) => {
    inFlight -= 1;
    counts.completed += 1;
    if (status === undefined) {
      counts.networkErrors += 1;
      counts.errors += 1;
    } else {
      counts.byStatus[String(status)] = (counts.byStatus[String(status)] ?? 0) + 1;
      if (status < 400) counts.ok += 1;
      else counts.errors += 1;
    }
    settleIfFinished();
  };

  const sendOne = () => {
    const path = paths[counts.sent % paths.length] ?? '/';
    counts.sent += 1;
    inFlight += 1;
    let finished = false;
    const finish = (status: number | undefined) => {
      if (finished) return;
      finished = true;
      complete(status);
    };
    const request = http.get(
      new URL(path, target.origin),
      { agent, timeout: timeoutMs, ...(options.headers ? { headers: options.headers } : {}) },
      (response) => {
        response.resume();
        response.on('end', () => finish(response.statusCode));
        response.on('error', () => finish(undefined));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on('error', () => finish(undefined));
  };

  const stopSending = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    settleIfFinished();
  };

  const tick = () => {
    const elapsed = Date.now() - startedAt;
    const due = Math.min(
      Math.floor((elapsed * options.ratePerSecond) / 1000) + 1,
      options.maxRequests ?? Infinity,
    );
    while (counts.sent < due) sendOne();
    if (counts.sent >= (options.maxRequests ?? Infinity) || elapsed >= durationMs) stopSending();
  };
  const timer = setInterval(tick, Math.max(1, Math.min(TICK_MS, 1000 / options.ratePerSecond)));
  tick();

  return {
    stats: snapshot,
    done,
    stop: () => {
      stopSending();
      return done;
    },
  };
}
