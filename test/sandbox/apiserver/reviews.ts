import type { User } from './rbac.ts';
import { allows, rulesIn } from './rbac.ts';
import { isObject } from './patch.ts';
import { errors } from './status.ts';

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];

type Obj = Record<string, unknown>;

/** POST selfsubjectaccessreviews: may the caller do this? (what `kubectl auth can-i` asks) */
export function selfSubjectAccessReview(user: User, body: unknown): Obj {
  if (!isObject(body) || !isObject(body.spec))
    throw errors.badRequest(
      'SelfSubjectAccessReview needs a spec: expected spec.resourceAttributes or spec.nonResourceAttributes',
    );
  const spec = body.spec;
  let allowed = false;
  if (isObject(spec.resourceAttributes)) {
    const a = spec.resourceAttributes as Record<string, string | undefined>;
    allowed = allows(user.rules, {
      verb: a.verb ?? '',
      group: a.group ?? '',
      resource: a.resource ?? '',
      ...(a.subresource ? { subresource: a.subresource } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
    });
  } else if (isObject(spec.nonResourceAttributes)) {
    const path = String(spec.nonResourceAttributes.path ?? '');
    allowed =
      spec.nonResourceAttributes.verb === 'get' &&
      DISCOVERY_URLS.some((u) => (u.endsWith('*') ? path.startsWith(u.slice(0, -1)) : path === u));
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: allowed
      ? { allowed: true, reason: `sandbox RBAC: allowed for User "${user.name}"` }
      : { allowed: false },
  };
}

/** POST selfsubjectrulesreviews: every rule the caller has in a namespace. */
export function selfSubjectRulesReview(user: User, body: unknown): Obj {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: {
      resourceRules: rulesIn(user.rules, namespace).map((r) => ({
        verbs: r.verbs,
        apiGroups: r.apiGroups,
        resources: r.resources,
      })),
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }],
      incomplete: false,
    },
  };
}
