import http from 'node:http';
import https from 'node:https';
import { connect } from 'node:net';
import type { ContainerPort, Probe } from './pod-spec.ts';

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, worded like the kubelet's messages (shown in Unhealthy events). */
  message: string;
}

export interface ProbeTarget {
  podIP: string;
  ports: ContainerPort[];
}

/** A probe port is a number, a numeric string or the name of one of the container's ports. */
export function resolveProbePort(port: number | string, ports: ContainerPort[]): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return ports.find((candidate) => candidate.name === port)?.containerPort;
}

function dialError(host: string, port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  return `dial tcp ${host}:${port}: ${error.code ?? error.message}`;
}

/** Succeeds when a TCP connection to host:port opens within the timeout. */
export function checkTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }));
    socket.once('connect', () => done({ ok: true, message: '' }));
    socket.once('error', (error) => done({ ok: false, message: dialError(host, port, error) }));
  });
}

function checkHttp(
  probe: NonNullable<Probe['httpGet']>,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeResult> {
  const host = probe.host ?? target.podIP;
  const port = resolveProbePort(probe.port, target.ports);
  if (port === undefined)
    return Promise.resolve({ ok: false, message: `unknown named port ${JSON.stringify(probe.port)}` });
  const secure = probe.scheme?.toUpperCase() === 'HTTPS';
  const path = probe.path ?? '/';
  const url = `${secure ? 'https' : 'http'}://${host}:${port}${path}`;
  const headers = Object.fromEntries((probe.httpHeaders ?? []).map((header) => [header.name, header.value]));
  return new Promise((resolve) => {
    const request = (secure ? https : http).get(
      url,
      { headers, timeout: timeoutMs, agent: false, rejectUnauthorized: false },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 400;
        resolve({ ok, message: ok ? '' : `HTTP probe failed with statuscode: ${status}` });
      },
    );
    request.on('timeout', () => {
      request.destroy();
      resolve({
        ok: false,
        message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, message: `Get "${url}": ${dialError(host, port, error)}` }),
    );
  });
}

/** Runs one probe. exec and grpc probes cannot run inside a simulated container: they always succeed. */
export function checkProbe(probe: Probe, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) return checkHttp(probe.httpGet, target, timeoutMs);
  if (probe.tcpSocket) {
    const port = resolveProbePort(probe.tcpSocket.port, target.ports);
    if (port === undefined)
      return Promise.resolve({ ok: false, message: `unknown named port ${probe.tcpSocket.port}` });
    return checkTcp(probe.tcpSocket.host ?? target.podIP, port, timeoutMs);
  }
  return Promise.resolve({ ok: true, message: '' });
}

export interface ProberHandlers {
  /** Called when consecutive successes reach successThreshold (once per streak). */
  onSuccessThreshold(): void;
  /** Called when consecutive failures reach failureThreshold (once per streak). */
  onFailureThreshold(result: ProbeResult): void;
  /** Called on every failed attempt (for the Unhealthy event). */
  onFailure(result: ProbeResult): void;
}

/**
 * Runs a probe every periodSeconds after initialDelaySeconds (both scaled), counting consecutive
 * outcomes against successThreshold and failureThreshold like the kubelet's prober.
 */
export function startProber(
  probe: Probe,
  options: { timeScale: number; check: () => Promise<ProbeResult> },
  handlers: ProberHandlers,
): { stop(): void } {
  const scaled = (seconds: number) => seconds * 1000 * options.timeScale;
  const successThreshold = probe.successThreshold ?? 1;
  const failureThreshold = probe.failureThreshold ?? 3;
  let successes = 0;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const attempt = async () => {
    const result = await options.check();
    if (stopped) return;
    if (result.ok) {
      failures = 0;
      successes += 1;
      if (successes === successThreshold) handlers.onSuccessThreshold();
    } else {
      successes = 0;
      failures += 1;
      handlers.onFailure(result);
      if (failures === failureThreshold) handlers.onFailureThreshold(result);
    }
    if (!stopped) timer = setTimeout(attempt, scaled(probe.periodSeconds ?? 10));
  };
  timer = setTimeout(attempt, scaled(probe.initialDelaySeconds ?? 0));

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
