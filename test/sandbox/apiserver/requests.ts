import type { ResourceType } from './resources.ts';
import { findType } from './resources.ts';

export interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** What follows `/proxy` in a proxy request, with the query string. */
  proxyPath?: string;
  verb: string;
}

export type ParsedPath =
  | { kind: 'resource'; request: ResourceRequest }
  | { kind: 'discovery'; group: string; version?: string }
  | { kind: 'unknown' };

function verbFor(method: string, hasName: boolean, watch: boolean, subresource?: string): string {
  if (subresource === 'proxy')
    return (
      (
        { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<
          string,
          string
        >
      )[method] ?? 'get'
    );
  switch (method) {
    case 'GET':
    case 'HEAD':
      return hasName ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Splits `/api/v1/namespaces/demo/pods/web-1/log` into resource, namespace, name, subresource and verb. */
export function parsePath(method: string, url: URL): ParsedPath {
  const parts = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 2) {
    group = parts[1]!;
    version = parts[2];
    rest = parts.slice(3);
  } else return { kind: 'unknown' };
  if (!version || rest.length === 0) return { kind: 'discovery', group, ...(version ? { version } : {}) };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  const type = findType(group, version, plural!);
  if (!type || (type.namespaced && namespace === undefined && name !== undefined)) return { kind: 'unknown' };
  if (subresource && !type.subresources.includes(subresource)) return { kind: 'unknown' };
  if (subresource !== 'proxy' && rest.length > 3) return { kind: 'unknown' };
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  const request: ResourceRequest = {
    type,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    verb: verbFor(method, name !== undefined, watch, subresource),
  };
  if (subresource === 'proxy') request.proxyPath = `/${rest.slice(3).join('/')}${url.search}`;
  return { kind: 'resource', request };
}
