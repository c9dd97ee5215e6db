import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  ConfigError,
  parseDuration
} from "./chunk-4WLXK7BF.js";

// src/notify/types.ts
var NOTIFY_EVENTS = [
  "started",
  "step",
  "failed",
  "rolled-back",
  "promoted",
  "held",
  "inconclusive"
];
var DECISION_EVENTS = [
  "failed",
  "rolled-back",
  "promoted",
  "held",
  "inconclusive"
];
var NOTIFY_TYPES = ["slack", "teams", "webhook", "grafana"];

// src/notify/settings.ts
var NOTIFY_DEFAULTS = {
  /** Every event but `step`. */
  events: NOTIFY_EVENTS.filter((event) => event !== "step"),
  timeout: "5s",
  retries: 3
};
var MAX_RETRIES = 10;
var CREDENTIAL_FIELDS = {
  slack: ["url"],
  teams: ["url"],
  webhook: ["url", "secret"],
  grafana: ["token"]
};
var COMMON_FIELDS = ["type", "name", "url", "events", "headers", "timeout", "retries"];
var TYPE_FIELDS = {
  slack: [],
  teams: [],
  webhook: ["secret"],
  grafana: ["token", "tags", "dashboardUID", "panelId"]
};
var RESERVED_HEADERS = {
  slack: [],
  teams: [],
  webhook: ["x-canary-signature", "x-canary-event", "x-canary-delivery"],
  grafana: ["authorization"]
};
var ALWAYS_RESERVED = ["content-type", "content-length", "host", "transfer-encoding", "connection"];
var HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
var DASHBOARD_UID_PATTERN = "^[A-Za-z0-9_-]{1,40}$";
var show = (value) => typeof value === "string" ? JSON.stringify(value) : String(value);
var kindOf = (value) => {
  if (value === void 0) return "nothing";
  if (value === null) return "null";
  if (value === "") return "an empty string (is the variable it comes from empty?)";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
};
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseNotifyTargets(raw, options = {}) {
  const path = options.path ?? "notify";
  if (raw === void 0 || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(path, `expected a list of targets, got ${kindOf(raw)}`);
  return raw.map((item, index) => parseTarget(item, index, `${path}[${index}]`, options.substituted));
}
function parseTarget(raw, index, path, substituted) {
  if (!isRecord(raw)) throw new ConfigError(path, `expected a map with type and url, got ${kindOf(raw)}`);
  const type = raw.type;
  if (typeof type !== "string" || !NOTIFY_TYPES.includes(type)) {
    throw new ConfigError(
      `${path}.type`,
      `expected one of ${NOTIFY_TYPES.map((t) => JSON.stringify(t)).join(", ")}, got ${type === void 0 ? "nothing" : show(type)}`
    );
  }
  const kind = type;
  const allowed = [...COMMON_FIELDS, ...TYPE_FIELDS[kind]];
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    const owner = NOTIFY_TYPES.find((t) => TYPE_FIELDS[t].includes(key));
    throw new ConfigError(
      `${path}.${key}`,
      owner ? `only ${owner} targets take ${key}` : `unknown field (valid fields for ${kind}: ${allowed.join(", ")})`
    );
  }
  for (const field of CREDENTIAL_FIELDS[kind]) {
    if (raw[field] === void 0) continue;
    if (typeof raw[field] !== "string" || raw[field] === "") {
      throw new ConfigError(`${path}.${field}`, `expected a non-empty string, got ${kindOf(raw[field])}`);
    }
    if (substituted && !substituted.some((secret) => secret.length >= 4 && raw[field].includes(secret))) {
      throw new ConfigError(
        `${path}.${field}`,
        `must come from an environment variable (e.g. ${field}: "\${${envName(kind, field)}}"): it is a credential and does not belong in the config file`
      );
    }
  }
  const common = {
    index,
    ...raw.name === void 0 ? {} : { name: parseName(raw.name, `${path}.name`) },
    url: parseUrl(raw.url, `${path}.url`, CREDENTIAL_FIELDS[kind].includes("url")),
    events: parseEvents(raw.events, `${path}.events`),
    headers: parseHeaders(raw.headers, `${path}.headers`, kind),
    timeoutMs: parseDuration(raw.timeout ?? NOTIFY_DEFAULTS.timeout, `${path}.timeout`),
    retries: parseRetries(raw.retries, `${path}.retries`)
  };
  switch (kind) {
    case "slack":
    case "teams":
      return { ...common, type: kind };
    case "webhook":
      return { ...common, type: kind, ...raw.secret === void 0 ? {} : { secret: raw.secret } };
    case "grafana": {
      if (raw.token === void 0) {
        throw new ConfigError(
          `${path}.token`,
          'is required: a Grafana service account token (annotations:create and annotations:write), e.g. token: "${GRAFANA_TOKEN}"'
        );
      }
      const panelId = parsePanelId(raw.panelId, `${path}.panelId`);
      const dashboardUID = parseDashboardUid(raw.dashboardUID, `${path}.dashboardUID`);
      if (panelId !== void 0 && dashboardUID === void 0) {
        throw new ConfigError(`${path}.panelId`, "needs dashboardUID: a panel belongs to a dashboard");
      }
      return {
        ...common,
        type: kind,
        token: raw.token,
        tags: parseTags(raw.tags, `${path}.tags`),
        ...dashboardUID === void 0 ? {} : { dashboardUID },
        ...panelId === void 0 ? {} : { panelId }
      };
    }
  }
}
function envName(type, field) {
  if (field === "secret") return "DEPLOY_HOOK_SECRET";
  if (field === "token") return "GRAFANA_TOKEN";
  return {
    slack: "SLACK_WEBHOOK_URL",
    teams: "TEAMS_WEBHOOK_URL",
    webhook: "DEPLOY_HOOK_URL",
    grafana: "GRAFANA_URL"
  }[type];
}
function parseName(value, path) {
  if (typeof value !== "string" || value.trim() === "" || value.length > 64) {
    throw new ConfigError(path, `expected a label of 1 to 64 characters, got ${show(value)}`);
  }
  return value;
}
function parseUrl(value, path, credential) {
  if (value === void 0) throw new ConfigError(path, "is required: the http(s) URL to send to");
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(path, `expected an http(s) URL, got ${kindOf(value)}`);
  }
  let parsed;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(
      path,
      `expected an absolute http(s) URL, got ${credential ? "a string that is not one (value not shown: it is a credential)" : show(value)}`
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(
      path,
      `expected an http(s) URL, got ${credential ? `a ${JSON.stringify(parsed.protocol)} URL (value not shown: it is a credential)` : show(value)}`
    );
  }
  return value;
}
function parseEvents(value, path) {
  if (value === void 0) return NOTIFY_DEFAULTS.events;
  const valid = NOTIFY_EVENTS.map((event) => JSON.stringify(event)).join(", ");
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      path,
      `expected a non-empty list of events (${valid}), got ${show(JSON.stringify(value))}`
    );
  }
  value.forEach((event, i) => {
    if (typeof event !== "string" || !NOTIFY_EVENTS.includes(event)) {
      throw new ConfigError(`${path}[${i}]`, `expected one of ${valid}, got ${show(event)}`);
    }
  });
  return NOTIFY_EVENTS.filter((event) => value.includes(event));
}
function parseHeaders(value, path, type) {
  if (value === void 0) return {};
  if (!isRecord(value))
    throw new ConfigError(path, `expected a map of header names to values, got ${kindOf(value)}`);
  const reserved = [...ALWAYS_RESERVED, ...RESERVED_HEADERS[type]];
  const out = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(
        `${path}.${name}`,
        "expected an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)"
      );
    }
    if (reserved.includes(name.toLowerCase())) {
      throw new ConfigError(
        `${path}.${name}`,
        `is set by the ${type} notifier itself and cannot be overridden`
      );
    }
    if (typeof headerValue !== "string" || /[\r\n\0]/.test(headerValue)) {
      throw new ConfigError(
        `${path}.${name}`,
        `expected a one-line string value, got ${typeof headerValue === "string" ? "a value with a line break" : kindOf(headerValue)}`
      );
    }
    out[name] = headerValue;
  }
  return out;
}
function parseRetries(value, path) {
  if (value === void 0) return NOTIFY_DEFAULTS.retries;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_RETRIES) {
    throw new ConfigError(path, `expected an integer from 0 to ${MAX_RETRIES}, got ${show(value)}`);
  }
  return value;
}
function parseTags(value, path) {
  if (value === void 0) return [];
  if (!Array.isArray(value)) throw new ConfigError(path, `expected a list of tags, got ${kindOf(value)}`);
  value.forEach((tag, i) => {
    if (typeof tag !== "string" || tag.trim() === "" || tag.length > 100) {
      throw new ConfigError(`${path}[${i}]`, `expected a tag of 1 to 100 characters, got ${show(tag)}`);
    }
  });
  return [...new Set(value)];
}
function parseDashboardUid(value, path) {
  if (value === void 0) return void 0;
  if (typeof value !== "string" || !new RegExp(DASHBOARD_UID_PATTERN).test(value)) {
    throw new ConfigError(
      path,
      `expected a dashboard UID (1 to 40 letters, digits, "_" or "-"), got ${show(value)}`
    );
  }
  return value;
}
function parsePanelId(value, path) {
  if (value === void 0) return void 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(path, `expected a panel id (an integer \u2265 0), got ${show(value)}`);
  }
  return value;
}
function notifySecrets(targets) {
  const secrets = /* @__PURE__ */ new Set();
  const add = (value) => {
    if (value) secrets.add(value);
  };
  for (const target2 of targets) {
    add(target2.url);
    try {
      const url = new URL(target2.url);
      if (url.pathname.length > 1 || url.search) add(`${url.pathname}${url.search}`);
      url.searchParams.forEach((value) => {
        if (value.length >= 16) add(value);
      });
      add(decodeURIComponent(url.password));
    } catch {
    }
    Object.values(target2.headers).forEach(add);
    if (target2.type === "webhook") add(target2.secret);
    if (target2.type === "grafana") add(target2.token);
  }
  return [...secrets];
}
function targetLabel(target2) {
  return `notify[${target2.index}] ${target2.type}${target2.name ? ` ${JSON.stringify(target2.name)}` : ""}`;
}

