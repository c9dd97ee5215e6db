/**
 * `notify:` as the pipeline uses it: parsed and checked once (every problem a ConfigError naming the field),
 * with the defaults stated here and nowhere else. `${VAR}` substitution happens before, in config loading;
 * notifySecrets lists every value the caller must register as a secret.
 */
import { ConfigError } from '../util/errors.ts';
import { parseDuration } from '../util/durations.ts';
import {
  NOTIFY_EVENTS,
  NOTIFY_TYPES,
  type NotifyEventName,
  type NotifyTarget,
  type NotifyType,
} from './types.ts';

/** The defaults of every target, stated once (the schema and the docs show these). */
export const NOTIFY_DEFAULTS = {
  /** Every event but `step`. */
  events: NOTIFY_EVENTS.filter((event) => event !== 'step') as readonly NotifyEventName[],
  timeout: '5s',
  retries: 3,
} as const;

/** Most retries a target may ask for (each one waits longer; the dispatch deadline caps them all). */
export const MAX_RETRIES = 10;

/** The fields that hold credentials: they must come from `${VAR}` and are never printed. */
const CREDENTIAL_FIELDS: Record<NotifyType, readonly string[]> = {
  slack: ['url'],
  teams: ['url'],
  webhook: ['url', 'secret'],
  grafana: ['token'],
};

const COMMON_FIELDS = ['type', 'name', 'url', 'events', 'headers', 'timeout', 'retries'] as const;
const TYPE_FIELDS: Record<NotifyType, readonly string[]> = {
  slack: [],
  teams: [],
  webhook: ['secret'],
  grafana: ['token', 'tags', 'dashboardUID', 'panelId'],
};

/** Headers the notifiers set themselves. */
const RESERVED_HEADERS: Record<NotifyType, readonly string[]> = {
  slack: [],
  teams: [],
  webhook: ['x-canary-signature', 'x-canary-event', 'x-canary-delivery'],
  grafana: ['authorization'],
};
const ALWAYS_RESERVED = ['content-type', 'content-length', 'host', 'transfer-encoding', 'connection'];

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const DASHBOARD_UID_PATTERN = '^[A-Za-z0-9_-]{1,40}$';

export interface ParseNotifyOptions {
  /** Where the list sits in the document, for messages (default `notify`). */
  path?: string;
  /**
   * The values config loading substituted from `${VAR}` (what substituteEnv returns as secrets). When given,
   * every credential field (slack/teams/webhook url, webhook secret, grafana token) must contain one: a
   * credential written into the file itself is refused. Leave it out when the targets come from CI inputs.
   */
  substituted?: readonly string[];
}

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));
const kindOf = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value === '') return 'an empty string (is the variable it comes from empty?)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks and completes `notify:`. Pure; throws the first problem as a ConfigError naming the field
 * (`notify[2].url`), what was expected and the value — except for credentials, whose value is never shown.
 */
export function parseNotifyTargets(raw: unknown, options: ParseNotifyOptions = {}): NotifyTarget[] {
  const path = options.path ?? 'notify';
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(path, `expected a list of targets, got ${kindOf(raw)}`);
  return raw.map((item, index) => parseTarget(item, index, `${path}[${index}]`, options.substituted));
}

