/**
 * Pure: the canary Ingress the `nginx` router puts beside the user's Ingress, as ingress-nginx reads it.
 * ingress-nginx (internal/ingress/controller/controller.go, mergeAlternativeBackends) makes a canary
 * Ingress's backend the alternative of the main backend of every location with the same host, path and
 * pathType in the same IngressClass, the oldest canary first and only that one; rootfs/etc/nginx/lua/
 * balancer.lua sends a request there by `canary-by-header`, then by `canary-weight` out of
 * `canary-weight-total`. Annotation values are checked as its annotation validators
 * (internal/ingress/annotations/parser/validators.go) would, since an invalid one is silently dropped.
 */
import type { TrafficMatch } from '../config/types.ts';
import type { KubeObject } from '../kube/types.ts';
import type { Acceptance } from './live-object.ts';

export const NGINX = 'nginx.ingress.kubernetes.io/';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** Go's strconv.ParseBool true values: what `nginx.ingress.kubernetes.io/canary` takes as true. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
/** The total that gives a step 0.01% precision (`canary-weight-total`, ingress-nginx ≥ 1.1.2). */
const FINE_TOTAL = 10_000;

type ServicePort = { name?: string; number?: number };
interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: ServicePort } };
}
interface IngressSpec {
  ingressClassName?: string;
  rules?: Array<{ host?: string; http?: { paths?: IngressPath[] } }>;
}

/** A host, path and pathType of the main Ingress that sends to the stable Service, on that port. */
export interface Location {
  host?: string;
  path: string;
  pathType: string;
  port: ServicePort;
}

const specOf = (ingress: KubeObject) => (ingress.spec ?? {}) as IngressSpec;
const keyOf = (l: { host?: string; path: string; pathType: string }) =>
  `${l.host ?? ''} ${l.path} ${l.pathType}`;

/** The class ingress-nginx reads: the legacy annotation first, then spec.ingressClassName. */
export function ingressClass(ingress: KubeObject): string | undefined {
  return ingress.metadata.annotations?.[CLASS_ANNOTATION] ?? specOf(ingress).ingressClassName;
}

export function isCanary(ingress: KubeObject): boolean {
  return TRUE.has(ingress.metadata.annotations?.[`${NGINX}canary`] ?? '');
}

/** Every location of the Ingress, with the Service it sends to; an empty path is "/", as ingress-nginx has it. */
function locationsOf(ingress: KubeObject): Array<Location & { service?: string }> {
  return (specOf(ingress).rules ?? []).flatMap((rule) =>
    (rule.http?.paths ?? []).map((p) => ({
      ...(rule.host ? { host: rule.host } : {}),
      path: p.path || '/',
      pathType: p.pathType ?? 'ImplementationSpecific',
      port: p.backend?.service?.port ?? {},
      ...(p.backend?.service?.name ? { service: p.backend.service.name } : {}),
    })),
  );
}

/** The main Ingress's locations that send to `service` (its defaultBackend is not one). */
export function stableLocations(ingress: KubeObject, service: string): Location[] {
  return locationsOf(ingress)
    .filter((l) => l.service === service)
    .map(({ service: _service, ...location }) => location);
}

/**
 * Another canary Ingress of the class on a location where some main Ingress of the class sends to
 * `service`: ingress-nginx would merge only the older of the two into the stable's backend.
 */
export function rivalCanary(
  ingresses: readonly KubeObject[],
  options: { className: string | undefined; service: string; own: string },
): KubeObject | undefined {
  const ofClass = ingresses.filter((i) => ingressClass(i) === options.className);
  const stable = new Set(
    ofClass.filter((i) => !isCanary(i)).flatMap((i) => stableLocations(i, options.service).map(keyOf)),
  );
  return ofClass.find(
    (i) => isCanary(i) && i.metadata.name !== options.own && locationsOf(i).some((l) => stable.has(keyOf(l))),
  );
}

/** `canary-weight` (with `canary-weight-total` below a whole percent) for `percent`; undefined past 0.01%. */
export function weightAnnotations(percent: number): Record<string, string> | undefined {
  const whole = Math.round(percent);
  if (Math.abs(percent - whole) < 1e-9) return { [`${NGINX}canary-weight`]: String(whole) };
  const scaled = Math.round((percent * FINE_TOTAL) / 100);
  if (Math.abs((percent * FINE_TOTAL) / 100 - scaled) > 1e-6) return undefined;
  return { [`${NGINX}canary-weight`]: String(scaled), [`${NGINX}canary-weight-total`]: String(FINE_TOTAL) };
}

/** nginx drops header names beyond letters, digits and "-" (ignore_invalid_headers, no underscores_in_headers). */
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** parser.BasicCharsRegex, which `canary-by-header-value` must pass. */
const BASIC_CHARS = /^[-._~A-Za-z0-9/:]+$/;
/** parser.IsValidRegex, which `canary-by-header-pattern` must pass. */
const REGEX_CHARS = /^[-._~A-Za-z0-9/:^$[\](){}*+?|&=\\]+$/;

