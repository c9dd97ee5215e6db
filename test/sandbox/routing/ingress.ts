/* eslint-disable @typescript-eslint/no-explicit-any -- loosely typed Kubernetes JSON */
/**
 * Two ingress controllers, one listener per IngressClass naming them, as pure functions of the
 * cluster's objects:
 *
 * - ingress-nginx (`k8s.io/ingress-nginx`): host and path rules to Services; a canary Ingress
 *   (`nginx.ingress.kubernetes.io/canary: "true"`) with the same host, path and pathType as a main
 *   Ingress becomes the alternative backend of that main backend, chosen per request by
 *   `canary-by-header` (`-value`, `-pattern`), `canary-by-cookie` and `canary-weight` (of
 *   `canary-weight-total`), as internal/ingress/controller/controller.go and lua/balancer.lua do.
 * - HAProxy Ingress (`haproxy-ingress.github.io/controller`): host and path rules to one backend per
 *   Service port, whose servers are the Service's ready endpoints, weighted by `blue-green-balance`
 *   (`label=value=weight,…`) in `blue-green-mode` `deploy` (default: weights rebalanced by the number of
 *   pods of each group, convutils.RebalanceWeight) or `pod` (the weight per pod), with
 *   `blue-green-header`/`-cookie` (`Name:label`) selecting a group; keys read from the Service's
 *   annotations first, then the Ingress's, under the prefixes `haproxy-ingress.github.io/` and then
 *   `ingress.kubernetes.io/`, as pkg/converters/ingress does.
 */
import type { Cluster, Obj } from '../controllers/cluster.ts';
import { T } from '../controllers/cluster.ts';
import type { Action, HaproxyServer, NginxCanary, PathMatch, Route, RouteTable } from './table.ts';
import type { PodEndpoint } from './services.ts';
import { byAge, findServicePort, getService, readyEndpoints, strip } from './services.ts';

export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
export const HAPROXY_INGRESS_CONTROLLER = 'haproxy-ingress.github.io/controller';
export const INGRESS_CONTROLLERS = [INGRESS_NGINX_CONTROLLER, HAPROXY_INGRESS_CONTROLLER];

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const NGINX = 'nginx.ingress.kubernetes.io/';
const HAPROXY_PREFIXES = ['haproxy-ingress.github.io/', 'ingress.kubernetes.io/'];

export interface IngressClassModel {
  ingressClass: Obj;
  controller: string;
  table: RouteTable;
  /** The Ingresses this controller serves (namespace/name). */
  ingresses: string[];
}

const key = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;

/** The class an Ingress asks for: the legacy annotation wins over spec.ingressClassName (both controllers do so). */
export function classOf(ingress: Obj): string | undefined {
  return ingress.metadata.annotations?.[CLASS_ANNOTATION] ?? ingress.spec?.ingressClassName ?? undefined;
}

interface Location {
  host: string;
  path: string;
  pathType: string;
  backend: string;
  ingress: Obj;
}

interface Backend {
  key: string;
  service: Obj | undefined;
  servicePort: any;
  namespace: string;
  name: string;
  endpoints: PodEndpoint[];
}

function pathMatch(path: string, pathType: string): PathMatch {
  if (pathType === 'Exact') return { type: 'Exact', value: path };
  if (pathType === 'Prefix') return { type: 'PathPrefix', value: path };
  return { type: 'Prefix', value: path }; // ImplementationSpecific: nginx `location /x`, HAProxy `begin`
}

/** Exact paths first, then the longest prefix (element-wise before character prefix at equal length). */
function compareLocations(a: Location, b: Location): number {
  const exact = (l: Location) => (l.pathType === 'Exact' ? 0 : 1);
  return (
    exact(a) - exact(b) ||
    b.path.length - a.path.length ||
    (a.pathType === 'Prefix' ? 0 : 1) - (b.pathType === 'Prefix' ? 0 : 1)
  );
}

