import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  QUERY_VARIABLES,
  configSchema,
  notifySecrets,
  parseNotifyTargets,
  schemaAt,
  withDefaults
} from "./chunk-BZVD2643.js";
import {
  FILE_LIMITS,
  loadYamlChecked,
  readLimited
} from "./chunk-REKH45OT.js";
import {
  ConfigError,
  Redactor,
  parseDuration
} from "./chunk-4WLXK7BF.js";

// src/analysis/spec.ts
var DEFAULT_TOLERANCE = {
  ratio: 1.2,
  latency: 1.2,
  gauge: 1.25
};
var DEFAULT_FAILURE_LIMIT = 1;
function toleranceOf(metric) {
  if (metric.kind === "threshold") return NaN;
  return metric.tolerance ?? DEFAULT_TOLERANCE[metric.kind];
}
function failureLimitOf(metric) {
  return metric.failureLimit ?? DEFAULT_FAILURE_LIMIT;
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
  spec.metrics.forEach((metric, i) => {
    const at = `metrics[${i}]`;
    check(
      typeof metric.name === "string" && metric.name.length > 0,
      `${at}.name`,
      metric.name,
      "a non-empty name"
    );
    check(!names.has(metric.name), `${at}.name`, metric.name, "a name not used by another metric");
    names.add(metric.name);
    check(KINDS.includes(metric.kind), `${at}.kind`, metric.kind, `one of ${KINDS.join(", ")}`);
    if (metric.tolerance !== void 0) {
      check(
        metric.tolerance > 0 && Number.isFinite(metric.tolerance),
        `${at}.tolerance`,
        metric.tolerance,
        "a positive number"
      );
    }
    if (metric.kind === "threshold") {
      check(
        metric.min !== void 0 || metric.max !== void 0,
        `${at}.min`,
        metric.min,
        "min or max (or both) for a threshold metric"
      );
      check(
        metric.min === void 0 || metric.max === void 0 || metric.min <= metric.max,
        `${at}.max`,
        metric.max,
        `a number \u2265 min (${metric.min})`
      );
      const limit = failureLimitOf(metric);
      check(
        Number.isInteger(limit) && limit >= 1,
        `${at}.failureLimit`,
        metric.failureLimit,
        "an integer \u2265 1"
      );
    }
  });
}

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
  if (value === null && schema.nullable) return issues;
  if (schema.anyOf && !schema.anyOf.some((option) => validateSchema(option, value, path).length === 0)) {
    const typed = schema.anyOf.filter((option) => option.type && hasType(value, option.type));
    if (typed.length === 1 && typed[0]) return validateSchema(typed[0], value, path);
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
  if (typeof value === "string" && schema.maxLength !== void 0 && value.length > schema.maxLength) {
    add(`expected at most ${schema.maxLength} characters, got ${value.length}`);
  }
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
  if (isObject(value)) issues.push(...checkObject(schema, value, path));
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
  if (schema.type === "integer" && !Number.isInteger(value)) add(`expected an integer, got ${show2(value)}`);
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
      return isObject(value);
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
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function article(type) {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
function show2(value) {
  if (value === void 0) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? ".nan (not a number)" : `${value < 0 ? "-" : ""}.inf (infinity)`;
  }
  const text = isObject(value) ? "an object" : Array.isArray(value) ? "a list" : JSON.stringify(value);
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
function loadConfigFile(file, env) {
  return Promise.resolve().then(
    () => parseConfig(readLimited(file, FILE_LIMITS.config, "--config"), env, file)
  );
}
function parseConfig(text, env, source = "config") {
  let document;
  try {
    document = loadYamlChecked(text, source, source);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
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
      rollbackDeadlineMs: parseDuration(raw.rollbackDeadline, "rollbackDeadline"),
      apiRetryBudgetMs: parseDuration(raw.apiRetryBudget, "apiRetryBudget"),
      analysis: buildAnalysis(raw.analysis, extra),
      // As written (the schema's item defaults are parseNotifyTargets' own); credentials must be ${VAR}s.
      notify: parseNotifyTargets(value.notify, { substituted: secrets }),
      notifyDeadlineMs: parseDuration(raw.notifyDeadline, "notifyDeadline"),
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
  if (raw.router !== "replicas" && raw.route === void 0) {
    throw new ConfigError(
      "traffic.route",
      `is required by the ${raw.router} router (KIND/NAME, e.g. httproute/web)`
    );
  }
  const { match } = raw;
  if (match && match.exact === void 0 === (match.regex === void 0)) {
    throw new ConfigError(
      "traffic.match",
      `expected exactly one of exact or regex for header ${match.header}`
    );
  }
  return {
    router: raw.router,
    steps,
    baseline: raw.baseline,
    ...raw.route === void 0 ? {} : { route: raw.route },
    ...raw.service === void 0 ? {} : { service: raw.service },
    ...raw.canaryReplicas === void 0 ? {} : { canaryReplicas: raw.canaryReplicas },
    ...match ? { match } : {}
  };
}
function buildAnalysis(raw, extra) {
  const provider = buildProvider(raw.provider, extra);
  const intervalMs = parseDuration(raw.interval, "analysis.interval", { minMs: 1e3 });
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
  const metrics = raw.metrics.map((metric, i) => buildMetric(metric, i, provider.type));
  const seen = /* @__PURE__ */ new Set();
  metrics.forEach((metric, i) => {
    if (seen.has(metric.name)) {
      throw new ConfigError(
        `analysis.metrics[${i}].name`,
        `duplicate metric name ${JSON.stringify(metric.name)}`
      );
    }
    seen.add(metric.name);
  });
  if (!metrics.some((metric) => metric.blocking)) {
    throw new ConfigError(
      "analysis.metrics",
      "expected at least one blocking metric (blocking: true), got none"
    );
  }
  return {
    provider,
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
    ...raw.retries === void 0 ? {} : { retries: raw.retries },
    retryBudgetMs: parseDuration(raw.retryBudget, "analysis.provider.retryBudget"),
    outageMs: parseDuration(raw.outage, "analysis.provider.outage"),
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

// src/config/secrets.ts
function configSecrets(config) {
  const { provider } = config.analysis;
  return [
    ...config.secrets,
    ...notifySecrets(config.notify ?? []),
    ...Object.values(provider.headers),
    provider.bearerToken,
    provider.basicAuth?.password,
    // What goes into the Basic header (base64 of `user:password` is not found by the password's own base64).
    provider.basicAuth ? `${provider.basicAuth.username}:${provider.basicAuth.password}` : void 0,
    provider.extra.token,
    provider.extra.apiKey,
    provider.extra.applicationKey
  ].filter((value) => typeof value === "string" && value.length > 0);
}

// src/cli/config-file.ts
async function loadCommandConfig(file, { env, platform }) {
  const config = await loadConfigFile(file, env);
  configSecrets(config).forEach((secret) => platform.addSecret(secret));
  return config;
}

export {
  QUERY_VARIABLE,
  toleranceOf,
  failureLimitOf,
  validateSpec,
  validateSchema,
  loadCommandConfig
};