/** Why ingress-nginx would not route `match` as asked, or undefined. */
export function matchProblem(match: TrafficMatch): string | undefined {
  if (!HEADER_NAME.test(match.header))
    return `header ${JSON.stringify(match.header)}: nginx passes only header names of letters, digits and "-"`;
  if (match.exact !== undefined && !BASIC_CHARS.test(match.exact))
    return `exact ${JSON.stringify(match.exact)}: canary-by-header-value takes only letters, digits and - . _ ~ / :`;
  if (match.regex !== undefined) {
    if (!REGEX_CHARS.test(match.regex))
      return `regex ${JSON.stringify(match.regex)}: canary-by-header-pattern takes only letters, digits and - . _ ~ / : ^ $ [ ] ( ) { } * + ? | & = \\`;
    try {
      new RegExp(match.regex);
    } catch (error) {
      return `regex ${JSON.stringify(match.regex)} does not compile: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** `canary-by-header` with the exact value, or with the regex anchored to the whole value (nginx searches). */
export function headerAnnotations(match: TrafficMatch | undefined): Record<string, string> {
  if (!match) return {};
  return {
    [`${NGINX}canary-by-header`]: match.header,
    ...(match.exact !== undefined
      ? { [`${NGINX}canary-by-header-value`]: match.exact }
      : { [`${NGINX}canary-by-header-pattern`]: `^(?:${match.regex ?? ''})$` }),
  };
}

/**
 * The canary Ingress: the main Ingress's class, and its locations that send to the stable Service, each
 * sending to `backend` on the same port. `load-balance: round_robin` is one of the few annotations a
 * canary Ingress keeps for its own backend, so a global `ewma` cannot skew canary against baseline.
 */
export function canaryIngress(options: {
  main: KubeObject;
  name: string;
  backend: string;
  locations: readonly Location[];
  labels: Record<string, string>;
  routing: Record<string, string>;
}): KubeObject {
  const { main, backend } = options;
  const className = main.metadata.annotations?.[CLASS_ANNOTATION];
  const spec = specOf(main);
  const hosts = [...new Set(options.locations.map((l) => l.host))];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: options.name,
      ...(main.metadata.namespace ? { namespace: main.metadata.namespace } : {}),
      labels: options.labels,
      annotations: {
        ...(className !== undefined ? { [CLASS_ANNOTATION]: className } : {}),
        [`${NGINX}canary`]: 'true',
        [`${NGINX}load-balance`]: 'round_robin',
        ...options.routing,
      },
    },
    spec: {
      ...(spec.ingressClassName ? { ingressClassName: spec.ingressClassName } : {}),
      rules: hosts.map((host) => ({
        ...(host ? { host } : {}),
        http: {
          paths: options.locations
            .filter((l) => l.host === host)
            .map((l) => ({
              path: l.path,
              pathType: l.pathType,
              backend: { service: { name: backend, port: { ...l.port } } },
            })),
        },
      })),
    },
  };
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** What of the live canary Ingress differs from the one written (its nginx annotations, class or rules), or undefined. */
export function drift(live: KubeObject, written: KubeObject): string | undefined {
  const routing = (o: KubeObject) =>
    Object.entries(o.metadata.annotations ?? {}).filter(
      ([k]) => k.startsWith(NGINX) || k === CLASS_ANNOTATION,
    );
  const want = new Map(routing(written));
  const have = new Map(routing(live));
  for (const key of new Set([...want.keys(), ...have.keys()]))
    if (want.get(key) !== have.get(key))
      return `${key} is ${JSON.stringify(have.get(key) ?? null)}, not ${JSON.stringify(want.get(key) ?? null)}`;
  const className = specOf(written).ingressClassName;
  if (className !== undefined && specOf(live).ingressClassName !== className)
    return 'its ingressClassName changed';
  if (canonical(specOf(live).rules) !== canonical(specOf(written).rules)) return 'its rules changed';
  return undefined;
}

/** The load-balancer addresses a controller wrote in the Ingress's status, as one comparable string ("" for none). */
export function addresses(ingress: KubeObject): string {
  const status = ingress.status as { loadBalancer?: { ingress?: unknown[] } } | undefined;
  return (status?.loadBalancer?.ingress ?? []).map(canonical).sort().join(', ');
}

/**
 * Served once the controller that serves the main Ingress has written the same load-balancer addresses on
 * the canary Ingress: ingress-nginx's leader writes them on every Ingress of its class, canary ones
 * included, when it starts and every 60 s (internal/ingress/status/status.go). It reports nothing more
 * specific, so the canary Ingress can never be seen rejected, only not (yet) served.
 */
export function served(canary: KubeObject | undefined, main: KubeObject | undefined): Acceptance {
  if (!canary) return { state: 'pending', message: 'the canary Ingress is gone' };
  const want = main ? addresses(main) : '';
  const have = addresses(canary);
  if (have !== '' && have === want) return { state: 'accepted' };
  return {
    state: 'pending',
    message: `not served by the controller of ${main ? `ingress/${main.metadata.name}` : 'the main Ingress'}: its status has ${have ? `the address ${have}` : 'no load-balancer address'}${want ? ` (the main Ingress: ${want})` : ''}`,
  };
}
