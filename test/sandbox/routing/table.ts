/**
 * The routing tables the sandbox's L7 listeners (Gateway, mesh sidecar, ingress controllers) route by,
 * and the per-request router compiled from one. A table is plain JSON computed from the cluster's
 * objects by gateway-api.ts, istio.ts and ingress.ts, so a listener is reconfigured only when its table
 * changes, and a table can be printed when a test needs to see what a listener does.
 */
import type { Backend } from '../node/types.ts';

export interface RequestInfo {
  method: string;
  /** The path, without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The Host header without its port, in lower case. */
  host: string;
}

/**
 * Exact: equal. Prefix: starts with. RegularExpression: the whole value (RE2-style full match, as
 * Envoy does). Search: anywhere in the value (PCRE-style, as nginx's `ngx.re.match` does).
 */
export type StringMatchType = 'Exact' | 'Prefix' | 'RegularExpression' | 'Search';
export interface StringMatch {
  type: StringMatchType;
  value: string;
  ignoreCase?: boolean;
}

/** PathPrefix: by path elements (`/a` matches `/a` and `/a/b`, not `/ab`). Prefix: by characters. */
export type PathMatchType = 'Exact' | 'PathPrefix' | 'Prefix' | 'RegularExpression';
export interface PathMatch {
  type: PathMatchType;
  value: string;
  ignoreCase?: boolean;
}

/** Every condition of a match must hold; absent conditions hold. */
export interface RequestMatch {
  path?: PathMatch;
  method?: StringMatch;
  /** `match` absent: the header must be present. `invert`: the request must not match (Istio withoutHeaders). */
  headers?: Array<{ name: string; match?: StringMatch; invert?: boolean }>;
  queryParams?: Array<{ name: string; match: StringMatch }>;
}

