import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../node/types.ts';
import type { Faults } from './faults.ts';
import { jsonPatch, mergePatch } from './patch.ts';
import { forward, serveLogs } from './podio.ts';
import type { User } from './rbac.ts';
import type { ResourceRequest } from './requests.ts';
import type { DeleteOptions, ResourceApi } from './rest.ts';
import { apiVersionOf } from './resources.ts';
import { selfSubjectAccessReview, selfSubjectRulesReview } from './reviews.ts';
import { errors } from './status.ts';
import type { Store } from './store.ts';
import { toTable } from './tables.ts';
import { serveWatch } from './watch.ts';

/** Where the sandbox publishes the loopback port of a Service's, Gateway's or IngressClass's listener (the first port's). */
export const PORT_ANNOTATION = 'sandbox.canary-action.dev/port';
/** JSON object from every declared port of a Service or Gateway to the loopback port of its listener. */
export const PORTS_ANNOTATION = 'sandbox.canary-action.dev/ports';

export interface HandlerDeps {
  store: Store;
  api: ResourceApi;
  faults: Faults;
  logs(
    namespace: string,
    name: string,
    options: { container?: string; tailLines?: number; previous?: boolean },
  ): string;
  bookmarkIntervalMs?: number;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw errors.badRequest(`error decoding request body as JSON: ${(error as Error).message}`);
  }
}

/** The field manager of a write: `fieldManager=…`, else the user agent up to its first `/` (as the real server does). */
function managerOf(req: IncomingMessage, query: URLSearchParams): string {
  return query.get('fieldManager') ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0]!;
}

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

function deleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const fromBody = (body ?? {}) as DeleteOptions & { dryRun?: unknown };
  const grace = query.get('gracePeriodSeconds');
  const policy = query.get('propagationPolicy') ?? fromBody.propagationPolicy;
  if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw errors.badRequest(
      `propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  return {
    ...(policy ? { propagationPolicy: policy as DeleteOptions['propagationPolicy'] } : {}),
    ...(grace !== null
      ? { gracePeriodSeconds: Number(grace) }
      : fromBody.gracePeriodSeconds !== undefined
        ? { gracePeriodSeconds: fromBody.gracePeriodSeconds }
        : {}),
    ...(fromBody.preconditions ? { preconditions: fromBody.preconditions } : {}),
    dryRun:
      query.get('dryRun') === 'All' || (Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes('All')),
  };
}

function listBody(r: ResourceRequest, items: KubeObject[], resourceVersion: string): Record<string, unknown> {
  return {
    kind: `${r.type.kind}List`,
    apiVersion: apiVersionOf(r.type),
    metadata: { resourceVersion },
    items: r.type.builtin ? items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest) : items,
  };
}

function proxyTarget(deps: HandlerDeps, r: ResourceRequest): { host: string; port: number } {
  const [name = '', portText] = (r.name ?? '').replace(/^https?:/, '').split(':');
  const object = deps.api.get(r.type, r.namespace, name);
  if (r.type.kind === 'Service') {
    const port = Number(object.metadata.annotations?.[PORT_ANNOTATION]);
    if (!port) throw errors.unavailable(`no endpoints available for service "${name}"`);
    return { host: '127.0.0.1', port };
  }
  const podIP = (object.status as { podIP?: string } | undefined)?.podIP;
  const containers =
    (object.spec as { containers?: Array<{ ports?: Array<{ containerPort: number; name?: string }> }> })
      .containers ?? [];
  const ports = containers.flatMap((c) => c.ports ?? []);
  const port = portText
    ? Number(portText) || ports.find((p) => p.name === portText)?.containerPort
    : ports[0]?.containerPort;
  if (!podIP || !port) throw errors.unavailable(`pod "${name}" has no IP or port to proxy to yet`);
  return { host: podIP, port };
}

/** Serves one authorized request on a resource, its collection or a subresource. */
export async function serveResource(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  r: ResourceRequest,
  user: User,
): Promise<void> {
  const query = url.searchParams;
  const { type, namespace, name, subresource } = r;
  const write = {
    manager: managerOf(req, query),
    dryRun: query.get('dryRun') === 'All',
    ...(query.get('fieldValidation') ? { fieldValidation: query.get('fieldValidation')! } : {}),
  };

  if (subresource === 'proxy') {
    const target = proxyTarget(deps, r);
    forward(req, res, target.host, target.port, r.proxyPath ?? '/');
    return;
  }
  if (subresource === 'log') {
    const pod = deps.api.get(type, namespace, name!);
    serveLogs(pod, query, res, deps.logs, () => deps.store.get(type, namespace, name!) !== undefined);
    return;
  }
  const body = req.method === 'GET' ? '' : await readBody(req);

  if (type.createOnly) {
    if (r.verb !== 'create') throw errors.methodNotAllowed(r.verb, type);
    const review =
      type.kind === 'SelfSubjectAccessReview'
        ? selfSubjectAccessReview(user, parseJson(body))
        : selfSubjectRulesReview(user, parseJson(body));
    send(res, 201, review);
    return;
  }

  if (subresource === 'scale') {
    if (r.verb === 'get') return send(res, 200, deps.api.scaleOf(type, deps.api.get(type, namespace, name!)));
    let scale = parseJson(body);
    if (r.verb === 'patch') {
      const current = deps.api.scaleOf(type, deps.api.get(type, namespace, name!));
      scale = (req.headers['content-type'] ?? '').includes('json-patch')
        ? jsonPatch(current, scale)
        : mergePatch(current, scale);
    }
    return send(res, 200, deps.api.updateScale(type, namespace, name!, scale, write));
  }

  switch (r.verb) {
    case 'get': {
      const object = deps.api.get(type, namespace, name!);
      return send(
        res,
        200,
        wantsTable(req)
          ? toTable(type, [object], object.metadata.resourceVersion as string, query.get('includeObject'))
          : object,
      );
    }
    case 'list': {
      const items = deps.api.list(type, namespace, query.get('labelSelector'), query.get('fieldSelector'));
      const rv = String(deps.store.resourceVersion);
      return send(
        res,
        200,
        wantsTable(req) ? toTable(type, items, rv, query.get('includeObject')) : listBody(r, items, rv),
      );
    }
    case 'watch':
      return serveWatch(deps.store, deps.faults, res, {
        type,
        ...(namespace !== undefined ? { namespace } : {}),
        query,
        bookmarkIntervalMs: deps.bookmarkIntervalMs ?? 10_000,
      });
    case 'create':
      return send(res, 201, deps.api.create(type, namespace, parseJson(body), write));
    case 'update':
      return send(
        res,
        200,
        deps.api.update(type, namespace, name!, parseJson(body), {
          ...write,
          ...(subresource ? { subresource } : {}),
        }),
      );
    case 'patch': {
      const result = deps.api.patch(type, namespace, name!, req.headers['content-type'] ?? '', body, {
        ...write,
        ...(query.has('fieldManager')
          ? {}
          : req.headers['content-type']?.includes('apply-patch')
            ? { manager: '__default__' }
            : {}),
        ...(subresource ? { subresource } : {}),
        force: query.get('force') === 'true',
      });
      return send(res, result.created ? 201 : 200, result.object);
    }
    case 'delete': {
      const { object, gone } = deps.api.delete(type, namespace, name!, deleteOptions(parseJson(body), query));
      if (!gone) return send(res, 200, object);
      return send(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name: object.metadata.name,
          group: type.group,
          kind: type.plural,
          uid: object.metadata.uid,
        },
      });
    }
    case 'deletecollection': {
      const options = deleteOptions(parseJson(body), query);
      const items = deps.api.list(type, namespace, query.get('labelSelector'), query.get('fieldSelector'));
      for (const item of items) deps.api.delete(type, item.metadata.namespace, item.metadata.name, options);
      return send(res, 200, listBody(r, items, String(deps.store.resourceVersion)));
    }
    default:
      throw errors.methodNotAllowed(r.verb, type);
  }
}
