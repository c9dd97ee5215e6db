import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  load
} from "./chunk-HEDPGTFN.js";
import {
  Redactor
} from "./chunk-TKVXP2GW.js";
import {
  parseDuration
} from "./chunk-GDRGBFJS.js";
import {
  ConfigError
} from "./chunk-E75S7X5A.js";

// src/config/load.ts
import { readFile } from "node:fs/promises";

// src/analysis/spec.ts
var DEFAULT_TOLERANCE = {
  ratio: 1.2,
  latency: 1.2,
  gauge: 1.25
};
var DEFAULT_FAILURE_LIMIT = 1;
function toleranceOf(metric2) {
  if (metric2.kind === "threshold") return NaN;
  return metric2.tolerance ?? DEFAULT_TOLERANCE[metric2.kind];
}
function failureLimitOf(metric2) {
  return metric2.failureLimit ?? DEFAULT_FAILURE_LIMIT;
}
var KINDS = ["ratio", "latency", "gauge", "threshold"];
var show = (value) => JSON.stringify(value) ?? String(value);
function check(ok, path, value, expected) {
  if (!ok) throw new ConfigError(path, `expected ${expected}, got ${show(value)}`);
}
function validateSpec(spec) {
  check(spec.alpha > 0 && spec.alpha < 1, "alpha", spec.alpha, "a number between 0 and 1 (exclusive)");
  check(
    Number.isFinite(spec.minDurationSeconds) && spec.minDurationSeconds >= 0,
    "minDurationSeconds",
    spec.minDurationSeconds,
    "a number of seconds \u2265 0"
  );
  check(
    spec.maxDurationSeconds >= spec.minDurationSeconds,
    "maxDurationSeconds",
    spec.maxDurationSeconds,
    `a number of seconds \u2265 minDurationSeconds (${spec.minDurationSeconds})`
  );
  if (spec.trafficShare) {
    const { expected, tolerance } = spec.trafficShare;
    check(
      expected > 0 && expected < 1,
      "trafficShare.expected",
      expected,
      "a share between 0 and 1 (exclusive)"
    );
    check(tolerance >= 0 && tolerance < 1, "trafficShare.tolerance", tolerance, "a number between 0 and 1");
  }
  const names = /* @__PURE__ */ new Set();
  spec.metrics.forEach((metric2, i) => {
    const at = `metrics[${i}]`;
    check(
      typeof metric2.name === "string" && metric2.name.length > 0,
      `${at}.name`,
      metric2.name,
      "a non-empty name"
    );
    check(!names.has(metric2.name), `${at}.name`, metric2.name, "a name not used by another metric");
    names.add(metric2.name);
    check(KINDS.includes(metric2.kind), `${at}.kind`, metric2.kind, `one of ${KINDS.join(", ")}`);
    if (metric2.tolerance !== void 0) {
      check(
        metric2.tolerance > 0 && Number.isFinite(metric2.tolerance),
        `${at}.tolerance`,
        metric2.tolerance,
        "a positive number"
      );
    }
    if (metric2.kind === "threshold") {
      check(
        metric2.min !== void 0 || metric2.max !== void 0,
        `${at}.min`,
        metric2.min,
        "min or max (or both) for a threshold metric"
      );
      check(
        metric2.min === void 0 || metric2.max === void 0 || metric2.min <= metric2.max,
        `${at}.max`,
        metric2.max,
        `a number \u2265 min (${metric2.min})`
      );
      const limit = failureLimitOf(metric2);
      check(
        Number.isInteger(limit) && limit >= 1,
        `${at}.failureLimit`,
        metric2.failureLimit,
        "an integer \u2265 1"
      );
    }
  });
}