// src/notify/schema.ts
var str = (description) => ({ type: "string", description });
var NOTIFY_DURATION_PATTERN = "^(\\d+(\\.\\d+)?(ms|s|m|h))+$";
var target = {
  type: "object",
  description: "Where to send release notifications, and which events.",
  required: ["type", "url"],
  additionalProperties: false,
  properties: {
    type: {
      type: "string",
      enum: NOTIFY_TYPES,
      description: "slack (incoming webhook, Block Kit), teams (Teams Workflows webhook, Adaptive Card), webhook (JSON POST), grafana (annotations)."
    },
    name: str("A label for this target in the log and the report (never the URL)."),
    url: str(
      "slack/teams/webhook: the webhook URL, a credential: use ${VAR}. grafana: the base URL, e.g. https://grafana.example.com."
    ),
    events: {
      type: "array",
      minItems: 1,
      items: { type: "string", enum: NOTIFY_EVENTS },
      default: NOTIFY_DEFAULTS.events,
      description: "The events this target receives (default: every event but step)."
    },
    headers: {
      type: "object",
      description: "Extra HTTP headers (values are treated as secrets; use ${VAR}).",
      additionalProperties: { type: "string" }
    },
    timeout: {
      type: "string",
      pattern: NOTIFY_DURATION_PATTERN,
      patternDescription: 'a duration such as "5s" or "500ms"',
      default: NOTIFY_DEFAULTS.timeout,
      description: "Timeout of one HTTP request."
    },
    retries: {
      type: "integer",
      minimum: 0,
      maximum: MAX_RETRIES,
      default: NOTIFY_DEFAULTS.retries,
      description: "Retries (with exponential back-off) on network errors, timeouts, 429 and 5xx."
    },
    secret: str(
      "webhook: HMAC-SHA256 key; the body is signed as X-Canary-Signature: sha256=<hex> (use ${VAR})."
    ),
    token: str("grafana: service account token, sent as a bearer token (use ${VAR})."),
    tags: {
      type: "array",
      items: { type: "string" },
      description: "grafana: extra tags on the annotation."
    },
    dashboardUID: {
      type: "string",
      pattern: DASHBOARD_UID_PATTERN,
      patternDescription: "a dashboard UID",
      description: "grafana: annotate this dashboard only (default: an organization annotation)."
    },
    panelId: {
      type: "integer",
      minimum: 0,
      description: "grafana: annotate this panel of dashboardUID only."
    }
  },
  allOf: [
    { if: { required: ["type"], properties: { type: { const: "grafana" } } }, then: { required: ["token"] } }
  ]
};
var notifySchema = {
  type: "array",
  items: target,
  description: "Chat messages, a JSON webhook and Grafana annotations when a release starts, passes a step and is decided (docs/notifications.md)."
};

