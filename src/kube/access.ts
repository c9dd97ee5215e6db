import type { AccessCheck, AccessResult } from './types.ts';

const verbs = (resource: string, group: string, list: string[], subresource?: string): AccessCheck[] =>
  list.map((verb) => ({ verb, resource, group, ...(subresource ? { subresource } : {}) }));

/**
 * Every permission the release engine uses in its namespace with the `replicas` router;
 * examples/rbac/role.yaml grants exactly these. Routers that edit routing objects add their own.
 */
export const REQUIRED_ACCESS: readonly AccessCheck[] = Object.freeze([
  ...verbs('deployments', 'apps', ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete']),
  ...verbs('replicasets', 'apps', ['list']),
  ...verbs('pods', '', ['list', 'get']),
  ...verbs('pods', '', ['get'], 'log'),
  ...verbs('events', '', ['list']),
  ...verbs('configmaps', '', ['get', 'list', 'create', 'patch', 'delete']),
  ...verbs('secrets', '', ['get', 'list', 'create', 'patch', 'delete']),
  ...verbs('services', '', ['get']),
  ...verbs('leases', 'coordination.k8s.io', ['get', 'create', 'update', 'delete']),
]);

/** `deployments.apps/status`-style name of a check, as `kubectl auth can-i` spells resources. */
export function accessName(check: AccessCheck): string {
  const resource = check.group ? `${check.resource}.${check.group}` : check.resource;
  return `${check.verb} ${resource}${check.subresource ? `/${check.subresource}` : ''}`;
}

export function selfSubjectAccessReview(check: AccessCheck, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        namespace,
        verb: check.verb,
        group: check.group ?? '',
        resource: check.resource,
        ...(check.subresource ? { subresource: check.subresource } : {}),
      },
    },
  };
}

export function accessResult(check: AccessCheck, review: unknown): AccessResult {
  const status = (review as { status?: { allowed?: unknown; reason?: unknown; evaluationError?: unknown } })
    .status;
  const reason = [status?.reason, status?.evaluationError]
    .filter((r) => typeof r === 'string' && r)
    .join('; ');
  return { ...check, allowed: status?.allowed === true, ...(reason ? { reason } : {}) };
}