// src/config/schema.ts
var DURATION_PATTERN = "^(\\d+(\\.\\d+)?(ms|s|m|h))+$";
var duration = (description, dflt) => ({
  type: "string",
  pattern: DURATION_PATTERN,
  patternDescription: 'a duration such as "30s", "2m" or "1h30m"',
  description,
  ...dflt === void 0 ? {} : { default: dflt }
});
var str = (description) => ({ type: "string", description });
var PROVIDER_TYPES = ["prometheus", "influxdb", "datadog"];
var METRIC_TYPES = ["ratio", "latency", "gauge", "threshold"];
var TEMPLATE_NAMES = ["http-error-rate", "http-latency", "pod-restarts"];
var QUERY_VARIABLES = ["selector", "interval", "track", "namespace", "workload"];
var ROUTER_NAMES = ["replicas"];
var provider = {
  type: "object",
  description: "The metrics backend the queries are sent to.",
  required: ["type", "url"],
  additionalProperties: false,
  properties: {
    type: { type: "string", enum: PROVIDER_TYPES, description: "Backend type." },
    url: str("Base URL of the backend API, e.g. http://prometheus:9090 or https://api.datadoghq.com."),
    headers: {
      type: "object",
      description: "Extra HTTP headers sent with every query (use ${VAR} for secrets).",
      additionalProperties: { type: "string" }
    },
    bearerToken: str('Sent as "Authorization: Bearer <token>".'),
    basicAuth: {
      type: "object",
      required: ["username", "password"],
      additionalProperties: false,
      properties: { username: str("User name."), password: str("Password (use ${VAR}).") }
    },
    caFile: str("PEM file with the CA certificates to trust for https URLs."),
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
      default: 3,
      description: "Retries (with exponential back-off) on network errors, 429 and 5xx."
    },
    version: {
      type: "integer",
      enum: [1, 2],
      default: 1,
      description: "influxdb: 1 (InfluxQL) or 2 (Flux)."
    },
    database: str("influxdb 1.x: database name."),
    retentionPolicy: str("influxdb 1.x: retention policy (optional)."),
    org: str("influxdb 2.x: organisation."),
    bucket: str("influxdb 2.x: bucket read by the latency (histogram) query."),
    measurement: {
      type: "string",
      default: "prometheus",
      description: "influxdb: measurement holding the histogram buckets (Telegraf prometheus input: prometheus)."
    },
    token: str("influxdb 2.x: API token (use ${VAR})."),
    site: {
      type: "string",
      default: "datadoghq.com",
      description: "datadog: site (datadoghq.com, datadoghq.eu, us3.datadoghq.com, ...)."
    },
    apiKey: str("datadog: API key (use ${VAR})."),
    applicationKey: str("datadog: application key (use ${VAR}).")
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
    bad: str("ratio: query for bad events per poll window (e.g. 5xx responses)."),
    total: str("ratio: query for all events per poll window."),
    histogram: str("latency: Prometheus histogram base name (without _bucket)."),
    query: str("gauge/threshold: query returning one value per poll window."),
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
      properties: { canary: str("Selector of the canary."), baseline: str("Selector of the baseline.") }
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
      description: "replicas: canary and baseline get replicas in proportion to the step weight beside the stable; the Service spreads requests over all ready pods."
    },
    steps: {
      type: "array",
      minItems: 1,
      items: { type: "number", exclusiveMinimum: 0, maximum: 100 },
      default: [10, 50],
      description: "Traffic weights (percent of the stable) analysed in turn; each step is a full analysis. Increasing."
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
    namespace: str("Kubernetes namespace of the workload ({{namespace}} in queries)."),
    workload: {
      type: "string",
      pattern: "^(deployment/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      patternDescription: "deployment/NAME with a DNS-1123 name",
      description: "The stable workload, deployment/NAME ({{workload}} in queries)."
    },
    image: str(
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
    readyTimeout: duration(
      "How long the canary, the baseline and the promoted stable get to become ready.",
      "5m"
    ),
    analysis
  }
};

// src/config/query-variables.ts
var QUERY_VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
function unknownVariables(query) {
  const known = new Set(QUERY_VARIABLES);
  return [...query.matchAll(QUERY_VARIABLE)].map((m) => m[1] ?? "").filter((name) => !known.has(name));
}

