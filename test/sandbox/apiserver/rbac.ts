/** One RBAC-lite rule: every listed verb on every listed resource, in the listed namespaces (all when absent). */
export interface Rule {
  verbs: string[];
  apiGroups: string[];
  /** Plural resource names, `pods/log` for a subresource, `*` for all. */
  resources: string[];
  /** Absent: every namespace and the cluster scope. */
  namespaces?: string[];
}

export interface User {
  name: string;
  groups: string[];
  rules: Rule[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
}

function has(list: string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

export function allows(rules: Rule[], a: Attributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return rules.some(
    (r) =>
      has(r.verbs, a.verb) &&
      has(r.apiGroups, a.group) &&
      (has(r.resources, resource) ||
        (a.subresource !== undefined && r.resources.includes(`*/${a.subresource}`))) &&
      (r.namespaces === undefined || (a.namespace !== undefined && has(r.namespaces, a.namespace))),
  );
}

/** Rules that apply in one namespace (for SelfSubjectRulesReview). */
export function rulesIn(rules: Rule[], namespace: string): Rule[] {
  return rules.filter((r) => r.namespaces === undefined || has(r.namespaces, namespace));
}

export const ADMIN_RULES: Rule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** What a canary tool needs in its namespace: the default rules of the `ci` service account. */
export function canaryRules(namespace: string): Rule[] {
  return [
    {
      verbs: ALL_VERBS,
      apiGroups: ['apps'],
      resources: ['deployments', 'deployments/scale', 'deployments/status', 'replicasets'],
      namespaces: [namespace],
    },
    {
      verbs: ALL_VERBS,
      apiGroups: [''],
      resources: ['pods', 'services', 'endpoints', 'configmaps', 'secrets'],
      namespaces: [namespace],
    },
    {
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['pods/log', 'events'],
      namespaces: [namespace],
    },
    {
      verbs: ['get', 'create'],
      apiGroups: [''],
      resources: ['pods/proxy', 'services/proxy'],
      namespaces: [namespace],
    },
    { verbs: ['create', 'patch'], apiGroups: [''], resources: ['events'], namespaces: [namespace] },
    { verbs: ALL_VERBS, apiGroups: ['coordination.k8s.io'], resources: ['leases'], namespaces: [namespace] },
    {
      verbs: ALL_VERBS,
      apiGroups: ['gateway.networking.k8s.io'],
      resources: ['httproutes'],
      namespaces: [namespace],
    },
    {
      verbs: ['get', 'list', 'watch'],
      apiGroups: ['gateway.networking.k8s.io'],
      resources: ['gateways'],
      namespaces: [namespace],
    },
    {
      verbs: ALL_VERBS,
      apiGroups: ['networking.istio.io'],
      resources: ['virtualservices', 'destinationrules'],
      namespaces: [namespace],
    },
    {
      verbs: ALL_VERBS,
      apiGroups: ['networking.k8s.io'],
      resources: ['ingresses'],
      namespaces: [namespace],
    },
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
  ];
}