function parseTarget(
  raw: unknown,
  index: number,
  path: string,
  substituted: readonly string[] | undefined,
): NotifyTarget {
  if (!isRecord(raw)) throw new ConfigError(path, `expected a map with type and url, got ${kindOf(raw)}`);
  const type = raw.type;
  if (typeof type !== 'string' || !(NOTIFY_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError(
      `${path}.type`,
      `expected one of ${NOTIFY_TYPES.map((t) => JSON.stringify(t)).join(', ')}, got ${type === undefined ? 'nothing' : show(type)}`,
    );
  }
  const kind = type as NotifyType;
  const allowed = [...COMMON_FIELDS, ...TYPE_FIELDS[kind]];
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    const owner = NOTIFY_TYPES.find((t) => TYPE_FIELDS[t].includes(key));
    throw new ConfigError(
      `${path}.${key}`,
      owner
        ? `only ${owner} targets take ${key}`
        : `unknown field (valid fields for ${kind}: ${allowed.join(', ')})`,
    );
  }
  for (const field of CREDENTIAL_FIELDS[kind]) {
    if (raw[field] === undefined) continue;
    if (typeof raw[field] !== 'string' || raw[field] === '') {
      throw new ConfigError(`${path}.${field}`, `expected a non-empty string, got ${kindOf(raw[field])}`);
    }
    if (
      substituted &&
      !substituted.some((secret) => secret.length >= 4 && (raw[field] as string).includes(secret))
    ) {
      throw new ConfigError(
        `${path}.${field}`,
        `must come from an environment variable (e.g. ${field}: "\${${envName(kind, field)}}"): it is a credential and does not belong in the config file`,
      );
    }
  }

  const common = {
    index,
    ...(raw.name === undefined ? {} : { name: parseName(raw.name, `${path}.name`) }),
    url: parseUrl(raw.url, `${path}.url`, CREDENTIAL_FIELDS[kind].includes('url')),
    events: parseEvents(raw.events, `${path}.events`),
    headers: parseHeaders(raw.headers, `${path}.headers`, kind),
    timeoutMs: parseDuration(raw.timeout ?? NOTIFY_DEFAULTS.timeout, `${path}.timeout`),
    retries: parseRetries(raw.retries, `${path}.retries`),
  };
  switch (kind) {
    case 'slack':
    case 'teams':
      return { ...common, type: kind };
    case 'webhook':
      return { ...common, type: kind, ...(raw.secret === undefined ? {} : { secret: raw.secret as string }) };
    case 'grafana': {
      if (raw.token === undefined) {
        throw new ConfigError(
          `${path}.token`,
          'is required: a Grafana service account token (annotations:create and annotations:write), e.g. token: "${GRAFANA_TOKEN}"',
        );
      }
      const panelId = parsePanelId(raw.panelId, `${path}.panelId`);
      const dashboardUID = parseDashboardUid(raw.dashboardUID, `${path}.dashboardUID`);
      if (panelId !== undefined && dashboardUID === undefined) {
        throw new ConfigError(`${path}.panelId`, 'needs dashboardUID: a panel belongs to a dashboard');
      }
      return {
        ...common,
        type: kind,
        token: raw.token as string,
        tags: parseTags(raw.tags, `${path}.tags`),
        ...(dashboardUID === undefined ? {} : { dashboardUID }),
        ...(panelId === undefined ? {} : { panelId }),
      };
    }
  }
}

function envName(type: NotifyType, field: string): string {
  if (field === 'secret') return 'DEPLOY_HOOK_SECRET';
  if (field === 'token') return 'GRAFANA_TOKEN';
  return {
    slack: 'SLACK_WEBHOOK_URL',
    teams: 'TEAMS_WEBHOOK_URL',
    webhook: 'DEPLOY_HOOK_URL',
    grafana: 'GRAFANA_URL',
  }[type];
}

function parseName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64) {
    throw new ConfigError(path, `expected a label of 1 to 64 characters, got ${show(value)}`);
  }
  return value;
}

