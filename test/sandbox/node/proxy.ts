import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend, TrafficProxy } from './types.ts';

export interface BackendGroup {
  weight: number;
  backends: Backend[];
}

/** A group chosen by weight; `backend` is undefined when that group has no ready backend. */
export type BackendPicker = () => { backend: Backend | undefined } | undefined;

/**
 * Chooses a group at random in proportion to its weight (as Envoy does for weighted clusters), then
 * the next backend of that group in turn. A chosen group without backends yields no backend, so its
 * share of traffic fails like a real gateway's does; no group with weight at all yields undefined.
 */
export function createBackendPicker(
  groups: BackendGroup[],
  random: () => number = Math.random,
): BackendPicker {
  const weighted = groups.filter((group) => group.weight > 0).map((group) => ({ ...group, next: 0 }));
  const total = weighted.reduce((sum, group) => sum + group.weight, 0);
  return () => {
    if (total <= 0) return undefined;
    let point = random() * total;
    const group =
      weighted.find((candidate) => (point -= candidate.weight) < 0) ?? weighted[weighted.length - 1];
    if (!group || group.backends.length === 0) return { backend: undefined };
    const backend = group.backends[group.next % group.backends.length];
    group.next += 1;
    return { backend };
  };
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-authenticate',
]);

function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function sendText(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * A real loopback HTTP listener playing a Service or a Gateway: each request (not each connection,
 * unlike kube-proxy) goes to a backend chosen by createBackendPicker.
 */
export async function startTrafficProxy(options: { host?: string } = {}): Promise<TrafficProxy> {
  const agent = new http.Agent({ keepAlive: false });
  let pick: BackendPicker = createBackendPicker([]);

  const server = http.createServer((req, res) => {
    const choice = pick();
    if (!choice) return sendText(res, 503, 'no backends: this service has no ready endpoints\n');
    const { backend } = choice;
    if (!backend)
      return sendText(res, 503, 'no healthy upstream: the chosen backend group has no ready endpoints\n');
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = http.request({
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: { ...endToEndHeaders(req.headers), 'x-forwarded-for': forwardedFor },
      agent,
    });
    upstream.on('response', (response) => {
      res.writeHead(response.statusCode ?? 502, endToEndHeaders(response.headers));
      response.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      sendText(res, 502, `upstream ${backend.host}:${backend.port} failed: ${error.code ?? error.message}\n`);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    host,
    port,
    setBackendGroups(groups) {
      pick = createBackendPicker(groups);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