// src/config/schema.ts
var DURATION_PATTERN = "^(\\d+(\\.\\d+)?(ms|s|m|h))+$";
var duration = (description, dflt) => ({
  type: "string",
  pattern: DURATION_PATTERN,
  patternDescription: 'a duration such as "30s", "2m" or "1h30m"',
  description,
  ...dflt === void 0 ? {} : { default: dflt }
});
var str2 = (description) => ({ type: "string", description });
var PROVIDER_TYPES = ["prometheus", "influxdb", "datadog"];
var METRIC_TYPES = ["ratio", "latency", "gauge", "threshold"];
var TEMPLATE_NAMES = ["http-error-rate", "http-latency", "pod-restarts"];
var QUERY_VARIABLES = ["selector", "interval", "track", "namespace", "workload"];
var ROUTER_NAMES = ["replicas", "gateway-api", "istio", "nginx", "haproxy"];
var provider = {
  type: "object",
  description: "The metrics backend the queries are sent to.",
  required: ["type", "url"],
  additionalProperties: false,
  properties: {
    type: { type: "string", enum: PROVIDER_TYPES, description: "Backend type." },
    url: str2("Base URL of the backend API, e.g. http://prometheus:9090 or https://api.datadoghq.com."),
    headers: {
      type: "object",
      description: "Extra HTTP headers sent with every query (use ${VAR} for secrets).",
      additionalProperties: { type: "string" }
    },
    bearerToken: str2('Sent as "Authorization: Bearer <token>".'),
    basicAuth: {
      type: "object",
      required: ["username", "password"],
      additionalProperties: false,
      properties: { username: str2("User name."), password: str2("Password (use ${VAR}).") }
    },
    caFile: str2("PEM file with the CA certificates to trust for https URLs."),
    insecureSkipVerify: {
      type: "boolean",
      default: false,
      description: "Turn TLS certificate verification off (not recommended)."
    },
    timeout: duration("Timeout of one HTTP request.", "10s"),
    retries: {
      type: "integer",
      minimum: 0,
      maximum: 10,
      description: "At most this many retries of one request, within retryBudget (default: as many as retryBudget allows)."
    },
    retryBudget: duration(
      "How long one query is retried (exponential back-off) on network errors, 429 and 5xx; a poll whose query still fails counts as no data.",
      "15s"
    ),
    outage: duration(
      "How long the backend may stay unanswered (polls without data) before the analysis ends with exit 4 and a rollback.",
      "2m"
    ),
    version: {
      type: "integer",
      enum: [1, 2],
      default: 1,
      description: "influxdb: 1 (InfluxQL) or 2 (Flux)."
    },
    database: str2("influxdb 1.x: database name."),
    retentionPolicy: str2("influxdb 1.x: retention policy (optional)."),
    org: str2("influxdb 2.x: organisation."),
    bucket: str2("influxdb 2.x: bucket read by the latency (histogram) query."),
    measurement: {
      type: "string",
      default: "prometheus",
      description: "influxdb: measurement holding the histogram buckets (Telegraf prometheus input: prometheus)."
    },
    token: str2("influxdb 2.x: API token (use ${VAR})."),
    site: {
      type: "string",
      default: "datadoghq.com",
      description: "datadog: site (datadoghq.com, datadoghq.eu, us3.datadoghq.com, ...)."
    },
    apiKey: str2("datadog: API key (use ${VAR})."),
    applicationKey: str2("datadog: application key (use ${VAR}).")
  }
};
var metric = {
  type: "object",
  description: "A metric to judge: a full definition (`name` + `type`) or a built-in `template` with overrides.",
  additionalProperties: false,
  properties: {
    template: { type: "string", enum: TEMPLATE_NAMES, description: "Built-in metric to start from." },
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
      patternDescription: 'letters, digits, "_", "." or "-"',
      description: "Unique metric name."
    },
    type: { type: "string", enum: METRIC_TYPES, description: "How the metric is judged." },
    tolerance: {
      type: "number",
      exclusiveMinimum: 0,
      description: "ratio/latency/gauge: largest acceptable canary \xF7 baseline ratio (1.5 = up to 50% worse)."
    },
    bad: str2("ratio: query for bad events per poll window (e.g. 5xx responses)."),
    total: str2("ratio: query for all events per poll window."),
    histogram: str2("latency: Prometheus histogram base name (without _bucket)."),
    query: str2("gauge/threshold: query returning one value per poll window."),
    min: { type: "number", description: "threshold: lowest acceptable value." },
    max: { type: "number", description: "threshold: highest acceptable value." },
    failureLimit: {
      type: "integer",
      minimum: 1,
      default: 1,
      description: "threshold: failed measurements that fail the metric."
    },
    blocking: {
      type: "boolean",
      description: "Whether this metric can fail the canary (default: true, gauge: false)."
    },
    direction: {
      type: "string",
      enum: ["increase", "decrease"],
      default: "increase",
      description: "gauge: which direction is harmful."
    }
  },
  anyOf: [{ required: ["template"] }, { required: ["name", "type"] }],
  allOf: [
    {
      if: { required: ["type"], properties: { type: { const: "ratio" } } },
      then: { required: ["bad", "total"] }
    },
    {
      if: { required: ["type"], properties: { type: { const: "latency" } } },
      then: { required: ["histogram"] }
    },
    { if: { required: ["type"], properties: { type: { const: "gauge" } } }, then: { required: ["query"] } },
    {
      if: { required: ["type"], properties: { type: { const: "threshold" } } },
      then: { required: ["query"], anyOf: [{ required: ["min"] }, { required: ["max"] }] }
    }
  ]
};
var analysis = {
  type: "object",
  description: "How the canary is judged against the baseline.",
  required: ["provider", "metrics"],
  additionalProperties: false,
  properties: {
    provider,
    tracks: {
      type: "object",
      description: "Query fragment selecting each arm ({{selector}}). Default: derived from namespace and workload.",
      required: ["canary", "baseline"],
      additionalProperties: false,
      properties: { canary: str2("Selector of the canary."), baseline: str2("Selector of the baseline.") }
    },
    interval: duration("Poll period; also the window of each measurement ({{interval}}).", "30s"),
    warmup: duration("Time ignored at the start, while the new pods warm up.", "30s"),
    minDuration: duration("No early pass before this much analysis time.", "2m"),
    maxDuration: duration("The analysis decides by then.", "10m"),
    alpha: {
      type: "number",
      exclusiveMinimum: 0,
      exclusiveMaximum: 0.5,
      default: 0.01,
      description: "False-alarm budget for the whole canary, shared by the blocking metrics and guards."
    },
    onInconclusive: {
      type: "string",
      enum: ["fail", "pass", "hold"],
      default: "fail",
      description: "What an inconclusive verdict means: fail (exit 3), pass (exit 0) or hold (leave for a manual decision)."
    },
    aa: {
      type: "boolean",
      default: false,
      description: "A/A run: canary and baseline both run the stable image and nothing is promoted, to measure false alarms on your own cluster."
    },
    trafficShare: {
      description: "Guard against broken routing: the canary's share of canary+baseline requests (advisory unless blocking), or false to disable.",
      anyOf: [
        { type: "boolean", const: false },
        {
          type: "object",
          additionalProperties: false,
          properties: {
            expected: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.5 },
            tolerance: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 0.5, default: 0.15 },
            blocking: {
              type: "boolean",
              default: false,
              description: "Fail the canary when the share is off (it then takes a share of alpha); by default it is reported only."
            }
          }
        }
      ]
    },
    metrics: { type: "array", minItems: 1, items: metric, description: "The metrics to judge." }
  }
};
var traffic = {
  type: "object",
  description: "How traffic reaches the canary and in which steps.",
  additionalProperties: false,
  properties: {
    router: {
      type: "string",
      enum: ROUTER_NAMES,
      default: "replicas",
      description: "replicas: canary and baseline get replicas in proportion to the step weight beside the stable; the Service spreads requests over all ready pods. gateway-api: the weights of traffic.route, a Gateway API HTTPRoute, send the step weight to <service>-canary and as much to <service>-baseline. istio: the same with the whole-percent weights of traffic.route, an Istio VirtualService (virtualservice/NAME). nginx (legacy: ingress-nginx is retired): a canary Ingress beside traffic.route, an Ingress, sends twice the step weight to <service>-canary-baseline, whose canary and baseline pods share it. haproxy: the blue-green annotations of traffic.route, an Ingress of HAProxy Ingress (ingress/NAME), weight the pods behind the one stable Service by their track label (blue-green-mode: pod)."
    },
    route: {
      type: "string",
      pattern: "^[A-Za-z]+/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
      patternDescription: "KIND/NAME, e.g. httproute/web",
      description: "The routing object a weighted router edits (gateway-api: httproute/NAME; istio: virtualservice/NAME; nginx, haproxy: ingress/NAME; in the workload's namespace). Required by the weighted routers."
    },
    service: {
      type: "string",
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      patternDescription: "a Service name (DNS-1035)",
      description: "The stable Service the route sends to (weighted routers); default: the workload's name. It is never changed."
    },
    canaryReplicas: {
      type: "integer",
      minimum: 1,
      description: "Replicas of the canary (and of the baseline) under a weighted router; default: the step weight \xD7 the stable's replicas, rounded, at least 1."
    },
    match: {
      type: "object",
      additionalProperties: false,
      required: ["header"],
      description: "gateway-api, istio, and nginx with baseline: false: requests with this header (exact value or regex) go to the canary, alongside the weight (A/B); haproxy: an exact value only, which must be a label value.",
      properties: {
        header: { type: "string", pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: "The header name." },
        exact: str2("The exact value."),
        regex: str2("A regular expression the value matches (RE2 at most implementations).")
      }
    },
    steps: {
      type: "array",
      minItems: 1,
      items: { type: "number", exclusiveMinimum: 0, maximum: 100 },
      default: [10, 50],
      description: "Traffic weights analysed in turn (replicas: percent of the stable; weighted routers: percent of all traffic); each step is a full analysis. Increasing."
    },
    baseline: {
      type: "boolean",
      default: true,
      description: "Deploy a same-size baseline of the stable as the control (recommended). false needs analysis.tracks."
    }
  }
};
var configSchema = {
  type: "object",
  description: "canary-action configuration (canary.yml).",
  required: ["apiVersion", "analysis"],
  additionalProperties: false,
  properties: {
    apiVersion: { type: "string", const: "canary-action/v1", description: "Must be canary-action/v1." },
    namespace: {
      type: "string",
      pattern: "^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      patternDescription: 'a DNS-1123 label (1 to 63 lowercase letters, digits or "-")',
      description: "Kubernetes namespace of the workload ({{namespace}} in queries)."
    },
    workload: {
      type: "string",
      pattern: "^(deployment/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      patternDescription: "deployment/NAME with a DNS-1123 name",
      description: "The stable workload, deployment/NAME ({{workload}} in queries)."
    },
    image: str2(
      "The new image: a full reference with a tag or digest (ghcr.io/org/web:1.2.3, \u2026@sha256:\u2026), or a repository when a build step supplies the digest. --image overrides it."
    ),
    manifests: {
      description: "Files or directories of multi-document YAML holding the new Deployment (and the ConfigMaps/Secrets it uses). --manifests overrides it.",
      anyOf: [{ type: "string" }, { type: "array", minItems: 1, items: { type: "string" } }]
    },
    traffic,
    lockWait: duration(
      "How long a run waits for another run on the same workload to release its lock.",
      "5m"
    ),
    apiRetryBudget: duration(
      "How long one Kubernetes API request is retried (429, 5xx, network errors; conflicts for writes) before the run gives up.",
      "1m"
    ),
    readyTimeout: duration(
      "How long the canary, the baseline and the promoted stable get to become ready.",
      "5m"
    ),
    rollbackDeadline: duration(
      "How long a rollback (or the restore of a failed promotion) keeps retrying while the Kubernetes API fails; past it the run ends rollback-incomplete (exit 4) naming what is left.",
      "5m"
    ),
    analysis,
    notify: notifySchema,
    notifyDeadline: duration(
      "How long one notification event may take over all notify targets (retries included); whatever is still under way then is a warning, and the release goes on.",
      "15s"
    )
  }
};