function backendOf(
  cluster: Cluster,
  namespace: string,
  ref: any,
  backends: Map<string, Backend>,
): string | undefined {
  if (!ref?.service?.name) return undefined;
  const portRef = ref.service.port?.number ?? ref.service.port?.name;
  const id = `${namespace}/${ref.service.name}:${portRef ?? ''}`;
  if (!backends.has(id)) {
    const service = getService(cluster, namespace, ref.service.name);
    const servicePort = service ? findServicePort(service, portRef) : undefined;
    backends.set(id, {
      key: id,
      service,
      servicePort,
      namespace,
      name: ref.service.name,
      endpoints: service && servicePort ? readyEndpoints(cluster, service, servicePort) : [],
    });
  }
  return id;
}

/** Host/path locations of the given Ingresses, the oldest Ingress winning a duplicate host+path+pathType. */
function locationsOf(cluster: Cluster, ingresses: Obj[], backends: Map<string, Backend>): Location[] {
  const out: Location[] = [];
  const seen = new Set<string>();
  const add = (l: Location) => {
    const id = `${l.host}|${l.path}|${l.pathType}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(l);
  };
  for (const ingress of ingresses) {
    const namespace = ingress.metadata.namespace as string;
    for (const rule of ingress.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const backend = backendOf(cluster, namespace, p.backend, backends);
        if (!backend) continue;
        add({
          host: rule.host ?? '*',
          path: p.path ?? '/',
          pathType: p.pathType ?? 'Prefix',
          backend,
          ingress,
        });
      }
    }
    const fallback = backendOf(cluster, namespace, ingress.spec?.defaultBackend, backends);
    if (fallback) add({ host: '*', path: '/', pathType: 'Prefix', backend: fallback, ingress });
  }
  return out;
}

function table(
  proxy: 'nginx' | 'haproxy',
  locations: Location[],
  action: (l: Location) => Action,
): RouteTable {
  const hosts = new Map<string, Location[]>();
  for (const l of locations) hosts.set(l.host, [...(hosts.get(l.host) ?? []), l]);
  return {
    proxy,
    virtualHosts: [...hosts].map(([host, list]) => ({
      hostnames: [host],
      routes: [...list].sort(compareLocations).map((l): Route => ({
        source: `Ingress ${key(l.ingress)} ${l.host === '*' ? '' : l.host}${l.path} (${l.pathType})`,
        matches: [{ path: pathMatch(l.path, l.pathType) }],
        action: action(l),
      })),
    })),
  };
}

function clusterOf(backend: Backend): { name: string; endpoints: ReturnType<typeof strip> } {
  return { name: backend.key, endpoints: strip(backend.endpoints) };
}

function integer(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

// ---------- ingress-nginx ----------

function nginxTable(cluster: Cluster, ingresses: Obj[]): RouteTable {
  const isCanary = (i: Obj) => i.metadata.annotations?.[`${NGINX}canary`] === 'true';
  const backends = new Map<string, Backend>();
  const main = locationsOf(
    cluster,
    ingresses.filter((i) => !isCanary(i)),
    backends,
  );
  /** Alternative backends by primary backend: the first canary merged wins (balancer.lua uses alternative_backends[1]). */
  const canaries = new Map<string, NginxCanary>();
  for (const ingress of ingresses.filter(isCanary)) {
    const a = (name: string) => ingress.metadata.annotations?.[`${NGINX}${name}`];
    const namespace = ingress.metadata.namespace as string;
    const merge = (primary: string, alternative: string) => {
      if (primary === alternative || canaries.has(primary)) return;
      canaries.set(primary, {
        cluster: clusterOf(backends.get(alternative)!),
        ...(a('canary-by-header') ? { header: a('canary-by-header')! } : {}),
        ...(a('canary-by-header-value') ? { headerValue: a('canary-by-header-value')! } : {}),
        ...(a('canary-by-header-pattern') ? { headerPattern: a('canary-by-header-pattern')! } : {}),
        ...(a('canary-by-cookie') ? { cookie: a('canary-by-cookie')! } : {}),
        weight: integer(a('canary-weight')) ?? 0,
        weightTotal: integer(a('canary-weight-total')) ?? 100,
      });
    };
    for (const rule of ingress.spec?.rules ?? []) {
      const host = rule.host ?? '*';
      for (const p of rule.http?.paths ?? []) {
        const alternative = backendOf(cluster, namespace, p.backend, backends);
        if (!alternative) continue;
        for (const l of main)
          if (l.host === host && l.path === (p.path ?? '/') && l.pathType === (p.pathType ?? 'Prefix'))
            merge(l.backend, alternative);
      }
    }
    const fallback = backendOf(cluster, namespace, ingress.spec?.defaultBackend, backends);
    if (fallback) for (const l of main) if (l.host === '*') merge(l.backend, fallback);
  }
  return table('nginx', main, (l) => {
    const canary = canaries.get(l.backend);
    return { kind: 'nginx', primary: clusterOf(backends.get(l.backend)!), ...(canary ? { canary } : {}) };
  });
}

// ---------- HAProxy Ingress ----------

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** convutils.RebalanceWeight (pkg/converters/utils/lbweight.go), float32 arithmetic included. */
export function rebalanceWeight(
  clusters: Array<{ weight: number; length: number }>,
  initialWeight: number,
): void {
  const f = Math.fround;
  let lcmCount = 0;
  for (const cl of clusters) {
    if (cl.length === 0) continue;
    lcmCount = lcmCount > 0 ? lcmCount * (cl.length / gcd(lcmCount, cl.length)) : cl.length;
  }
  if (lcmCount === 0) return;
  let gcdClusterWeight = 0;
  let minWeight = -1;
  let maxWeight = 0;
  for (const cl of clusters) {
    if (cl.length === 0 || cl.weight === 0) continue;
    const clusterWeight = Math.trunc((cl.weight * lcmCount) / cl.length);
    gcdClusterWeight = gcdClusterWeight > 0 ? gcd(gcdClusterWeight, clusterWeight) : clusterWeight;
    if (clusterWeight < minWeight || minWeight < 0) minWeight = clusterWeight;
    if (clusterWeight > maxWeight) maxWeight = clusterWeight;
  }
  if (gcdClusterWeight === 0) return;
  const weightFactorMin = f(f(initialWeight * gcdClusterWeight) / f(minWeight));
  const weightFactor = f(f(weightFactorMin * f(maxWeight)) / f(256 * gcdClusterWeight));
  for (const cl of clusters) {
    if (cl.length === 0) continue;
    const weight = f(f(weightFactorMin * f(cl.weight * lcmCount)) / f(cl.length * gcdClusterWeight));
    if (weightFactor > 1) {
      let prop = Math.trunc(f(weight / weightFactor));
      if (prop === 0 && cl.weight > 0) prop = 1;
      cl.weight = prop;
    } else cl.weight = Math.trunc(weight);
  }
}

/** A configuration key from the first source that sets it (Service, then Ingresses), first prefix first. */
function configKey(sources: Obj[], name: string): string | undefined {
  for (const source of sources)
    for (const prefix of HAPROXY_PREFIXES) {
      const value = source.metadata.annotations?.[`${prefix}${name}`];
      if (value !== undefined) return value;
    }
  return undefined;
}

const LABEL = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const NAME_PAIR = new RegExp(`^${LABEL}:${LABEL}$`);

/** The servers of one HAProxy backend: its endpoints, weighted by the blue/green configuration. */
export function haproxyServers(
  endpoints: PodEndpoint[],
  sources: Obj[],
): { servers: HaproxyServer[]; selector?: { header?: string; cookie?: string } } {
  const servers = endpoints.map((e) => ({ endpoint: { host: e.host, port: e.port }, weight: 1, pod: e }));
  let balance = configKey(sources, 'blue-green-balance');
  if (!balance) balance = configKey(sources, 'blue-green-deploy');
  const groups = (balance ?? '').split(',').map((w) => w.split('='));
  if (balance && groups.every((g) => g.length === 3 && /^-?\d+$/.test(g[2]!))) {
    const weights = groups.map(([label, value, weight]) => ({
      label: label!,
      value: value!,
      weight: Math.min(256, Math.max(0, Number(weight))),
      members: [] as typeof servers,
    }));
    for (const server of servers) {
      let matched = false;
      for (const group of weights) {
        if (server.pod.labels[group.label] === group.value) {
          server.weight = group.weight;
          group.members.push(server);
          matched = true;
        }
      }
      if (!matched) server.weight = 0;
    }
    if (configKey(sources, 'blue-green-mode') !== 'pod') {
      const clusters = weights.map((g) => ({ weight: g.weight, length: g.members.length }));
      rebalanceWeight(clusters, integer(configKey(sources, 'initial-weight')) ?? 1);
      weights.forEach((g, i) => g.members.forEach((m) => (m.weight = clusters[i]!.weight)));
    }
  }
  const cookie = configKey(sources, 'blue-green-cookie') ?? '';
  const header = configKey(sources, 'blue-green-header') ?? '';
  let selector: { header?: string; cookie?: string } | undefined;
  let labelName: string | undefined;
  if ((cookie || header) && (!cookie || NAME_PAIR.test(cookie)) && (!header || NAME_PAIR.test(header))) {
    const [cookieName, cookieLabel] = cookie.split(':');
    const [headerName, headerLabel] = header.split(':');
    if (!(cookie && header && cookieLabel !== headerLabel)) {
      labelName = headerLabel || cookieLabel;
      selector = { ...(header ? { header: headerName! } : {}), ...(cookie ? { cookie: cookieName! } : {}) };
    }
  }
  return {
    servers: servers.map((s) => ({
      endpoint: s.endpoint,
      weight: s.weight,
      ...(labelName && s.pod.labels[labelName] !== undefined ? { label: s.pod.labels[labelName] } : {}),
    })),
    ...(selector ? { selector } : {}),
  };
}

function haproxyTable(cluster: Cluster, ingresses: Obj[]): RouteTable {
  const backends = new Map<string, Backend>();
  const locations = locationsOf(cluster, ingresses, backends);
  const sources = new Map<string, Obj[]>();
  for (const l of locations) {
    const backend = backends.get(l.backend)!;
    const list = sources.get(l.backend) ?? (backend.service ? [backend.service] : []);
    if (!list.includes(l.ingress)) list.push(l.ingress);
    sources.set(l.backend, list);
  }
  return table('haproxy', locations, (l) => {
    const backend = backends.get(l.backend)!;
    return {
      kind: 'haproxy',
      backend: backend.key,
      ...haproxyServers(backend.endpoints, sources.get(l.backend)!),
    };
  });
}

/** Every IngressClass of a controller the sandbox plays, with its routing table. */
export function evaluateIngresses(cluster: Cluster): Map<string, IngressClassModel> {
  const out = new Map<string, IngressClassModel>();
  const ingresses = cluster
    .list(T.ingresses)
    .filter((i) => !i.metadata.deletionTimestamp)
    .sort(byAge);
  for (const ingressClass of cluster.list(T.ingressclasses)) {
    const controller = ingressClass.spec?.controller;
    if (!INGRESS_CONTROLLERS.includes(controller) || ingressClass.metadata.deletionTimestamp) continue;
    const mine = ingresses.filter((i) => classOf(i) === ingressClass.metadata.name);
    out.set(ingressClass.metadata.name, {
      ingressClass,
      controller,
      table:
        controller === INGRESS_NGINX_CONTROLLER ? nginxTable(cluster, mine) : haproxyTable(cluster, mine),
      ingresses: mine.map(key),
    });
  }
  return out;
}
