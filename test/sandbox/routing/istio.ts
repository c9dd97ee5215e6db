/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
/**
 * Istio's mesh routing for traffic to a Service, as the client's sidecar applies it: the
 * VirtualService whose `hosts` name the Service (and that applies to the `mesh` gateway) routes every
 * request through its `http` routes in order (first match wins), to destinations resolved to the
 * ready endpoints of their Service, narrowed to a DestinationRule subset's labels, split by weight.
 */
import type { Cluster, Obj } from '../controllers/cluster.ts';
import { T } from '../controllers/cluster.ts';
import type { RequestMatch, Route, RouteTable, StringMatch, WeightedBackend } from './table.ts';
import { byAge, findServicePort, getService, readyEndpoints, strip } from './services.ts';

const SUFFIX = '.svc.cluster.local';

/** A VirtualService or DestinationRule host as Istio reads it: short names are relative to the object's namespace. */
export function fqdn(host: string, namespace: string): string {
  return host.includes('.') ? host.toLowerCase() : `${host.toLowerCase()}.${namespace}${SUFFIX}`;
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.startsWith('*.') && name.endsWith(pattern.slice(1));
}

/** The Service an FQDN names (`<name>.<namespace>.svc.cluster.local`), if any. */
function serviceOf(cluster: Cluster, name: string): Obj | undefined {
  if (!name.endsWith(SUFFIX)) return undefined;
  const [service, namespace, ...rest] = name.slice(0, -SUFFIX.length).split('.');
  if (!service || !namespace || rest.length > 0) return undefined;
  return getService(cluster, namespace, service);
}

function stringMatch(m: any, ignoreCase = false): StringMatch | undefined {
  if (!m || typeof m !== 'object') return undefined;
  if (typeof m.exact === 'string') return { type: 'Exact', value: m.exact, ignoreCase };
  if (typeof m.prefix === 'string') return { type: 'Prefix', value: m.prefix, ignoreCase };
  if (typeof m.regex === 'string') return { type: 'RegularExpression', value: m.regex, ignoreCase };
  return undefined;
}

/**
 * One HTTPMatchRequest; undefined when it can never match traffic from the sandbox's client (it asks
 * for source labels or namespaces, another port, or gateways other than `mesh`).
 */
function toMatch(m: any, port: number): RequestMatch | undefined {
  if (m.port !== undefined && m.port !== port) return undefined;
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) return undefined;
  if (m.sourceNamespace) return undefined;
  if (Array.isArray(m.gateways) && m.gateways.length > 0 && !m.gateways.includes('mesh')) return undefined;
  const out: RequestMatch = {};
  const uri = stringMatch(m.uri, Boolean(m.ignoreUriCase));
  if (uri) {
    out.path = {
      type: uri.type === 'Exact' ? 'Exact' : uri.type === 'Prefix' ? 'Prefix' : 'RegularExpression',
      value: uri.value,
      ignoreCase: Boolean(m.ignoreUriCase),
    };
  }
  const headers: NonNullable<RequestMatch['headers']> = [];
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    const match = stringMatch(value);
    headers.push({ name: name.toLowerCase(), ...(match ? { match } : {}) });
  }
  for (const [name, value] of Object.entries(m.withoutHeaders ?? {})) {
    const match = stringMatch(value);
    headers.push({ name: name.toLowerCase(), ...(match ? { match } : {}), invert: true });
  }
  const authority = stringMatch(m.authority);
  if (authority) headers.push({ name: 'host', match: authority });
  const method = stringMatch(m.method);
  if (method) out.method = method;
  const scheme = stringMatch(m.scheme);
  if (scheme && !(scheme.type === 'Exact' ? scheme.value === 'http' : 'http'.startsWith(scheme.value)))
    return undefined;
  if (headers.length) out.headers = headers;
  const params = Object.entries(m.queryParams ?? {}).flatMap(([name, value]) => {
    const match = stringMatch(value);
    return match ? [{ name, match }] : [];
  });
  if (params.length) out.queryParams = params;
  return out;
}

/** The DestinationRule for a Service: one in the Service's namespace, else in the root namespace (istio-system). */
function destinationRuleFor(cluster: Cluster, service: Obj): Obj | undefined {
  const name = `${service.metadata.name}.${service.metadata.namespace}${SUFFIX}`;
  const rules = cluster
    .list(T.destinationrules)
    .filter(
      (dr) =>
        !dr.metadata.deletionTimestamp &&
        typeof dr.spec?.host === 'string' &&
        hostMatches(fqdn(dr.spec.host, dr.metadata.namespace as string), name),
    )
    .sort(byAge);
  return (
    rules.find((dr) => dr.metadata.namespace === service.metadata.namespace) ??
    rules.find((dr) => dr.metadata.namespace === 'istio-system')
  );
}

/** Every destination of a VirtualService: its http, tcp and tls routes' and its http mirrors'. */
function destinationsOf(vs: Obj): any[] {
  const spec = vs.spec ?? {};
  const routes = [...(spec.http ?? []), ...(spec.tcp ?? []), ...(spec.tls ?? [])] as any[];
  return [
    ...routes.flatMap((r) => (r.route ?? []).map((d: any) => d.destination)),
    ...routes.flatMap((r) => [r.mirror, ...(r.mirrors ?? []).map((m: any) => m.destination)]),
  ].filter((d) => d && typeof d.host === 'string');
}