// src/config/defaults.ts
var isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
var objectForm = (schema) => schema.properties ? schema : schema.anyOf?.find((option) => option.properties);
var hasDefaults = (schema) => Object.values(objectForm(schema)?.properties ?? {}).some((child) => child.default !== void 0);
function withDefaults(schema, value) {
  const form = objectForm(schema);
  if (!form?.properties || !isObject(value)) return value;
  const filled = { ...value };
  for (const [key, child] of Object.entries(form.properties)) {
    const given = filled[key];
    if (given === void 0 && child.default !== void 0) filled[key] = structuredClone(child.default);
    else if (given === void 0 && hasDefaults(child)) filled[key] = withDefaults(child, {});
    else if (given !== void 0) filled[key] = withDefaults(child, given);
  }
  return filled;
}
function schemaAt(path) {
  let node = configSchema;
  for (const key of path.split(".")) node = node && objectForm(node)?.properties?.[key];
  if (!node) throw new Error(`the config schema has no ${path}`);
  return node;
}
var defaultRouter = () => String(schemaAt("traffic.router").default);
var defaultDurationMs = (path) => parseDuration(schemaAt(path).default, path);

export {
  DECISION_EVENTS,
  parseNotifyTargets,
  notifySecrets,
  targetLabel,
  QUERY_VARIABLES,
  configSchema,
  withDefaults,
  schemaAt,
  defaultRouter,
  defaultDurationMs
};