export interface HeaderChanges {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

/** A set of endpoints a proxy balances over (an Envoy cluster, an nginx or HAProxy backend). */
export interface Cluster {
  /** `namespace/service:port`, plus a subset or label when it narrows the endpoints. */
  name: string;
  endpoints: Backend[];
}

export type WeightedBackend =
  | { weight: number; cluster: Cluster }
  /** An invalid backendRef: its share of requests gets this status (Gateway API: 500). */
  | { weight: number; status: number; reason: string };

export interface NginxCanary {
  cluster: Cluster;
  header?: string;
  headerValue?: string;
  headerPattern?: string;
  cookie?: string;
  weight: number;
  weightTotal: number;
}

export interface HaproxyServer {
  endpoint: Backend;
  weight: number;
  /** The value of the blue/green selector label on the endpoint's pod. */
  label?: string;
}

export type Action =
  /** Envoy's weighted clusters: a cluster at random in proportion to its weight, then its next endpoint. */
  | {
      kind: 'weighted';
      backends: WeightedBackend[];
      requestHeaders?: HeaderChanges;
      responseHeaders?: HeaderChanges;
    }
  /** ingress-nginx: the canary backend when its header, cookie or weight says so, else the primary. */
  | { kind: 'nginx'; primary: Cluster; canary?: NginxCanary }
  /** HAProxy: `use-server` by header or cookie, else weighted round-robin over the servers. */
  | {
      kind: 'haproxy';
      backend: string;
      servers: HaproxyServer[];
      selector?: { header?: string; cookie?: string };
    }
  | { kind: 'respond'; status: number; reason: string };

export interface Route {
  /** Where the route comes from, for the `x-sandbox-route` response header and diagnostics. */
  source: string;
  /** Any one must match; an empty list matches every request. */
  matches: RequestMatch[];
  action: Action;
}

export interface VirtualHost {
  /** Exact names, `*.suffix` wildcards, or `*` for any host. */
  hostnames: string[];
  /** In precedence order: the first that matches is taken. */
  routes: Route[];
}

export interface RouteTable {
  /** Which proxy plays the listener: decides error responses and how wildcard hosts match. */
  proxy: 'envoy' | 'nginx' | 'haproxy';
  virtualHosts: VirtualHost[];
}

export type Decision =
  | {
      backend: Backend;
      route: string;
      requestHeaders?: HeaderChanges;
      responseHeaders?: HeaderChanges;
    }
  | { status: number; body: string; route?: string; headers?: Record<string, string> };

export type HttpRouter = (request: RequestInfo) => Decision;

/** What each proxy answers when it cannot route; bodies as the real proxies send them. */
const RESPONSES = {
  envoy: {
    notFound: { status: 404, body: '' },
    unavailable: { status: 503, body: 'no healthy upstream' },
  },
  nginx: {
    notFound: { status: 404, body: 'default backend - 404' },
    unavailable: {
      status: 503,
      body: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    },
  },
  haproxy: {
    notFound: {
      status: 404,
      body: '<html><body><h1>404 Not Found</h1>\nThe requested URL was not found on this server.\n</body></html>\n',
    },
    unavailable: {
      status: 503,
      body: '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
    },
  },
} as const;

const regexCache = new Map<string, RegExp | null>();

function regex(source: string, flags: string, anchored: boolean): RegExp | null {
  const key = `${anchored ? 'A' : 'S'}${flags}:${source}`;
  if (!regexCache.has(key)) {
    try {
      regexCache.set(key, new RegExp(anchored ? `^(?:${source})$` : source, flags));
    } catch {
      regexCache.set(key, null);
    }
  }
  return regexCache.get(key)!;
}

/** Whether a regular expression compiles (an invalid one never matches). */
export function validRegex(source: string): boolean {
  return regex(source, '', true) !== null;
}

export function matchString(match: StringMatch, value: string): boolean {
  const flags = match.ignoreCase ? 'i' : '';
  const fold = (s: string) => (match.ignoreCase ? s.toLowerCase() : s);
  switch (match.type) {
    case 'Exact':
      return fold(value) === fold(match.value);
    case 'Prefix':
      return fold(value).startsWith(fold(match.value));
    case 'RegularExpression':
      return regex(match.value, flags, true)?.test(value) ?? false;
    case 'Search':
      return regex(match.value, flags, false)?.test(value) ?? false;
  }
}

export function matchPath(match: PathMatch, path: string): boolean {
  switch (match.type) {
    case 'PathPrefix': {
      const prefix = match.value.length > 1 ? match.value.replace(/\/+$/, '') : match.value;
      const p = match.ignoreCase ? path.toLowerCase() : path;
      const v = match.ignoreCase ? prefix.toLowerCase() : prefix;
      return v === '/' || p === v || p.startsWith(`${v}/`);
    }
    case 'Prefix':
      return matchString({ type: 'Prefix', value: match.value, ignoreCase: match.ignoreCase ?? false }, path);
    case 'Exact':
      return matchString({ type: 'Exact', value: match.value, ignoreCase: match.ignoreCase ?? false }, path);
    case 'RegularExpression':
      return matchString(
        { type: 'RegularExpression', value: match.value, ignoreCase: match.ignoreCase ?? false },
        path,
      );
  }
}

export function headerValue(request: RequestInfo, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

export function matchRequest(match: RequestMatch, request: RequestInfo): boolean {
  if (match.path && !matchPath(match.path, request.path)) return false;
  if (match.method && !matchString(match.method, request.method)) return false;
  for (const header of match.headers ?? []) {
    const value = headerValue(request, header.name);
    const matched = value !== undefined && (!header.match || matchString(header.match, value));
    if (matched === Boolean(header.invert)) return false;
  }
  for (const param of match.queryParams ?? []) {
    const value = request.query.get(param.name);
    if (value === null || !matchString(param.match, value)) return false;
  }
  return true;
}

/**
 * The virtual host for a Host: an exact name first, then the longest matching wildcard, then `*`.
 * Envoy's `*.example.com` matches any depth of subdomain; Ingress wildcards match one label only.
 */
export function selectVirtualHost(table: RouteTable, host: string): VirtualHost | undefined {
  let best: { vhost: VirtualHost; rank: number } | undefined;
  for (const vhost of table.virtualHosts) {
    for (const name of vhost.hostnames) {
      let rank = -1;
      if (name === host) rank = 1_000_000;
      else if (name === '*') rank = 0;
      else if (name.startsWith('*.')) {
        const suffix = name.slice(1);
        const label = host.endsWith(suffix) ? host.slice(0, -suffix.length) : '';
        if (label && (table.proxy === 'envoy' || !label.includes('.'))) rank = suffix.length;
      }
      if (rank >= 0 && (!best || rank > best.rank)) best = { vhost, rank };
    }
  }
  return best?.vhost;
}

function cookieValue(request: RequestInfo, name: string): string | undefined {
  const header = headerValue(request, 'cookie');
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** ingress-nginx's route_to_alternative_balancer (rootfs/etc/nginx/lua/balancer.lua), for one request. */
export function nginxRoutesToCanary(
  canary: NginxCanary,
  request: RequestInfo,
  random: () => number,
): boolean {
  if (canary.header) {
    const value = headerValue(request, canary.header);
    if (value !== undefined) {
      if (canary.headerValue) {
        if (canary.headerValue === value) return true;
      } else if (canary.headerPattern) {
        const pattern = regex(canary.headerPattern, '', false);
        if (!pattern) return false;
        if (pattern.test(value)) return true;
      } else if (value === 'always') return true;
      else if (value === 'never') return false;
    }
  }
  if (canary.cookie) {
    const value = cookieValue(request, canary.cookie);
    if (value === 'always') return true;
    if (value === 'never') return false;
  }
  const total = canary.weightTotal > 100 ? canary.weightTotal : 100;
  // Lua's math.random(total) is uniform over 1..total.
  return Math.floor(random() * total) + 1 <= canary.weight;
}

/** Compiles a table into a router with its own balancing state (round-robin positions, WRR weights). */
export function compileRouter(table: RouteTable, random: () => number = Math.random): HttpRouter {
  const responses = RESPONSES[table.proxy];
  const positions = new Map<string, number>();
  const wrr = new Map<string, number[]>();

  const next = (cluster: Cluster): Backend | undefined => {
    if (cluster.endpoints.length === 0) return undefined;
    const position = positions.get(cluster.name) ?? 0;
    positions.set(cluster.name, position + 1);
    return cluster.endpoints[position % cluster.endpoints.length];
  };

  /** Smooth weighted round-robin (what HAProxy's `balance roundrobin` converges to). */
  const weightedRoundRobin = (backend: string, servers: HaproxyServer[]): Backend | undefined => {
    const total = servers.reduce((sum, s) => sum + Math.max(0, s.weight), 0);
    if (total <= 0) return undefined;
    const key = `${backend}|${servers.map((s) => `${s.endpoint.host}:${s.endpoint.port}/${s.weight}`).join(',')}`;
    const current = wrr.get(key) ?? servers.map(() => 0);
    let chosen = -1;
    servers.forEach((server, i) => {
      if (server.weight <= 0) return;
      current[i] = (current[i] ?? 0) + server.weight;
      if (chosen < 0 || current[i]! > current[chosen]!) chosen = i;
    });
    current[chosen] = current[chosen]! - total;
    wrr.set(key, current);
    return servers[chosen]!.endpoint;
  };

  const unavailable = (route: string): Decision => ({ ...responses.unavailable, route });

  return (request) => {
    const vhost = selectVirtualHost(table, request.host);
    const route = vhost?.routes.find(
      (candidate) =>
        candidate.matches.length === 0 || candidate.matches.some((m) => matchRequest(m, request)),
    );
    if (!route) return { ...responses.notFound };
    const { action, source } = route;
    switch (action.kind) {
      case 'respond':
        return { status: action.status, body: action.reason ? `${action.reason}\n` : '', route: source };
      case 'weighted': {
        const candidates = action.backends.filter((b) => b.weight > 0);
        const total = candidates.reduce((sum, b) => sum + b.weight, 0);
        if (total <= 0) return { status: 500, body: '', route: source };
        let point = random() * total;
        const chosen = candidates.find((b) => (point -= b.weight) < 0) ?? candidates[candidates.length - 1]!;
        if ('status' in chosen) return { status: chosen.status, body: '', route: source };
        const backend = next(chosen.cluster);
        if (!backend) return unavailable(source);
        return {
          backend,
          route: `${source} -> ${chosen.cluster.name}`,
          ...(action.requestHeaders ? { requestHeaders: action.requestHeaders } : {}),
          ...(action.responseHeaders ? { responseHeaders: action.responseHeaders } : {}),
        };
      }
      case 'nginx': {
        const cluster =
          action.canary && nginxRoutesToCanary(action.canary, request, random)
            ? action.canary.cluster
            : action.primary;
        const backend = next(cluster);
        return backend ? { backend, route: `${source} -> ${cluster.name}` } : unavailable(source);
      }
      case 'haproxy': {
        const { selector, servers } = action;
        for (const value of [
          selector?.header ? headerValue(request, selector.header) : undefined,
          selector?.cookie ? cookieValue(request, selector.cookie) : undefined,
        ]) {
          const server = value === undefined ? undefined : servers.find((s) => s.label === value);
          if (server) return { backend: server.endpoint, route: `${source} -> ${action.backend} (${value})` };
        }
        const backend = weightedRoundRobin(action.backend, servers);
        return backend ? { backend, route: `${source} -> ${action.backend}` } : unavailable(source);
      }
    }
  };
}
