import type { KubeObject } from '../node/types.ts';
import type { ResourceType } from './resources.ts';
import { selectorString } from './selectors.ts';
import type { LabelSelector } from './selectors.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Column {
  name: string;
  type: string;
  priority: number;
  cell(o: Obj): string | number;
}

/** HumanDuration from k8s.io/apimachinery: how `kubectl get` prints ages. */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  return `${Math.floor(hours / 24)}d`;
}

function age(o: Obj): string {
  const created = Date.parse(o.metadata?.creationTimestamp ?? '');
  return Number.isNaN(created) ? '<unknown>' : humanDuration(Math.floor((Date.now() - created) / 1000));
}

const name: Column = { name: 'Name', type: 'string', priority: 0, cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', type: 'string', priority: 0, cell: age };
const containers = (o: Obj): Obj[] => o.spec?.template?.spec?.containers ?? [];
const workloadWide: Column[] = [
  {
    name: 'Containers',
    type: 'string',
    priority: 1,
    cell: (o) =>
      containers(o)
        .map((c) => c.name)
        .join(','),
  },
  {
    name: 'Images',
    type: 'string',
    priority: 1,
    cell: (o) =>
      containers(o)
        .map((c) => c.image)
        .join(','),
  },
  {
    name: 'Selector',
    type: 'string',
    priority: 1,
    cell: (o) => selectorString(o.spec?.selector as LabelSelector) || '<none>',
  },
];

function podStatus(o: Obj): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  let reason: string = o.status?.reason ?? o.status?.phase ?? 'Pending';
  for (const c of o.status?.containerStatuses ?? []) {
    const waiting = c.state?.waiting?.reason;
    const terminated = c.state?.terminated;
    if (waiting) reason = waiting;
    else if (terminated)
      reason =
        terminated.reason ??
        (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`);
  }
  return reason;
}

function podRestarts(o: Obj): string {
  const statuses: Obj[] = o.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const last = statuses
    .map((c) => Date.parse(c.lastState?.terminated?.finishedAt ?? ''))
    .filter((t) => !Number.isNaN(t))
    .sort()
    .pop();
  return last && restarts > 0
    ? `${restarts} (${humanDuration(Math.floor((Date.now() - last) / 1000))} ago)`
    : String(restarts);
}

/** A condition's status, as a `.status.conditions[?(@.type=="…")].status` printer column shows it. */
function conditionStatus(o: Obj, type: string): string {
  return (o.status?.conditions ?? []).find((c: Obj) => c.type === type)?.status ?? '';
}

/** An array-valued printer column: kubectl shows the JSON of the list. */
function jsonList(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? JSON.stringify(value) : '';
}

const TABLES: Record<string, Column[]> = {
  '/pods': [
    name,
    {
      name: 'Ready',
      type: 'string',
      priority: 0,
      cell: (o) => {
        const statuses: Obj[] = o.status?.containerStatuses ?? [];
        return `${statuses.filter((c) => c.ready).length}/${(o.spec?.containers ?? []).length}`;
      },
    },
    { name: 'Status', type: 'string', priority: 0, cell: podStatus },
    { name: 'Restarts', type: 'string', priority: 0, cell: podRestarts },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: () => '<none>' },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: () => '<none>' },
  ],
  'apps/deployments': [
    name,
    {
      name: 'Ready',
      type: 'string',
      priority: 0,
      cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    },
    { name: 'Up-to-date', type: 'integer', priority: 0, cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', priority: 0, cell: (o) => o.status?.availableReplicas ?? 0 },
    ageColumn,
    ...workloadWide,
  ],
  'apps/replicasets': [
    name,
    { name: 'Desired', type: 'integer', priority: 0, cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', priority: 0, cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', priority: 0, cell: (o) => o.status?.readyReplicas ?? 0 },
    ageColumn,
    ...workloadWide,
  ],
  '/services': [
    name,
    { name: 'Type', type: 'string', priority: 0, cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', priority: 0, cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', priority: 0, cell: () => '<none>' },
    {
      name: 'Port(s)',
      type: 'string',
      priority: 0,
      cell: (o) =>
        (o.spec?.ports ?? []).map((p: Obj) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>',
    },
    ageColumn,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) =>
        Object.entries(o.spec?.selector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
  ],
  '/endpoints': [
    name,
    {
      name: 'Endpoints',
      type: 'string',
      priority: 0,
      cell: (o) =>
        (o.subsets ?? [])
          .flatMap((s: Obj) =>
            (s.addresses ?? []).flatMap((a: Obj) => (s.ports ?? []).map((p: Obj) => `${a.ip}:${p.port}`)),
          )
          .join(',') || '<none>',
    },
    ageColumn,
  ],
  'networking.k8s.io/ingresses': [
    name,
    { name: 'Class', type: 'string', priority: 0, cell: (o) => o.spec?.ingressClassName ?? '<none>' },
    {
      name: 'Hosts',
      type: 'string',
      priority: 0,
      cell: (o) => (o.spec?.rules ?? []).map((r: Obj) => r.host ?? '*').join(',') || '*',
    },
    {
      name: 'Address',
      type: 'string',
      priority: 0,
      cell: (o) =>
        (o.status?.loadBalancer?.ingress ?? []).map((i: Obj) => i.ip ?? i.hostname).join(',') || '',
    },
    {
      name: 'Ports',
      type: 'string',
      priority: 0,
      cell: (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80'),
    },
    ageColumn,
  ],
  'networking.k8s.io/ingressclasses': [
    name,
    { name: 'Controller', type: 'string', priority: 0, cell: (o) => o.spec?.controller ?? '' },
    {
      name: 'Parameters',
      type: 'string',
      priority: 0,
      cell: (o) => (o.spec?.parameters ? `${o.spec.parameters.kind}/${o.spec.parameters.name}` : '<none>'),
    },
    ageColumn,
  ],
  // Custom resources: the additionalPrinterColumns of their CRDs.
  'gateway.networking.k8s.io/gatewayclasses': [
    name,
    { name: 'Controller', type: 'string', priority: 0, cell: (o) => o.spec?.controllerName ?? '' },
    { name: 'Accepted', type: 'string', priority: 0, cell: (o) => conditionStatus(o, 'Accepted') },
    ageColumn,
    { name: 'Description', type: 'string', priority: 1, cell: (o) => o.spec?.description ?? '' },
  ],
  'gateway.networking.k8s.io/gateways': [
    name,
    { name: 'Class', type: 'string', priority: 0, cell: (o) => o.spec?.gatewayClassName ?? '' },
    {
      name: 'Address',
      type: 'string',
      priority: 0,
      cell: (o) => (o.status?.addresses ?? []).map((a: Obj) => a.value).join(','),
    },
    { name: 'Programmed', type: 'string', priority: 0, cell: (o) => conditionStatus(o, 'Programmed') },
    ageColumn,
  ],
  'gateway.networking.k8s.io/httproutes': [
    name,
    { name: 'Hostnames', type: 'string', priority: 0, cell: (o) => jsonList(o.spec?.hostnames) },
    ageColumn,
  ],
  'networking.istio.io/virtualservices': [
    name,
    { name: 'Gateways', type: 'string', priority: 0, cell: (o) => jsonList(o.spec?.gateways) },
    { name: 'Hosts', type: 'string', priority: 0, cell: (o) => jsonList(o.spec?.hosts) },
    ageColumn,
  ],
  'networking.istio.io/destinationrules': [
    name,
    { name: 'Host', type: 'string', priority: 0, cell: (o) => o.spec?.host ?? '' },
    ageColumn,
  ],
  '/namespaces': [
    name,
    { name: 'Status', type: 'string', priority: 0, cell: (o) => o.status?.phase ?? 'Active' },
    ageColumn,
  ],
};

/** A meta.k8s.io/v1 Table, the server-side printing `kubectl get` asks for. */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  includeObject: string | null,
): Record<string, unknown> {
  const columns = TABLES[`${type.group}/${type.plural}`] ?? [name, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c, i) => ({
      name: c.name,
      type: c.type,
      format: i === 0 ? 'name' : '',
      description: c.name,
      priority: c.priority,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o as Obj)),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? null
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