/**
 * What Istio's analysis reports as IST0101 ReferencedResourceNotFound (level ERROR) on a VirtualService
 * (analyzers `virtualservice.DestinationHostAnalyzer` and `virtualservice.DestinationRuleAnalyzer`): a
 * destination host that no Service is (the sandbox has no ServiceEntries), and a subset that no
 * DestinationRule for its host defines. Wildcard hosts are left alone.
 */
export function unresolvedReferences(cluster: Cluster, vs: Obj): string[] {
  return destinationsOf(vs).flatMap((dest): string[] => {
    if (dest.host.startsWith('*')) return [];
    const service = serviceOf(cluster, fqdn(dest.host, vs.metadata.namespace as string));
    if (!service) return [`host ${dest.host}`];
    if (!dest.subset) return [];
    const rule = destinationRuleFor(cluster, service);
    const defined = (rule?.spec?.subsets ?? []).some((s: any) => s.name === dest.subset);
    return defined ? [] : [`host+subset in destinationrule ${dest.host}+${dest.subset}`];
  });
}

function destination(
  cluster: Cluster,
  vs: Obj,
  route: any,
  listenerPort: number,
  weight: number,
): WeightedBackend {
  const dest = route.destination ?? {};
  const name = fqdn(String(dest.host ?? ''), vs.metadata.namespace as string);
  const service = serviceOf(cluster, name);
  // Envoy answers 503 for a cluster it does not know (response flag NC).
  if (!service) return { weight, status: 503, reason: `no Service for host ${name}` };
  const ports: any[] = service.spec?.ports ?? [];
  const port =
    dest.port?.number !== undefined
      ? findServicePort(service, dest.port.number)
      : ports.length === 1
        ? ports[0]
        : (findServicePort(service, listenerPort) ?? ports[0]);
  if (!port) return { weight, status: 503, reason: `Service ${name} has no port ${dest.port?.number}` };
  let endpoints = readyEndpoints(cluster, service, port);
  let clusterName = `${service.metadata.namespace}/${service.metadata.name}:${port.port}`;
  if (dest.subset) {
    const rule = destinationRuleFor(cluster, service);
    const subset = (rule?.spec?.subsets ?? []).find((s: any) => s.name === dest.subset);
    if (!subset) return { weight, status: 503, reason: `no subset ${dest.subset} for ${name}` };
    const labels: Record<string, string> = subset.labels ?? {};
    endpoints = endpoints.filter((e) => Object.entries(labels).every(([k, v]) => e.labels[k] === v));
    clusterName += ` subset ${dest.subset}`;
  }
  return { weight, cluster: { name: clusterName, endpoints: strip(endpoints) } };
}

function routesOf(cluster: Cluster, vs: Obj, port: number): Route[] {
  const source = `VirtualService ${vs.metadata.namespace}/${vs.metadata.name}`;
  return ((vs.spec?.http ?? []) as any[]).flatMap((http, index): Route[] => {
    const label = `${source} http[${index}]${http.name ? ` (${http.name})` : ''}`;
    let matches: RequestMatch[] = [];
    if (Array.isArray(http.match) && http.match.length > 0) {
      matches = http.match.flatMap((m: any) => {
        const match = toMatch(m, port);
        return match ? [match] : [];
      });
      if (matches.length === 0) return [];
    }
    if (http.directResponse) {
      const body = http.directResponse.body?.string ?? '';
      return [
        {
          source: label,
          matches,
          action: { kind: 'respond', status: http.directResponse.status ?? 200, reason: body },
        },
      ];
    }
    const destinations: any[] = http.route ?? [];
    if (destinations.length === 0) return [];
    const backends = destinations.map((d) =>
      destination(
        cluster,
        vs,
        d,
        port,
        destinations.length === 1 ? (d.weight ?? 100) || 100 : (d.weight ?? 0),
      ),
    );
    return [{ source: label, matches, action: { kind: 'weighted', backends } }];
  });
}

/**
 * Routing tables of every Service port a VirtualService routes for the mesh, by Service
 * namespace/name then port. When several VirtualServices name one host (Istio reports that as
 * IST0109 and does not merge them for sidecars), the oldest is used.
 */
export function evaluateIstio(cluster: Cluster): Map<string, Map<number, RouteTable>> {
  const chosen = new Map<string, Obj>();
  const services = new Map<string, Obj>();
  for (const vs of cluster.list(T.virtualservices).sort(byAge)) {
    if (vs.metadata.deletionTimestamp) continue;
    const gateways: string[] = vs.spec?.gateways ?? [];
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    for (const host of (vs.spec?.hosts ?? []) as string[]) {
      const pattern = fqdn(String(host), vs.metadata.namespace as string);
      for (const service of cluster.list(T.services)) {
        const name = `${service.metadata.name}.${service.metadata.namespace}${SUFFIX}`;
        const id = `${service.metadata.namespace}/${service.metadata.name}`;
        if (!hostMatches(pattern, name) || chosen.has(id)) continue;
        chosen.set(id, vs);
        services.set(id, service);
      }
    }
  }
  const tables = new Map<string, Map<number, RouteTable>>();
  for (const [id, vs] of chosen) {
    const byPort = new Map<number, RouteTable>();
    for (const p of services.get(id)!.spec?.ports ?? [])
      byPort.set(p.port, {
        proxy: 'envoy',
        virtualHosts: [{ hostnames: ['*'], routes: routesOf(cluster, vs, p.port) }],
      });
    tables.set(id, byPort);
  }
  return tables;
}
