import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Certificates } from './tls.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery.ts';
import type { Faults } from './faults.ts';
import { openApi } from './openapi.ts';
import { forbidden, ApiError, errors } from './status.ts';
import type { User } from './rbac.ts';
import { allows } from './rbac.ts';
import { parsePath } from './requests.ts';
import type { ResourceRequest } from './requests.ts';
import { serveResource } from './handlers.ts';
import type { HandlerDeps } from './handlers.ts';

export interface ApiServerOptions extends HandlerDeps {
  certificates: Certificates;
  authenticate(token: string): User | undefined;
  faults: Faults;
  port?: number;
  /** Called with one line per request, for debugging. */
  log?: (line: string) => void;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  /** Closes the listener and every connection, then listens again on the same port (state is kept). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError
      ? error
      : errors.internal(error instanceof Error ? error.message : String(error));
  const extra = apiError.code === 429 || apiError.code === 503 ? { 'Retry-After': '1' } : {};
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(apiError.toStatus());
  res.writeHead(apiError.code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

function faultError(status: number): ApiError {
  if (status === 429)
    return new ApiError(
      429,
      'TooManyRequests',
      'the server has received too many requests and has asked us to try again later (injected fault)',
      { retryAfterSeconds: 1 },
    );
  if (status === 503)
    return errors.unavailable('the server is currently unable to handle the request (injected fault)');
  return errors.internal('injected fault');
}

function serveNonResource(res: ServerResponse, url: URL, hostPort: string): boolean {
  const p = url.pathname.replace(/\/$/, '');
  if (p === '/version') sendJson(res, 200, VERSION_INFO);
  else if (p === '/api') sendJson(res, 200, apiVersions(hostPort));
  else if (p === '/apis') sendJson(res, 200, apiGroupList());
  else if (p.startsWith('/openapi/')) {
    const document = openApi(p);
    if (!document) throw errors.pathNotFound();
    sendJson(res, 200, document);
  } else if (['/healthz', '/livez', '/readyz'].includes(p)) {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  } else return false;
  return true;
}

function authorize(user: User, r: ResourceRequest): void {
  const allowed = allows(user.rules, {
    verb: r.verb,
    group: r.type.group,
    resource: r.type.plural,
    ...(r.subresource ? { subresource: r.subresource } : {}),
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
  });
  if (!allowed) {
    throw forbidden({
      user: user.name,
      verb: r.verb,
      type: r.type,
      ...(r.subresource ? { subresource: r.subresource } : {}),
      ...(r.name ? { name: r.name } : {}),
      ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    });
  }
}

/** The HTTPS front of the sandbox: faults, authentication, discovery, authorization, then the resource handlers. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    options.log?.(`${method} ${url.pathname}${url.search}`);
    const fault = options.faults.decide(method, `${url.pathname}${url.search}`);
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.failWith !== undefined) throw faultError(fault.failWith);

    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? options.authenticate(token.trim()) : undefined;
    if (!user) throw errors.unauthorized();
    if (serveNonResource(res, url, `127.0.0.1:${server.port}`)) return;

    const parsed = parsePath(method, url);
    if (parsed.kind === 'unknown') throw errors.pathNotFound();
    if (parsed.kind === 'discovery') {
      const body = parsed.version
        ? apiResourceList(parsed.group, parsed.version)
        : parsed.group
          ? apiGroup(parsed.group)
          : undefined;
      if (!body) throw errors.pathNotFound();
      sendJson(res, 200, body);
      return;
    }
    authorize(user, parsed.request);
    await serveResource(options, req, res, url, parsed.request, user);
  };

  const httpsServer = https.createServer(
    { key: options.certificates.key, cert: options.certificates.cert },
    (req, res) => {
      handle(req, res).catch((error: unknown) => sendError(res, error));
    },
  );
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      httpsServer.once('error', reject);
      httpsServer.listen(port, '127.0.0.1', () => {
        httpsServer.off('error', reject);
        resolve((httpsServer.address() as AddressInfo).port);
      });
    });
  const closeListener = (): Promise<void> =>
    new Promise((resolve) => {
      options.faults.dropWatches();
      httpsServer.close(() => resolve());
      httpsServer.closeAllConnections();
    });

  const port = await listen(options.port ?? 0);
  const server: ApiServer = {
    url: `https://127.0.0.1:${port}`,
    port,
    async restart() {
      await closeListener();
      await listen(port);
    },
    close: closeListener,
  };
  return server;
}