/** An absolute http(s) URL. A credential URL is never echoed: the message names only its scheme. */
function parseUrl(value: unknown, path: string, credential: boolean): string {
  if (value === undefined) throw new ConfigError(path, 'is required: the http(s) URL to send to');
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(path, `expected an http(s) URL, got ${kindOf(value)}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(
      path,
      `expected an absolute http(s) URL, got ${credential ? 'a string that is not one (value not shown: it is a credential)' : show(value)}`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(
      path,
      `expected an http(s) URL, got ${credential ? `a ${JSON.stringify(parsed.protocol)} URL (value not shown: it is a credential)` : show(value)}`,
    );
  }
  return value;
}

function parseEvents(value: unknown, path: string): readonly NotifyEventName[] {
  if (value === undefined) return NOTIFY_DEFAULTS.events;
  const valid = NOTIFY_EVENTS.map((event) => JSON.stringify(event)).join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      path,
      `expected a non-empty list of events (${valid}), got ${show(JSON.stringify(value))}`,
    );
  }
  value.forEach((event, i) => {
    if (typeof event !== 'string' || !(NOTIFY_EVENTS as readonly string[]).includes(event)) {
      throw new ConfigError(`${path}[${i}]`, `expected one of ${valid}, got ${show(event)}`);
    }
  });
  // Keep the documented order, drop duplicates.
  return NOTIFY_EVENTS.filter((event) => (value as string[]).includes(event));
}

function parseHeaders(value: unknown, path: string, type: NotifyType): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (!isRecord(value))
    throw new ConfigError(path, `expected a map of header names to values, got ${kindOf(value)}`);
  const reserved = [...ALWAYS_RESERVED, ...RESERVED_HEADERS[type]];
  const out: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(
        `${path}.${name}`,
        "expected an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)",
      );
    }
    if (reserved.includes(name.toLowerCase())) {
      throw new ConfigError(
        `${path}.${name}`,
        `is set by the ${type} notifier itself and cannot be overridden`,
      );
    }
    if (typeof headerValue !== 'string' || /[\r\n\0]/.test(headerValue)) {
      // Header values may be credentials: describe, never echo.
      throw new ConfigError(
        `${path}.${name}`,
        `expected a one-line string value, got ${typeof headerValue === 'string' ? 'a value with a line break' : kindOf(headerValue)}`,
      );
    }
    out[name] = headerValue;
  }
  return out;
}

function parseRetries(value: unknown, path: string): number {
  if (value === undefined) return NOTIFY_DEFAULTS.retries;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_RETRIES) {
    throw new ConfigError(path, `expected an integer from 0 to ${MAX_RETRIES}, got ${show(value)}`);
  }
  return value;
}

function parseTags(value: unknown, path: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(path, `expected a list of tags, got ${kindOf(value)}`);
  value.forEach((tag, i) => {
    if (typeof tag !== 'string' || tag.trim() === '' || tag.length > 100) {
      throw new ConfigError(`${path}[${i}]`, `expected a tag of 1 to 100 characters, got ${show(tag)}`);
    }
  });
  return [...new Set(value as string[])];
}

function parseDashboardUid(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !new RegExp(DASHBOARD_UID_PATTERN).test(value)) {
    throw new ConfigError(
      path,
      `expected a dashboard UID (1 to 40 letters, digits, "_" or "-"), got ${show(value)}`,
    );
  }
  return value;
}

function parsePanelId(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(path, `expected a panel id (an integer ≥ 0), got ${show(value)}`);
  }
  return value;
}

/**
 * Every value of these targets that must never be printed: URLs (whole, and their path and query, which
 * hold a Slack or Teams webhook's key), tokens, secrets and header values. Register each with the platform.
 */
export function notifySecrets(targets: readonly NotifyTarget[]): string[] {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value) secrets.add(value);
  };
  for (const target of targets) {
    add(target.url);
    try {
      const url = new URL(target.url);
      if (url.pathname.length > 1 || url.search) add(`${url.pathname}${url.search}`);
      url.searchParams.forEach((value) => {
        if (value.length >= 16) add(value);
      });
      add(decodeURIComponent(url.password));
    } catch {
      // parseNotifyTargets accepts only valid URLs; nothing more to take apart
    }
    Object.values(target.headers).forEach(add);
    if (target.type === 'webhook') add(target.secret);
    if (target.type === 'grafana') add(target.token);
  }
  return [...secrets];
}

/** How a target is named in warnings and results: its position, type and label, never its URL. */
export function targetLabel(target: NotifyTarget): string {
  return `notify[${target.index}] ${target.type}${target.name ? ` ${JSON.stringify(target.name)}` : ''}`;
}
