import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import type { Decision, HeaderChanges, HttpRouter, RequestInfo } from '../routing/table.ts';
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

/** A router over weighted groups of backends (setBackendGroups). */
function groupsRouter(groups: BackendGroup[]): HttpRouter {
  const pick = createBackendPicker(groups);
  return () => {
    const choice = pick();
    if (!choice) return { status: 503, body: 'no backends: this service has no ready endpoints\n' };
    if (!choice.backend)
      return { status: 503, body: 'no healthy upstream: the chosen backend group has no ready endpoints\n' };
    return { backend: choice.backend, route: 'backend groups' };
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

function applyChanges(headers: http.OutgoingHttpHeaders, changes: HeaderChanges | undefined): void {
  if (!changes) return;
  for (const [name, value] of Object.entries(changes.set ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(changes.add ?? {})) {
    const current = headers[name.toLowerCase()];
    headers[name.toLowerCase()] = current === undefined ? value : `${String(current)},${value}`;
  }
  for (const name of changes.remove ?? []) delete headers[name.toLowerCase()];
}

function sendText(
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': body.startsWith('<html>') ? 'text/html' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** What the router sees of a request. */
export function requestInfo(req: http.IncomingMessage): RequestInfo {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const host = String(req.headers.host ?? '')
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    host,
  };
}

/** The response header naming the route a request took (a sandbox addition, for tests and diagnostics). */
export const ROUTE_HEADER = 'x-sandbox-route';

/**
 * A real loopback listener playing a Service, a Gateway, a mesh sidecar or an ingress controller.
 *
 * - `setConnectionBackends` (kube-proxy, iptables mode): every new TCP connection goes to an endpoint
 *   chosen at random (or, with ClientIP affinity, the client's previous one), and stays with it; bytes
 *   are relayed untouched. No endpoint: the connection is reset.
 * - `setRouter` (an L7 proxy: Envoy, nginx, HAProxy): every HTTP request, also on a kept-alive
 *   connection, is routed on its own by the router (usually compiled from a routing table).
 * - `setBackendGroups`: `setRouter` with weighted groups of backends.
 *
 * A connection is handled in the mode the listener is in when it opens. Initially: no backend groups
 * (L7, answering 503).
 */
export async function startTrafficProxy(
  options: { host?: string; random?: () => number } = {},
): Promise<TrafficProxy> {
  const random = options.random ?? Math.random;
  const agent = new http.Agent({ keepAlive: false });
  let router: HttpRouter | undefined = groupsRouter([]);
  let endpoints: Backend[] = [];
  let affinitySeconds: number | undefined;
  const affinity = new Map<string, { backend: Backend; lastUsed: number }>();

  /** kube-proxy's choice for a new connection: random, or the client's affine endpoint (ClientIP). */
  const choose = (clientIP: string | undefined): Backend | undefined => {
    const key = clientIP ?? '';
    const sticky = affinitySeconds !== undefined ? affinity.get(key) : undefined;
    const now = Date.now();
    if (
      sticky &&
      now - sticky.lastUsed <= affinitySeconds! * 1000 &&
      endpoints.some((e) => e.host === sticky.backend.host && e.port === sticky.backend.port)
    ) {
      sticky.lastUsed = now;
      return sticky.backend;
    }
    const backend = endpoints[Math.floor(random() * endpoints.length)];
    if (backend && affinitySeconds !== undefined) affinity.set(key, { backend, lastUsed: now });
    return backend;
  };
  const sockets = new Set<Socket>();

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, decision: Decision): void => {
    if (!('backend' in decision)) {
      return sendText(res, decision.status, decision.body, {
        ...decision.headers,
        ...(decision.route ? { [ROUTE_HEADER]: decision.route } : {}),
      });
    }
    const { backend } = decision;
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const headers = { ...endToEndHeaders(req.headers), 'x-forwarded-for': forwardedFor };
    applyChanges(headers, decision.requestHeaders);
    const upstream = http.request({
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    });
    upstream.on('response', (response) => {
      const out = endToEndHeaders(response.headers);
      applyChanges(out, decision.responseHeaders);
      out[ROUTE_HEADER] = decision.route;
      res.writeHead(response.statusCode ?? 502, out);
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
  };

  const httpServer = http.createServer((req, res) => {
    let decision: Decision;
    if (router) decision = router(requestInfo(req));
    else {
      // A connection opened in L7 mode outlives a switch back to L4: its requests go to an endpoint each.
      const backend = endpoints[Math.floor(random() * endpoints.length)];
      decision = backend ? { backend, route: 'service' } : { status: 503, body: 'no ready endpoints\n' };
    }
    forward(req, res, decision);
  });

  const relay = (client: Socket): void => {
    const target = choose(client.remoteAddress);
    if (!target) return void client.resetAndDestroy();
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!client.destroyed) client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('error', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (router) httpServer.emit('connection', client);
    else relay(client);
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
      router = groupsRouter(groups);
    },
    setRouter(next) {
      router = next;
    },
    setConnectionBackends(backends, connectionOptions = {}) {
      router = undefined;
      endpoints = [...backends];
      affinitySeconds = connectionOptions.clientIPAffinitySeconds;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        httpServer.closeAllConnections();
        agent.destroy();
      }),
  };
}
