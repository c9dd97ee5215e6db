import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, apiVersionOf } from './resources.ts';

/**
 * A minimal OpenAPI v3 discovery: one document per group/version whose PATCH operations carry
 * `x-kubernetes-group-version-kind` and the `fieldValidation` query parameter. That is all kubectl
 * reads to decide that the server validates fields itself (it then skips client-side schema
 * validation, which would need the full schemas). The sandbox accepts `fieldValidation` but does not
 * reject unknown fields.
 */
function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const t of RESOURCE_TYPES)
    seen.set(gvPath(t.group, t.version), { group: t.group, version: t.version });
  return [...seen.values()];
}

export function openApiDocument(group: string, version: string): Record<string, unknown> | undefined {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version && !t.createOnly);
  if (types.length === 0 && !RESOURCE_TYPES.some((t) => t.group === group && t.version === version))
    return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const base = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        parameters: [
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (canary-action sandbox)', version: 'v1.31.0' },
    paths,
    components: {
      schemas: Object.fromEntries(
        types.map((t) => [
          `${apiVersionOf(t)}.${t.kind}`,
          {
            type: 'object',
            'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: t.kind }],
          },
        ]),
      ),
    },
  };
}

export function openApiRoot(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of groupVersions()) {
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiDocument(group, version)))
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
    paths[gvPath(group, version)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}`,
    };
  }
  return { paths };
}

/** Serves `/openapi/v3` and `/openapi/v3/<gv>`; undefined for anything else (404). */
export function openApi(pathname: string): Record<string, unknown> | undefined {
  const p = pathname.replace(/\/$/, '');
  if (p === '/openapi/v3') return openApiRoot();
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(p);
  if (!m) return undefined;
  return m[1] ? openApiDocument('', m[1]) : openApiDocument(m[2]!, m[3]!);
}
