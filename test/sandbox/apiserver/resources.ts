/** The resource types the sandbox API server serves, as discovery describes them. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources: string[];
  /** 'create' only: reviews are answered, never stored. */
  createOnly?: boolean;
  /** Built-in types leave kind/apiVersion off list items, as the real server does; CRDs keep them. */
  builtin: boolean;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function type(
  group: string,
  version: string,
  kind: string,
  plural: string,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    subresources: [],
    builtin: true,
    ...extra,
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  type('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
  }),
  type('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log', 'proxy'],
  }),
  type('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status', 'proxy'],
  }),
  type('', 'v1', 'Endpoints', 'endpoints', { singular: 'endpoints', shortNames: ['ep'] }),
  type('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  type('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  type('', 'v1', 'Secret', 'secrets'),
  type('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  type('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  type('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  type('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  type('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', {
    namespaced: false,
    createOnly: true,
  }),
  type('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', {
    namespaced: false,
    createOnly: true,
  }),
  type('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], subresources: ['status'] }),
  type('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', { namespaced: false }),
  type('gateway.networking.k8s.io', 'v1', 'GatewayClass', 'gatewayclasses', {
    namespaced: false,
    builtin: false,
    shortNames: ['gc'],
    categories: ['gateway-api'],
    subresources: ['status'],
  }),
  type('gateway.networking.k8s.io', 'v1', 'Gateway', 'gateways', {
    builtin: false,
    shortNames: ['gtw'],
    categories: ['gateway-api'],
    subresources: ['status'],
  }),
  type('gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes', {
    builtin: false,
    categories: ['gateway-api'],
    subresources: ['status'],
  }),
  // Istio serves every version of its CRDs from one storage: the first listed is the preferred one.
  ...['v1', 'v1beta1'].flatMap((version) => [
    type('networking.istio.io', version, 'VirtualService', 'virtualservices', {
      builtin: false,
      shortNames: ['vs'],
      categories: ['istio-io', 'networking-istio-io'],
      subresources: ['status'],
    }),
    type('networking.istio.io', version, 'DestinationRule', 'destinationrules', {
      builtin: false,
      shortNames: ['dr'],
      categories: ['istio-io', 'networking-istio-io'],
      subresources: ['status'],
    }),
  ]),
  type('split.smi-spec.io', 'v1alpha2', 'TrafficSplit', 'trafficsplits', {
    builtin: false,
    shortNames: ['ts'],
  }),
];

export function verbsOf(type: ResourceType): string[] {
  return type.createOnly ? ['create'] : CRUD;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `deployments.apps`, `pods`: how Status messages name a resource. */
export function qualifiedName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function typeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

/** Two versions of one resource share one storage (as a CRD's served versions do). */
export function sameResource(a: ResourceType, b: ResourceType): boolean {
  return a.group === b.group && a.plural === b.plural;
}

/** The preferred (first listed) version of a resource. */
export function mustType(group: string, plural: string): ResourceType {
  const found = RESOURCE_TYPES.find((t) => t.group === group && t.plural === plural);
  if (!found) throw new Error(`unknown resource ${plural}.${group}`);
  return found;
}
