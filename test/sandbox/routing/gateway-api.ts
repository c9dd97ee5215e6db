/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
/**
 * The sandbox's Gateway API implementation, as a pure function of the cluster's objects: which
 * GatewayClasses, Gateways and HTTPRoute parents it owns, the status it reports for them, and the
 * routing table of every Gateway listener port and of every Service that GAMMA routes attach to.
 *
 * It plays one controller (`GATEWAY_CONTROLLER`): GatewayClasses naming it, the Gateways of those
 * classes, and, as the cluster's mesh, Services in the route's own namespace (GAMMA producer routes).
 */
import type { Cluster, Obj } from '../controllers/cluster.ts';
import { T } from '../controllers/cluster.ts';
import { matchesRequirements, selectorRequirements } from '../apiserver/selectors.ts';
import type { Action, HeaderChanges, RequestMatch, Route, RouteTable, WeightedBackend } from './table.ts';
import { validRegex } from './table.ts';
import { byAge, findServicePort, getService, readyEndpoints, strip } from './services.ts';

export const GATEWAY_CONTROLLER = 'sandbox.canary-action.dev/gateway-controller';
const GROUP = 'gateway.networking.k8s.io';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
}

export interface ListenerStatus {
  name: string;
  supportedKinds: Array<{ group: string; kind: string }>;
  attachedRoutes: number;
  conditions: Condition[];
}

export interface GatewayApiModel {
  /** GatewayClasses of this controller, by name. */
  classes: Map<string, Condition[]>;
  /** Gateways of those classes, by namespace/name. */
  gateways: Map<string, { conditions: Condition[]; listeners: ListenerStatus[] }>;
  /** Every HTTPRoute, by namespace/name: this controller's entries of status.parents (maybe none). */
  routeParents: Map<string, Array<{ parentRef: any; conditions: Condition[] }>>;
  /** Routing tables of Gateway listeners, by Gateway namespace/name, then listener port. */
  gatewayTables: Map<string, Map<number, RouteTable>>;
  /** Routing tables of Services with GAMMA routes, by namespace/name, then service port. */
  meshTables: Map<string, Map<number, RouteTable>>;
}

const key = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;