// src/config/templates.ts
var BUILT_IN_TEMPLATES = {
  "http-error-rate": {
    providers: ["prometheus"],
    metric: {
      name: "http-error-rate",
      type: "ratio",
      tolerance: 1.2,
      bad: 'sum(increase(http_requests_total{ {{selector}}, code=~"5.." }[{{interval}}]))',
      total: "sum(increase(http_requests_total{ {{selector}} }[{{interval}}]))"
    }
  },
  "http-latency": {
    providers: ["prometheus"],
    metric: {
      name: "http-latency",
      type: "latency",
      tolerance: 1.2,
      histogram: "http_request_duration_seconds"
    }
  },
  "pod-restarts": {
    providers: ["prometheus"],
    metric: {
      name: "pod-restarts",
      type: "ratio",
      tolerance: 1.2,
      bad: "sum(increase(kube_pod_container_status_restarts_total{ {{selector}} }[{{interval}}]))",
      // pod-time in scrape samples: the same scrape interval on both tracks makes the ratio fair.
      total: "sum(count_over_time(kube_pod_container_status_restarts_total{ {{selector}} }[{{interval}}]))"
    }
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

// src/config/env.ts
var REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
function substituteEnv(document, env) {
  const secrets = /* @__PURE__ */ new Set();
  const walk = (node, path) => {
    if (typeof node === "string") {
      return node.replace(REFERENCE, (match, name) => {
        if (name === void 0) return "${";
        const value = env[name];
        if (value === void 0) {
          throw new ConfigError(path, `environment variable ${name} is not set (referenced as \${${name}})`);
        }
        if (value.length > 0) secrets.add(value);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([key, child]) => [key, walk(child, path ? `${path}.${key}` : key)])
      );
    }
    return node;
  };
  return { value: walk(document, ""), secrets: [...secrets] };
}

// src/config/validate.ts
function validateSchema(schema, value, path = "") {
  const issues = [];
  const add = (message, at = path) => issues.push({ path: at, message });
  if (schema.anyOf && !schema.anyOf.some((option) => validateSchema(option, value, path).length === 0)) {
    add(describeAnyOf(schema.anyOf, value));
    return issues;
  }
  if (schema.type && !hasType(value, schema.type)) {
    add(`expected ${article(schema.type)}, got ${show2(value)}`);
    return issues;
  }
  if (schema.const !== void 0 && value !== schema.const) {
    add(`expected ${JSON.stringify(schema.const)}, got ${show2(value)}`);
  }
  if (schema.enum && !schema.enum.includes(value)) {
    add(`expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${show2(value)}`);
  }
  if (typeof value === "number") checkNumber(schema, value, add);
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    add(`expected ${schema.patternDescription ?? `a string matching ${schema.pattern}`}, got ${show2(value)}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== void 0 && value.length < schema.minItems) {
      add(`expected at least ${schema.minItems} item(s), got ${value.length}`);
    }
    if (schema.items) {
      const items = schema.items;
      value.forEach((item, i) => issues.push(...validateSchema(items, item, `${path}[${i}]`)));
    }
  }
  if (isObject2(value)) issues.push(...checkObject(schema, value, path));
  for (const rule of schema.allOf ?? []) {
    if (rule.if && validateSchema(rule.if, value, path).length > 0) continue;
    if (rule.then) issues.push(...validateSchema(rule.then, value, path));
  }
  return issues;
}
function checkObject(schema, value, path) {
  const issues = [];
  const join = (key) => path ? `${path}.${key}` : key;
  for (const key of schema.required ?? []) {
    if (value[key] === void 0) issues.push({ path: join(key), message: "is required" });
  }
  for (const [key, child] of Object.entries(value)) {
    const known = schema.properties?.[key];
    if (known) {
      issues.push(...validateSchema(known, child, join(key)));
    } else if (schema.additionalProperties === false) {
      const valid = Object.keys(schema.properties ?? {}).join(", ");
      issues.push({ path: join(key), message: `unknown field (valid fields: ${valid})` });
    } else if (typeof schema.additionalProperties === "object") {
      issues.push(...validateSchema(schema.additionalProperties, child, join(key)));
    }
  }
  return issues;
}
function checkNumber(schema, value, add) {
  if (schema.type === "integer" && !Number.isInteger(value)) add(`expected an integer, got ${value}`);
  if (schema.minimum !== void 0 && value < schema.minimum)
    add(`expected a number \u2265 ${schema.minimum}, got ${value}`);
  if (schema.maximum !== void 0 && value > schema.maximum)
    add(`expected a number \u2264 ${schema.maximum}, got ${value}`);
  if (schema.exclusiveMinimum !== void 0 && value <= schema.exclusiveMinimum) {
    add(`expected a number > ${schema.exclusiveMinimum}, got ${value}`);
  }
  if (schema.exclusiveMaximum !== void 0 && value >= schema.exclusiveMaximum) {
    add(`expected a number < ${schema.exclusiveMaximum}, got ${value}`);
  }
}
function describeAnyOf(options, value) {
  const shapes = options.map((option) => {
    if (option.required) return `an object with ${option.required.join(" and ")}`;
    if (option.const !== void 0) return JSON.stringify(option.const);
    return option.type ? article(option.type) : "a matching value";
  });
  return `expected ${shapes.join(" or ")}, got ${show2(value)}`;
}
function hasType(value, type) {
  switch (type) {
    case "object":
      return isObject2(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
function isObject2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function article(type) {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
function show2(value) {
  if (value === void 0) return "nothing";
  const text = isObject2(value) ? "an object" : Array.isArray(value) ? "a list" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// src/config/load.ts
var METRIC_SCHEMA = schemaAt("analysis.metrics").items ?? {};
var PROVIDER_EXTRA_KEYS = [
  "version",
  "database",
  "retentionPolicy",
  "org",
  "bucket",
  "measurement",
  "token",
  "site",
  "apiKey",
  "applicationKey"
];
async function loadConfigFile(file, env) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError("--config", `cannot read ${JSON.stringify(file)}: ${error.message}`, {
      cause: error
    });
  }
  return parseConfig(text, env, file);
}
function parseConfig(text, env, source = "config") {
  let document;
  try {
    document = load(text, { filename: source });
  } catch (error) {
    const reason = error.message.split("\n")[0];
    throw new ConfigError(source, `is not valid YAML: ${reason}`, { cause: error });
  }
  const issues = validateSchema(configSchema, document);
  if (issues.length > 0) {
    const [first] = issues;
    const more = issues.slice(1, 8).map((issue) => `
  ${issue.path}: ${issue.message}`);
    throw new ConfigError(first?.path ?? source, `${first?.message}${more.join("")}`);
  }
  const { value, secrets } = substituteEnv(document, env);
  const raw = withDefaults(configSchema, value);
  const extra = providerExtra(value.analysis.provider);
  try {
    return deepFreeze({
      apiVersion: raw.apiVersion,
      ...raw.namespace === void 0 ? {} : { namespace: raw.namespace },
      ...raw.workload === void 0 ? {} : { workload: raw.workload.replace(/^deployment\//, "") },
      ...raw.image === void 0 ? {} : { image: raw.image },
      ...raw.manifests === void 0 ? {} : { manifests: [raw.manifests].flat() },
      traffic: buildTraffic(raw.traffic),
      lockWaitMs: parseDuration(raw.lockWait, "lockWait"),
      readyTimeoutMs: parseDuration(raw.readyTimeout, "readyTimeout"),
      analysis: buildAnalysis(raw.analysis, extra),
      secrets
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const redactor = new Redactor();
    secrets.forEach((secret) => redactor.add(secret));
    throw new ConfigError(error.path, redactor.redact(error.message.slice(error.path.length + 2)));
  }
}
function buildTraffic(raw) {
  const { steps } = raw;
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    if (previous !== void 0 && step <= previous) {
      throw new ConfigError(
        `traffic.steps[${i}]`,
        `expected increasing weights (after ${previous}), got ${step}`
      );
    }
  });
  return { router: raw.router, steps, baseline: raw.baseline };
}
function buildAnalysis(raw, extra) {
  const provider2 = buildProvider(raw.provider, extra);
  const intervalMs = parseDuration(raw.interval, "analysis.interval");
  const minDurationMs = parseDuration(raw.minDuration, "analysis.minDuration");
  const maxDurationMs = parseDuration(raw.maxDuration, "analysis.maxDuration");
  if (maxDurationMs < intervalMs) {
    throw new ConfigError(
      "analysis.maxDuration",
      `expected at least one interval (${raw.interval}), got ${raw.maxDuration}`
    );
  }
  if (minDurationMs > maxDurationMs) {
    throw new ConfigError(
      "analysis.minDuration",
      `expected at most maxDuration (${raw.maxDuration}), got ${raw.minDuration}`
    );
  }
  const metrics = raw.metrics.map((metric2, i) => buildMetric(metric2, i, provider2.type));
  const seen = /* @__PURE__ */ new Set();
  metrics.forEach((metric2, i) => {
    if (seen.has(metric2.name)) {
      throw new ConfigError(
        `analysis.metrics[${i}].name`,
        `duplicate metric name ${JSON.stringify(metric2.name)}`
      );
    }
    seen.add(metric2.name);
  });
  if (!metrics.some((metric2) => metric2.blocking)) {
    throw new ConfigError(
      "analysis.metrics",
      "expected at least one blocking metric (blocking: true), got none"
    );
  }
  return {
    provider: provider2,
    ...raw.tracks ? { tracks: raw.tracks } : {},
    intervalMs,
    warmupMs: parseDuration(raw.warmup, "analysis.warmup"),
    minDurationMs,
    maxDurationMs,
    alpha: raw.alpha,
    onInconclusive: raw.onInconclusive,
    trafficShare: raw.trafficShare === false ? null : raw.trafficShare,
    aa: raw.aa,
    metrics
  };
}
function providerExtra(written) {
  const extra = {};
  for (const key of PROVIDER_EXTRA_KEYS) {
    const value = written[key];
    if (typeof value === "string" || typeof value === "number") extra[key] = String(value);
  }
  return extra;
}
function buildProvider(raw, extra) {
  try {
    new URL(raw.url);
  } catch {
    throw new ConfigError(
      "analysis.provider.url",
      `expected an absolute http(s) URL, got ${JSON.stringify(raw.url)}`
    );
  }
  if (!/^https?:$/.test(new URL(raw.url).protocol)) {
    throw new ConfigError(
      "analysis.provider.url",
      `expected an http or https URL, got ${JSON.stringify(raw.url)}`
    );
  }
  return {
    type: raw.type,
    url: raw.url,
    headers: raw.headers ?? {},
    ...raw.bearerToken === void 0 ? {} : { bearerToken: raw.bearerToken },
    ...raw.basicAuth === void 0 ? {} : { basicAuth: raw.basicAuth },
    ...raw.caFile === void 0 ? {} : { caFile: raw.caFile },
    insecureSkipVerify: raw.insecureSkipVerify,
    timeoutMs: parseDuration(raw.timeout, "analysis.provider.timeout"),
    retries: raw.retries,
    extra
  };
}
function buildMetric(raw, index, providerType) {
  const path = `analysis.metrics[${index}]`;
  let written = raw;
  if (raw.template !== void 0) {
    const template = BUILT_IN_TEMPLATES[raw.template];
    if (!template)
      throw new ConfigError(`${path}.template`, `unknown template ${JSON.stringify(raw.template)}`);
    if (!template.providers.includes(providerType)) {
      throw new ConfigError(
        `${path}.template`,
        `template ${JSON.stringify(raw.template)} is written for ${template.providers.join(", ")}, not ${providerType}: define the metric's queries yourself`
      );
    }
    written = { ...template.metric, ...raw };
  }
  const merged = withDefaults(METRIC_SCHEMA, written);
  const type = merged.type;
  const name = merged.name;
  if (!type || !name) throw new ConfigError(path, "expected a template or both name and type");
  for (const field of ["bad", "total", "query"]) {
    const query = merged[field];
    if (query === void 0) continue;
    const unknown = unknownVariables(query);
    if (unknown.length > 0) {
      throw new ConfigError(
        `${path}.${field}`,
        `unknown query variable {{${unknown[0]}}} (known: ${QUERY_VARIABLES.map((v) => `{{${v}}}`).join(", ")})`
      );
    }
  }
  if (type === "threshold" && merged.min !== void 0 && merged.max !== void 0 && merged.min > merged.max) {
    throw new ConfigError(`${path}.min`, `expected min \u2264 max (${merged.max}), got ${merged.min}`);
  }
  return {
    name,
    type,
    ...raw.template === void 0 ? {} : { template: raw.template },
    tolerance: merged.tolerance ?? (type === "threshold" ? 1 : DEFAULT_TOLERANCE[type]),
    blocking: merged.blocking ?? type !== "gauge",
    direction: merged.direction,
    failureLimit: merged.failureLimit,
    ...pick(merged, ["bad", "total", "histogram", "query", "min", "max"])
  };
}
function pick(source, keys) {
  const out = {};
  for (const key of keys) if (source[key] !== void 0) out[key] = source[key];
  return out;
}
function deepFreeze(value) {
  if (typeof value === "object" && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export {
  toleranceOf,
  failureLimitOf,
  validateSpec,
  QUERY_VARIABLE,
  defaultRouter,
  defaultDurationMs,
  loadConfigFile
};