function condition(
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  generation: number | undefined,
): Condition {
  return {
    type,
    status: ok ? 'True' : 'False',
    reason,
    message,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}

// ---------- hostnames ----------

function wildcardCovers(wildcard: string, name: string): boolean {
  return wildcard.startsWith('*.') && name.endsWith(wildcard.slice(1)) && name !== wildcard.slice(2);
}

/**
 * The hostnames a route serves on a listener (the Gateway API's intersection rules): undefined when a
 * listener hostname and the route's hostnames do not intersect; `*` for any host.
 */
export function intersectHostnames(listener: string | undefined, route: string[]): string[] | undefined {
  if (route.length === 0) return [listener ?? '*'];
  if (!listener) return route;
  const out = new Set<string>();
  for (const h of route) {
    if (h === listener || wildcardCovers(listener, h)) out.add(h);
    else if (wildcardCovers(h, listener)) out.add(listener);
  }
  return out.size > 0 ? [...out] : undefined;
}

// ---------- matches and precedence ----------

function toMatch(m: any): RequestMatch {
  const out: RequestMatch = {};
  if (m.path) out.path = { type: m.path.type ?? 'PathPrefix', value: m.path.value ?? '/' };
  if (m.method) out.method = { type: 'Exact', value: m.method };
  const headers = new Map<string, any>();
  for (const h of m.headers ?? [])
    if (!headers.has(String(h.name).toLowerCase())) headers.set(String(h.name).toLowerCase(), h);
  if (headers.size)
    out.headers = [...headers.values()].map((h) => ({
      name: String(h.name).toLowerCase(),
      match: { type: h.type === 'RegularExpression' ? 'RegularExpression' : 'Exact', value: h.value },
    }));
  const params = new Map<string, any>();
  for (const q of m.queryParams ?? []) if (!params.has(q.name)) params.set(q.name, q);
  if (params.size)
    out.queryParams = [...params.values()].map((q) => ({
      name: q.name,
      match: { type: q.type === 'RegularExpression' ? 'RegularExpression' : 'Exact', value: q.value },
    }));
  return out;
}

interface Entry {
  route: Obj;
  rule: number;
  match: number;
  request: RequestMatch;
  action: Action;
}

/** Path kinds in precedence order: Exact, then RegularExpression (implementation-specific), then PathPrefix. */
const PATH_RANK: Record<string, number> = { Exact: 0, RegularExpression: 1, PathPrefix: 2 };

/** The Gateway API's match precedence (HTTPRouteRule.matches), then route age, name, rule and match order. */
function comparePrecedence(a: Entry, b: Entry): number {
  const pa = a.request.path;
  const pb = b.request.path;
  const rank = (p: RequestMatch['path']) => PATH_RANK[p?.type ?? 'PathPrefix'] ?? 2;
  const length = (p: RequestMatch['path']) =>
    p?.type === 'PathPrefix' ? p.value.replace(/\/+$/, '').length : 0;
  return (
    rank(pa) - rank(pb) ||
    length(pb) - length(pa) ||
    Number(Boolean(b.request.method)) - Number(Boolean(a.request.method)) ||
    (b.request.headers?.length ?? 0) - (a.request.headers?.length ?? 0) ||
    (b.request.queryParams?.length ?? 0) - (a.request.queryParams?.length ?? 0) ||
    byAge(a.route, b.route) ||
    a.rule - b.rule ||
    a.match - b.match
  );
}

function toRoutes(entries: Entry[]): Route[] {
  return [...entries].sort(comparePrecedence).map((e) => {
    const name = e.route.spec.rules?.[e.rule]?.name;
    return {
      source: `HTTPRoute ${key(e.route)} rule ${e.rule}${name ? ` (${name})` : ''}`,
      matches: [e.request],
      action: e.action,
    };
  });
}

// ---------- routes ----------

const SUPPORTED_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier']);

function headerChanges(filter: any): HeaderChanges {
  const out: HeaderChanges = {};
  if (filter?.set?.length) out.set = Object.fromEntries(filter.set.map((h: any) => [h.name, h.value]));
  if (filter?.add?.length) out.add = Object.fromEntries(filter.add.map((h: any) => [h.name, h.value]));
  if (filter?.remove?.length) out.remove = [...filter.remove];
  return out;
}

interface RouteAnalysis {
  resolvedRefs: { ok: boolean; reason: string; message: string };
  unsupported?: string;
  /** One entry per rule and match, with its action. */
  entries: Entry[];
}

function analyseRoute(cluster: Cluster, route: Obj): RouteAnalysis {
  const namespace = route.metadata.namespace as string;
  const problems: Array<{ reason: string; message: string }> = [];
  let unsupported: string | undefined;
  const entries: Entry[] = [];
  (route.spec?.rules ?? []).forEach((rule: any, ruleIndex: number) => {
    let requestHeaders: HeaderChanges | undefined;
    let responseHeaders: HeaderChanges | undefined;
    for (const filter of rule.filters ?? []) {
      if (!SUPPORTED_FILTERS.has(filter.type)) {
        unsupported ??= `rule ${ruleIndex}: filter type ${JSON.stringify(filter.type)} is not supported by the sandbox gateway (it implements RequestHeaderModifier and ResponseHeaderModifier)`;
        continue;
      }
      if (filter.type === 'RequestHeaderModifier')
        requestHeaders = headerChanges(filter.requestHeaderModifier);
      else responseHeaders = headerChanges(filter.responseHeaderModifier);
    }
    for (const m of rule.matches ?? [])
      if (m.path?.type === 'RegularExpression' && !validRegex(m.path.value ?? ''))
        unsupported ??= `rule ${ruleIndex}: path regular expression ${JSON.stringify(m.path.value)} does not compile`;
    const backends: WeightedBackend[] = (rule.backendRefs ?? []).map((ref: any): WeightedBackend => {
      const weight = ref.weight ?? 1;
      if ((ref.filters ?? []).length > 0)
        unsupported ??= `rule ${ruleIndex}: backendRef filters are not supported by the sandbox gateway`;
      const group = ref.group ?? '';
      const kind = ref.kind ?? 'Service';
      const fail = (reason: string, message: string): WeightedBackend => {
        problems.push({ reason, message });
        return { weight, status: 500, reason: message };
      };
      if (!((group === '' || group === 'core') && kind === 'Service'))
        return fail(
          'InvalidKind',
          `backendRef ${ref.name}: unsupported kind ${group ? `${kind}.${group}` : kind}`,
        );
      const refNamespace = ref.namespace ?? namespace;
      if (refNamespace !== namespace)
        return fail(
          'RefNotPermitted',
          `backendRef ${refNamespace}/${ref.name}: a reference to another namespace needs a ReferenceGrant, which the sandbox does not serve`,
        );
      const service = getService(cluster, refNamespace, ref.name);
      if (!service) return fail('BackendNotFound', `Service ${refNamespace}/${ref.name} not found`);
      const port = findServicePort(service, ref.port);
      if (ref.port === undefined || !port)
        return fail(
          'BackendNotFound',
          `Service ${refNamespace}/${ref.name} has no port ${ref.port ?? '(none given)'}`,
        );
      return {
        weight,
        cluster: {
          name: `${refNamespace}/${ref.name}:${port.port}`,
          endpoints: strip(readyEndpoints(cluster, service, port)),
        },
      };
    });
    const action: Action =
      backends.length === 0
        ? { kind: 'respond', status: 500, reason: '' }
        : {
            kind: 'weighted',
            backends,
            ...(requestHeaders ? { requestHeaders } : {}),
            ...(responseHeaders ? { responseHeaders } : {}),
          };
    const matches: any[] = rule.matches?.length ? rule.matches : [{}];
    matches.forEach((m, matchIndex) =>
      entries.push({ route, rule: ruleIndex, match: matchIndex, request: toMatch(m), action }),
    );
  });
  const first = problems[0];
  return {
    resolvedRefs: first
      ? { ok: false, ...first }
      : { ok: true, reason: 'ResolvedRefs', message: 'All references are resolved' },
    ...(unsupported ? { unsupported } : {}),
    entries,
  };
}

// ---------- gateways ----------

interface ListenerModel {
  spec: any;
  valid: boolean;
  status: ListenerStatus;
}

function namespaceAllowed(
  cluster: Cluster,
  gateway: Obj,
  allowedRoutes: any,
  routeNamespace: string,
): boolean {
  const from = allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gateway.metadata.namespace;
  if (from === 'Selector') {
    const ns = cluster.get(T.namespaces, undefined, routeNamespace);
    return matchesRequirements(ns?.metadata.labels, selectorRequirements(allowedRoutes.namespaces.selector));
  }
  return false;
}

function listenersOf(gateway: Obj): ListenerModel[] {
  const generation = gateway.metadata.generation as number | undefined;
  const specs: any[] = gateway.spec?.listeners ?? [];
  return specs.map((spec) => {
    const conflicts = specs.filter(
      (other) =>
        other !== spec && other.port === spec.port && (other.hostname ?? '') === (spec.hostname ?? ''),
    );
    const protocolOk = spec.protocol === 'HTTP';
    const kinds: any[] = spec.allowedRoutes?.kinds ?? [{ group: GROUP, kind: 'HTTPRoute' }];
    const supportedKinds = kinds
      .filter((k) => (k.group ?? GROUP) === GROUP && k.kind === 'HTTPRoute')
      .map(() => ({ group: GROUP, kind: 'HTTPRoute' }));
    const kindsOk = supportedKinds.length === kinds.length;
    const valid = protocolOk && conflicts.length === 0 && supportedKinds.length > 0;
    const conditions = [
      protocolOk
        ? condition('Accepted', true, 'Accepted', 'Listener is accepted', generation)
        : condition(
            'Accepted',
            false,
            'UnsupportedProtocol',
            `Protocol ${spec.protocol} is not supported by the sandbox gateway (HTTP only)`,
            generation,
          ),
      condition(
        'Programmed',
        valid,
        valid ? 'Programmed' : 'Invalid',
        valid ? 'Listener is programmed' : 'Listener is invalid',
        generation,
      ),
      kindsOk
        ? condition('ResolvedRefs', true, 'ResolvedRefs', 'All references are resolved', generation)
        : condition('ResolvedRefs', false, 'InvalidRouteKinds', 'Only HTTPRoute is supported', generation),
      conflicts.length === 0
        ? condition('Conflicted', false, 'NoConflicts', 'No conflicts', generation)
        : condition(
            'Conflicted',
            true,
            'HostnameConflict',
            `Listener ${conflicts[0].name} has the same port and hostname`,
            generation,
          ),
    ];
    return { spec, valid, status: { name: spec.name, supportedKinds, attachedRoutes: 0, conditions } };
  });
}

// ---------- the model ----------

export function evaluateGatewayApi(cluster: Cluster): GatewayApiModel {
  const classes = new Map<string, Condition[]>();
  for (const gc of cluster.list(T.gatewayclasses)) {
    if (gc.spec?.controllerName !== GATEWAY_CONTROLLER || gc.metadata.deletionTimestamp) continue;
    const generation = gc.metadata.generation as number | undefined;
    classes.set(gc.metadata.name, [
      condition('Accepted', true, 'Accepted', 'Handled by the sandbox gateway controller', generation),
      condition(
        'SupportedVersion',
        true,
        'SupportedVersion',
        'Gateway API v1.6 CRDs are supported',
        generation,
      ),
    ]);
  }

  const gateways = new Map<string, { gateway: Obj; listeners: ListenerModel[] }>();
  for (const gw of cluster.list(T.gateways)) {
    if (gw.metadata.deletionTimestamp || !classes.has(gw.spec?.gatewayClassName)) continue;
    gateways.set(key(gw), { gateway: gw, listeners: listenersOf(gw) });
  }

  const routeParents = new Map<string, Array<{ parentRef: any; conditions: Condition[] }>>();
  const gatewayEntries = new Map<string, Map<number, Map<string, Entry[]>>>();
  const meshEntries = new Map<string, Map<number, Entry[]>>();

  for (const route of cluster.list(T.httproutes)) {
    if (route.metadata.deletionTimestamp) continue;
    const namespace = route.metadata.namespace as string;
    const generation = route.metadata.generation as number | undefined;
    const analysis = analyseRoute(cluster, route);
    const resolved = condition(
      'ResolvedRefs',
      analysis.resolvedRefs.ok,
      analysis.resolvedRefs.reason,
      analysis.resolvedRefs.message,
      generation,
    );
    const hostnames: string[] = route.spec?.hostnames ?? [];
    const parents: Array<{ parentRef: any; conditions: Condition[] }> = [];
    const accepted = (ok: boolean, reason: string, message: string) =>
      condition('Accepted', ok, reason, message, generation);

    for (const ref of route.spec?.parentRefs ?? []) {
      const group = ref.group ?? GROUP;
      const kind = ref.kind ?? 'Gateway';
      const parentNamespace = ref.namespace ?? namespace;
      const report = (c: Condition) => parents.push({ parentRef: ref, conditions: [c, resolved] });

      if (group === GROUP && kind === 'Gateway') {
        const found = gateways.get(`${parentNamespace}/${ref.name}`);
        if (!found) continue; // not one of this controller's Gateways: its controller reports, not this one
        const { gateway, listeners } = found;
        const named = listeners.filter(
          (l) =>
            (ref.sectionName === undefined || l.spec.name === ref.sectionName) &&
            (ref.port === undefined || l.spec.port === ref.port),
        );
        if (named.length === 0) {
          report(
            accepted(
              false,
              'NoMatchingParent',
              ref.sectionName !== undefined
                ? `Gateway ${key(gateway)} has no listener named ${JSON.stringify(ref.sectionName)}${ref.port !== undefined ? ` on port ${ref.port}` : ''}`
                : `Gateway ${key(gateway)} has no listener on port ${ref.port}`,
            ),
          );
          continue;
        }
        const valid = named.filter((l) => l.valid);
        const allowed = valid.filter(
          (l) =>
            l.status.supportedKinds.length > 0 &&
            namespaceAllowed(cluster, gateway, l.spec.allowedRoutes, namespace),
        );
        if (allowed.length === 0) {
          report(
            accepted(
              false,
              'NotAllowedByListeners',
              valid.length === 0
                ? `No valid listener of Gateway ${key(gateway)} matches this parentRef`
                : `No listener of Gateway ${key(gateway)} allows HTTPRoutes from namespace ${JSON.stringify(namespace)}`,
            ),
          );
          continue;
        }
        const attached = allowed
          .map((l) => ({ listener: l, hosts: intersectHostnames(l.spec.hostname, hostnames) }))
          .filter((a) => a.hosts !== undefined);
        if (attached.length === 0) {
          report(
            accepted(
              false,
              'NoMatchingListenerHostname',
              `No listener hostname of Gateway ${key(gateway)} intersects the route's hostnames`,
            ),
          );
          continue;
        }
        if (analysis.unsupported) {
          report(accepted(false, 'UnsupportedValue', analysis.unsupported));
          continue;
        }
        report(accepted(true, 'Accepted', 'Route is accepted'));
        for (const { listener, hosts } of attached) {
          listener.status.attachedRoutes += 1;
          const byPort = gatewayEntries.get(key(gateway)) ?? new Map<number, Map<string, Entry[]>>();
          gatewayEntries.set(key(gateway), byPort);
          const byHost = byPort.get(listener.spec.port) ?? new Map<string, Entry[]>();
          byPort.set(listener.spec.port, byHost);
          for (const host of hosts!) {
            const list = byHost.get(host) ?? [];
            for (const entry of analysis.entries) if (!list.includes(entry)) list.push(entry);
            byHost.set(host, list);
          }
        }
        continue;
      }

      if ((group === '' || group === 'core') && kind === 'Service') {
        // GAMMA: the sandbox is the mesh for producer routes (a route in the Service's namespace).
        if (parentNamespace !== namespace) continue;
        const service = getService(cluster, parentNamespace, ref.name);
        if (!service) continue;
        const ports: any[] = (service.spec?.ports ?? []).filter(
          (p: any) =>
            (ref.port === undefined || p.port === ref.port) &&
            (ref.sectionName === undefined || p.name === ref.sectionName),
        );
        if (ports.length === 0) {
          report(
            accepted(
              false,
              'NoMatchingParent',
              `Service ${parentNamespace}/${ref.name} has no port ${ref.port ?? JSON.stringify(ref.sectionName)}`,
            ),
          );
          continue;
        }
        if (analysis.unsupported) {
          report(accepted(false, 'UnsupportedValue', analysis.unsupported));
          continue;
        }
        report(accepted(true, 'Accepted', 'Route is accepted'));
        const byPort = meshEntries.get(key(service)) ?? new Map<number, Entry[]>();
        meshEntries.set(key(service), byPort);
        for (const p of ports) {
          const list = byPort.get(p.port) ?? [];
          for (const entry of analysis.entries) if (!list.includes(entry)) list.push(entry);
          byPort.set(p.port, list);
        }
      }
    }
    routeParents.set(key(route), parents);
  }

  const gatewayStatus = new Map<string, { conditions: Condition[]; listeners: ListenerStatus[] }>();
  const gatewayTables = new Map<string, Map<number, RouteTable>>();
  for (const [name, { gateway, listeners }] of gateways) {
    const generation = gateway.metadata.generation as number | undefined;
    const validCount = listeners.filter((l) => l.valid).length;
    const allValid = validCount === listeners.length;
    gatewayStatus.set(name, {
      conditions: [
        condition(
          'Accepted',
          validCount > 0,
          allValid ? 'Accepted' : 'ListenersNotValid',
          allValid ? 'Gateway is accepted' : 'Some listeners are not valid',
          generation,
        ),
        condition(
          'Programmed',
          validCount > 0,
          validCount > 0 ? 'Programmed' : 'Invalid',
          validCount > 0 ? 'Gateway is programmed on 127.0.0.1' : 'No valid listener',
          generation,
        ),
      ],
      listeners: listeners.map((l) => l.status),
    });
    const tables = new Map<number, RouteTable>();
    for (const listener of listeners) {
      if (!listener.valid || tables.has(listener.spec.port)) continue;
      const byHost = gatewayEntries.get(name)?.get(listener.spec.port) ?? new Map<string, Entry[]>();
      tables.set(listener.spec.port, {
        proxy: 'envoy',
        virtualHosts: [...byHost].map(([host, entries]) => ({
          hostnames: [host],
          routes: toRoutes(entries),
        })),
      });
    }
    gatewayTables.set(name, tables);
  }

  const meshTables = new Map<string, Map<number, RouteTable>>();
  for (const [service, byPort] of meshEntries) {
    const tables = new Map<number, RouteTable>();
    for (const [port, entries] of byPort)
      tables.set(port, { proxy: 'envoy', virtualHosts: [{ hostnames: ['*'], routes: toRoutes(entries) }] });
    meshTables.set(service, tables);
  }

  return { classes, gateways: gatewayStatus, routeParents, gatewayTables, meshTables };
}
