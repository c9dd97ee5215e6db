import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  QUERY_VARIABLE,
  failureLimitOf,
  toleranceOf,
  validateSpec
} from "./chunk-36M6STH4.js";
import {
  createHttpClient,
  createRegistry
} from "./chunk-XMLM5S4J.js";
import {
  formatDuration
} from "./chunk-QFWYWELG.js";
import {
  BackendError,
  ConfigError,
  QueryError
} from "./chunk-XNWF4ENP.js";

// src/metrics/query.ts
var LABEL_VALUES = /* @__PURE__ */ new Set(["track", "namespace", "workload"]);
function renderQuery(query, variables, escape) {
  return query.replace(QUERY_VARIABLE, (_match, name) => {
    const key = name;
    const value = variables[key];
    return LABEL_VALUES.has(key) ? escape(value) : value;
  });
}

// src/metrics/pod-breakdown.ts
var POD_TRACKS = ["canary", "baseline", "stable"];
var podRole = (role) => `${role}.pods`;
function podCounts(results, at, valueAt2) {
  const breakdown = {};
  for (const track2 of POD_TRACKS) {
    const totals = results[podRole(`${track2}.total`)];
    if (!totals) continue;
    const bad = byPod(results[podRole(`${track2}.bad`)] ?? [], at, valueAt2);
    const pods = [...byPod(totals, at, valueAt2)].map(([pod, total]) => ({
      pod,
      total,
      bad: bad.get(pod) ?? 0
    }));
    if (pods.length > 0) breakdown[track2] = pods;
  }
  return Object.keys(breakdown).length > 0 ? breakdown : void 0;
}
function podBuckets(results, at, valueAt2, toBuckets) {
  const breakdown = {};
  for (const track2 of POD_TRACKS) {
    const series = results[podRole(`${track2}.histogram`)];
    if (!series) continue;
    const pods = /* @__PURE__ */ new Map();
    for (const s of series) {
      const pod = s.labels.pod;
      if (pod !== void 0) pods.set(pod, [...pods.get(pod) ?? [], s]);
    }
    const withBuckets = [...pods].map(([pod, list]) => ({ pod, buckets: toBuckets(list, at) })).filter((p) => p.buckets.length > 0);
    if (withBuckets.length > 0) breakdown[track2] = withBuckets;
  }
  return Object.keys(breakdown).length > 0 ? breakdown : void 0;
}
function byPod(series, at, valueAt2) {
  const values = /* @__PURE__ */ new Map();
  for (const s of series) {
    const pod = s.labels.pod;
    const value = valueAt2(s, at);
    if (pod !== void 0 && value !== void 0) values.set(pod, (values.get(pod) ?? 0) + value);
  }
  return values;
}

// src/metrics/collect.ts
function metricQueries(metric, provider, tracks) {
  const queries = {};
  const add = (track2, context, withAggregate) => {
    const render = (query) => renderQuery(query, context.variables, (value) => provider.escapeValue(value));
    const roles = metric.type === "ratio" ? { bad: render(metric.bad ?? ""), total: render(metric.total ?? "") } : metric.type === "latency" ? {
      histogram: provider.histogramQuery(
        metric.histogram ?? "",
        context.selector,
        context.intervalMs
      )
    } : { value: render(metric.query ?? "") };
    for (const [role, query] of Object.entries(roles)) {
      if (withAggregate) queries[`${track2}.${role}`] = query;
      const perPod = metric.type === "ratio" || metric.type === "latency" ? provider.byPod?.(query) : void 0;
      if (perPod) queries[podRole(`${track2}.${role}`)] = perPod;
    }
  };
  add("canary", tracks.canary, true);
  if (metric.type !== "threshold") add("baseline", tracks.baseline, true);
  if (tracks.stable && (metric.type === "ratio" || metric.type === "latency"))
    add("stable", tracks.stable, false);
  return queries;
}
async function measure(metric, provider, tracks, at, stepSeconds, signal) {
  const queries = metricQueries(metric, provider, tracks);
  const results = Object.fromEntries(
    await Promise.all(
      Object.entries(queries).map(async ([role, query]) => {
        try {
          const range = { query, start: at, end: at, stepSeconds, ...signal ? { signal } : {} };
          return [role, await provider.queryRange(range)];
        } catch (error) {
          if (!(error instanceof QueryError)) throw error;
          const message = error.message.slice(0, error.message.lastIndexOf("\n  query: "));
          throw new QueryError(query, `metric ${JSON.stringify(metric.name)} (${role} query): ${message}`, {
            cause: error
          });
        }
      })
    )
  );
  return { ...toObservation(metric, results, at), queries };
}
function toObservation(metric, results, at) {
  const count = (role) => valueAt(results[role] ?? [], at, true);
  const value = (role) => valueAt(results[role] ?? [], at, false);
  const noData = (role) => ({
    observation: { kind: "nodata", reason: `no series for ${role.replace(".", " ")}` }
  });
  switch (metric.type) {
    case "ratio": {
      const canaryTotal = count("canary.total");
      const baselineTotal = count("baseline.total");
      if (canaryTotal === void 0) return noData("canary.total");
      if (baselineTotal === void 0) return noData("baseline.total");
      const pods = podCounts(results, at, (series, t) => valueAt([series], t, true));
      return {
        observation: {
          kind: "ratio",
          canaryBad: count("canary.bad") ?? 0,
          canaryTotal,
          baselineBad: count("baseline.bad") ?? 0,
          baselineTotal,
          ...pods ? { pods } : {}
        },
        traffic: { canary: canaryTotal, baseline: baselineTotal }
      };
    }
    case "latency": {
      const canary = buckets(results["canary.histogram"] ?? [], at);
      const baseline = buckets(results["baseline.histogram"] ?? [], at);
      if (canary.length === 0) return noData("canary.histogram");
      if (baseline.length === 0) return noData("baseline.histogram");
      const requests = (list) => list[list.length - 1]?.count ?? 0;
      const pods = podBuckets(results, at, (series, t) => valueAt([series], t, true), buckets);
      return {
        observation: { kind: "latency", canary, baseline, ...pods ? { pods } : {} },
        traffic: { canary: requests(canary), baseline: requests(baseline) }
      };
    }
    case "gauge": {
      const canary = value("canary.value");
      const baseline = value("baseline.value");
      if (canary === void 0) return noData("canary.value");
      if (baseline === void 0) return noData("baseline.value");
      return { observation: { kind: "gauge", canary, baseline } };
    }
    case "threshold": {
      const canary = value("canary.value");
      if (canary === void 0) return noData("canary.value");
      return { observation: { kind: "threshold", value: canary } };
    }
  }
}
function valueAt(series, at, isCount) {
  let sum;
  for (const s of series) {
    const point = s.points.find(([t]) => t === at) ?? s.points[s.points.length - 1];
    if (point) sum = (sum ?? 0) + (isCount ? Math.max(0, point[1]) : point[1]);
  }
  return sum;
}
function buckets(series, at) {
  const byBound = /* @__PURE__ */ new Map();
  for (const s of series) {
    const le = s.labels.le;
    if (le === void 0) continue;
    const bound = le === "+Inf" || le === "inf" || le === "Inf" ? Infinity : Number(le);
    const value = valueAt([s], at, true);
    if (Number.isNaN(bound) || value === void 0) continue;
    byBound.set(bound, (byBound.get(bound) ?? 0) + value);
  }
  if (!byBound.has(Infinity)) return [];
  return [...byBound.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}

// src/metrics/windows.ts
function stampWindowEnds(series, stepSeconds, start, end) {
  return series.map((s) => ({
    labels: s.labels,
    points: s.points.map(([t, v]) => [t + stepSeconds, v]).filter(([t]) => t >= start && t <= end)
  }));
}

// src/metrics/datadog.ts
var DATADOG_SITES = [
  "datadoghq.com",
  "us3.datadoghq.com",
  "us5.datadoghq.com",
  "datadoghq.eu",
  "ap1.datadoghq.com",
  "ap2.datadoghq.com",
  "ddog-gov.com",
  "us2.ddog-gov.com"
];
function datadogBaseUrl(options) {
  if (options.url) return options.url;
  const site = options.extra.site ?? "datadoghq.com";
  if (!DATADOG_SITES.includes(site)) {
    throw new ConfigError(
      "analysis.provider.site",
      `unknown Datadog site ${JSON.stringify(site)}; expected one of ${DATADOG_SITES.join(", ")}`
    );
  }
  return `https://api.${site}`;
}
function createDatadogProvider(options) {
  const apiKey = options.extra.apiKey;
  const appKey = options.extra.applicationKey;
  if (!apiKey) throw new ConfigError("analysis.provider.apiKey", "is required for Datadog (DD-API-KEY)");
  if (!appKey)
    throw new ConfigError("analysis.provider.applicationKey", "is required for Datadog (DD-APPLICATION-KEY)");
  const http = createHttpClient({
    ...options,
    baseUrl: datadogBaseUrl(options),
    headers: { ...options.headers, "DD-API-KEY": apiKey, "DD-APPLICATION-KEY": appKey }
  });
  return {
    type: "datadog",
    escapeValue: escapeDatadogTagValue,
    histogramQuery: (histogram, selector, intervalMs) => `sum:${histogram}.bucket{${selector}} by {upper_bound}.as_count().rollup(sum, ${intervalMs / 1e3})`,
    defaultSelector: ({ namespace, podPattern }) => `kube_namespace:${escapeDatadogTagValue(namespace)},pod_name:${regexToDatadogWildcard(podPattern)}`,
    async queryRange(range) {
      const response = await http.request({
        method: "GET",
        path: "/api/v1/query",
        params: {
          from: String(Math.floor(range.start - range.stepSeconds)),
          to: String(Math.ceil(range.end)),
          query: range.query
        },
        signal: range.signal,
        query: range.query
      });
      let body;
      try {
        body = JSON.parse(response.text);
      } catch {
        throw new BackendError(`${http.displayUrl}/api/v1/query answered with something that is not JSON`);
      }
      return stampWindowEnds(
        parseDatadogResponse(body, range.query),
        range.stepSeconds,
        range.start,
        range.end
      );
    }
  };
}
function parseDatadogResponse(body, query) {
  if (body.status === "error" || body.error || body.errors && body.errors.length > 0) {
    const text = body.error ?? body.errors?.map(String).join("; ") ?? 'status "error"';
    throw new QueryError(query, `Datadog rejected the query: ${text}`);
  }
  return (body.series ?? []).map((series) => {
    const points = [];
    for (const [ms, value] of series.pointlist ?? []) {
      if (typeof ms === "number" && typeof value === "number" && Number.isFinite(value)) {
        points.push([ms / 1e3, value]);
      }
    }
    return { labels: datadogLabels(series.tag_set, series.scope), points };
  });
}
function datadogLabels(tagSet, scope) {
  const tags = tagSet && tagSet.length > 0 ? tagSet : (scope ?? "").split(",");
  const labels = {};
  for (const tag of tags) {
    const trimmed = tag.trim();
    if (!trimmed || trimmed === "*") continue;
    const colon = trimmed.indexOf(":");
    const key = colon < 0 ? trimmed : trimmed.slice(0, colon);
    labels[key] = colon < 0 ? "" : trimmed.slice(colon + 1);
  }
  if (labels.upper_bound !== void 0 && labels.le === void 0) {
    labels.le = labels.upper_bound === "inf" || labels.upper_bound === "+Inf" ? "+Inf" : labels.upper_bound;
  }
  return labels;
}
function escapeDatadogTagValue(value) {
  return value.toLowerCase().replace(/[^a-z0-9_\-./:]/g, "_");
}
function regexToDatadogWildcard(pattern) {
  const wildcard = pattern.replace(/^\^|\$$/g, "").replace(/\.[*+]/g, "*");
  return wildcard.split("*").map(escapeDatadogTagValue).join("*");
}

// src/metrics/influxdb.ts
var LONG_QUERY_CHARS = 1500;
var FLUX_META_COLUMNS = /* @__PURE__ */ new Set(["", "result", "table", "_start", "_stop", "_time", "_value"]);
function createInfluxDBProvider(options) {
  const version = options.extra.version ?? "1";
  if (version === "1") return influxQLProvider(options);
  if (version === "2") return fluxProvider(options);
  throw new ConfigError("analysis.provider.version", `expected 1 or 2, got ${JSON.stringify(version)}`);
}
function requireKey(options, key, why) {
  const value = options.extra[key];
  if (!value) throw new ConfigError(`analysis.provider.${key}`, `is required ${why}`);
  return value;
}
function influxQLProvider(options) {
  const database = requireKey(options, "database", "for InfluxDB 1.x (the database to query)");
  const measurement = options.extra.measurement ?? "prometheus";
  const http = createHttpClient({ ...options, baseUrl: options.url });
  const fixed = { db: database, epoch: "s" };
  if (options.extra.retentionPolicy) fixed.rp = options.extra.retentionPolicy;
  if (options.extra.username) fixed.u = options.extra.username;
  if (options.extra.password) fixed.p = options.extra.password;
  return {
    type: "influxdb",
    escapeValue: escapeInfluxQLString,
    histogramQuery: (histogram, selector, intervalMs) => `SELECT sum("increase") AS "increase" FROM (SELECT non_negative_difference(last("${histogram}_bucket")) AS "increase" FROM "${measurement}" WHERE $timeFilter AND ${selector} GROUP BY time(${formatDuration(intervalMs)}), *) WHERE $timeFilter GROUP BY time(${formatDuration(intervalMs)}), "le"`,
    defaultSelector: ({ namespace, podPattern }) => `"namespace" = '${escapeInfluxQLString(namespace)}' AND "pod" =~ /^(?:${escapeRegexLiteral(podPattern)})$/`,
    async queryRange(range) {
      const q = expandInfluxQL(range);
      const params = { ...fixed, q };
      const long = q.length > LONG_QUERY_CHARS;
      const response = await http.request({
        method: long ? "POST" : "GET",
        path: "/query",
        ...long ? { form: params } : { params },
        signal: range.signal,
        query: q
      });
      const series = parseInfluxQLResponse(parseJson(http, response.text), q);
      return stampWindowEnds(series, range.stepSeconds, range.start, range.end);
    }
  };
}
function expandInfluxQL(range) {
  const from = Math.floor(range.start - 2 * range.stepSeconds);
  return range.query.replaceAll("$timeFilter", `time >= ${from}s AND time < ${Math.ceil(range.end)}s`).replace(/\$(?:__)?interval\b/g, formatDuration(range.stepSeconds * 1e3));
}
function parseInfluxQLResponse(body, query) {
  if (body.error) throw new QueryError(query, `InfluxDB rejected the query: ${body.error}`);
  const out = [];
  for (const result of body.results ?? []) {
    if (result.error) throw new QueryError(query, `InfluxDB rejected the query: ${result.error}`);
    for (const series of result.series ?? []) {
      const columns = series.columns ?? [];
      const timeIndex = columns.indexOf("time");
      const valueColumns = columns.map((name, index) => ({ name, index })).filter((c) => c.index !== timeIndex);
      for (const column of valueColumns) {
        const labels = { ...series.tags };
        if (valueColumns.length > 1) labels._field = column.name;
        const points = [];
        for (const row of series.values ?? []) {
          const value = row[column.index];
          if (typeof value === "number" && Number.isFinite(value))
            points.push([Number(row[timeIndex]), value]);
        }
        out.push({ labels, points });
      }
    }
  }
  return out;
}
function escapeInfluxQLString(value) {
  return value.replace(/[\\']/g, (c) => `\\${c}`);
}
function escapeRegexLiteral(pattern) {
  return pattern.replace(/\//g, "\\/");
}
function fluxProvider(options) {
  const org = requireKey(options, "org", "for InfluxDB 2.x (organisation name)");
  const token = options.extra.token ?? options.bearerToken;
  const measurement = options.extra.measurement ?? "prometheus";
  const headers = { ...options.headers, ...token ? { Authorization: `Token ${token}` } : {} };
  const http = createHttpClient({ ...options, bearerToken: void 0, headers, baseUrl: options.url });
  return {
    type: "influxdb",
    escapeValue: escapeFluxString,
    histogramQuery: (histogram, selector, intervalMs) => {
      const interval2 = formatDuration(intervalMs);
      const bucket = requireKey(options, "bucket", "for InfluxDB 2.x histogram queries");
      return [
        `from(bucket: "${escapeFluxString(bucket)}")`,
        `  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)`,
        `  |> filter(fn: (r) => r._measurement == "${escapeFluxString(measurement)}" and r._field == "${histogram}_bucket" and ${selector})`,
        `  |> aggregateWindow(every: ${interval2}, fn: last, createEmpty: false)`,
        `  |> difference(nonNegative: true)`,
        `  |> group(columns: ["le"])`,
        `  |> aggregateWindow(every: ${interval2}, fn: sum, createEmpty: false)`
      ].join("\n");
    },
    defaultSelector: ({ namespace, podPattern }) => `r.namespace == "${escapeFluxString(namespace)}" and r.pod =~ /^(?:${escapeRegexLiteral(podPattern)})$/`,
    async queryRange(range) {
      const query = expandFlux(range);
      const response = await http.request({
        method: "POST",
        path: "/api/v2/query",
        params: { org },
        headers: { Accept: "application/csv" },
        body: {
          contentType: "application/json",
          data: JSON.stringify({
            query,
            type: "flux",
            dialect: { header: true, annotations: ["datatype", "group", "default"], delimiter: "," }
          })
        },
        signal: range.signal,
        query
      });
      return parseFluxCsv(response.text, query);
    }
  };
}
function expandFlux(range) {
  const iso = (seconds) => new Date(seconds * 1e3).toISOString();
  return range.query.replaceAll("v.timeRangeStart", iso(range.start - 2 * range.stepSeconds)).replaceAll("v.timeRangeStop", iso(range.end)).replaceAll("v.windowPeriod", formatDuration(range.stepSeconds * 1e3));
}
function escapeFluxString(value) {
  return value.replace(/[\\"]|\$\{/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
}
function parseFluxCsv(text, query) {
  const series = /* @__PURE__ */ new Map();
  let annotations = {};
  let header;
  for (const row of parseCsvRows(text)) {
    if (row.length === 1 && row[0] === "") {
      header = void 0;
      annotations = {};
      continue;
    }
    const first = row[0] ?? "";
    if (first.startsWith("#")) {
      if (header) annotations = {};
      header = void 0;
      annotations[first.slice(1)] = row;
      continue;
    }
    if (!header) {
      header = row;
      continue;
    }
    const record = toRecord(header, row, annotations.default);
    if ("error" in record && header.includes("reference")) {
      throw new QueryError(query, `InfluxDB rejected the query: ${record.error}`);
    }
    const time = Date.parse(record._time ?? "");
    const value = Number(record._value === "" ? NaN : record._value);
    const group = annotations.group;
    const labels = {};
    header.forEach((name, i) => {
      const grouped = group ? group[i] === "true" : !name.startsWith("_") || name === "_field" || name === "_measurement";
      if (grouped && !FLUX_META_COLUMNS.has(name)) labels[name] = record[name] ?? "";
    });
    const key = `${record.result ?? ""}\0${record.table ?? ""}\0${JSON.stringify(labels)}`;
    let entry = series.get(key);
    if (!entry) series.set(key, entry = { labels, points: [] });
    if (Number.isFinite(time) && Number.isFinite(value)) entry.points.push([time / 1e3, value]);
  }
  return [...series.values()];
}
function toRecord(header, row, defaults) {
  const record = {};
  header.forEach((name, i) => {
    const value = row[i] ?? "";
    record[name] = value === "" ? defaults?.[i] ?? "" : value;
  });
  return record;
}
function parseCsvRows(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}
function parseJson(http, text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new BackendError(`${http.displayUrl} answered with something that is not JSON`);
  }
}

// src/metrics/promql-by-pod.ts
function promqlByPod(query) {
  const match = /^\s*sum\s*(?:by\s*\(([^()]*)\)\s*)?\(/.exec(query);
  if (!match) return void 0;
  const open = match[0].length - 1;
  if (closingParen(query, open) !== query.trimEnd().length - 1) return void 0;
  const labels = (match[1] ?? "").split(",").map((label) => label.trim()).filter((label) => label && label !== "pod");
  return `sum by (${["pod", ...labels].join(", ")}) ${query.slice(open).trimEnd()}`;
}
function closingParen(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      const end = skipString(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === "(") {
      depth++;
    } else if (c === ")" && --depth === 0) {
      return i;
    }
  }
  return -1;
}
function skipString(text, start) {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\" && quote !== "`") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

// src/metrics/prometheus.ts
var LONG_QUERY_CHARS2 = 1500;
function createPrometheusProvider(options) {
  const http = createHttpClient({ ...options, baseUrl: options.url });
  return {
    type: "prometheus",
    queryRange: (query) => queryRange(http, query),
    escapeValue: escapePromQLString,
    histogramQuery: (histogram, selector, intervalMs) => `sum by (le) (increase(${histogram}_bucket{${selector}}[${formatDuration(intervalMs)}]))`,
    defaultSelector: ({ namespace, podPattern }) => `namespace="${escapePromQLString(namespace)}", pod=~"${escapePromQLString(podPattern)}"`,
    byPod: promqlByPod,
    identify: (signal) => identify(http, signal)
  };
}
var PROMQL_API = "the base URL of a Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics) answering GET /api/v1/query";
async function identify(http, signal) {
  let response;
  try {
    response = await http.request({ method: "GET", path: "/api/v1/query", params: { query: "1" }, signal });
  } catch (error) {
    if (error instanceof BackendError && /\(HTTP 4\d\d\)/.test(error.message))
      throw new ConfigError("analysis.provider.url", `${error.message}; expected ${PROMQL_API}`);
    throw error;
  }
  let body;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = void 0;
  }
  if (body?.status !== "success" || body.data?.resultType !== "scalar")
    throw new ConfigError(
      "analysis.provider.url",
      `${http.displayUrl} answered GET /api/v1/query?query=1 with ${body ? "JSON that is not a PromQL result" : `${response.contentType || "a body"} that is not JSON`}; expected ${PROMQL_API}`
    );
}
function escapePromQLString(value) {
  return value.replace(/[\\"\n\r\t]/g, (c) => ({ "\n": "\\n", "\r": "\\r", "	": "\\t" })[c] ?? `\\${c}`);
}
async function queryRange(http, range) {
  const params = {
    query: range.query,
    start: String(range.start),
    end: String(range.end),
    step: `${range.stepSeconds}s`
  };
  const long = range.query.length > LONG_QUERY_CHARS2;
  const response = await http.request({
    method: long ? "POST" : "GET",
    path: "/api/v1/query_range",
    ...long ? { form: params } : { params },
    signal: range.signal,
    query: range.query
  });
  let body;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new BackendError(`${http.displayUrl}/api/v1/query_range answered with something that is not JSON`);
  }
  if (body.status !== "success") {
    throw new QueryError(
      range.query,
      `Prometheus rejected the query: ${body.errorType ?? "error"}: ${body.error ?? ""}`
    );
  }
  return parsePrometheusData(body.data);
}
function parsePrometheusData(data) {
  const result = data?.result;
  switch (data?.resultType) {
    case "matrix":
      return asArray(result).map((item) => toSeries(item, item.values ?? []));
    case "vector":
      return asArray(result).map((item) => toSeries(item, [item.value]));
    case "scalar":
      return [toSeries({}, [result])];
    default:
      return [];
  }
}
function toSeries(item, samples) {
  const metric = item.metric ?? {};
  const points = [];
  for (const sample of samples) {
    if (!sample) continue;
    const value = Number(sample[1]);
    if (Number.isFinite(value)) points.push([Number(sample[0]), value]);
  }
  return { labels: { ...metric }, points };
}
function asArray(value) {
  return Array.isArray(value) ? value : [];
}

// src/metrics/registry.ts
var METRICS_PROVIDERS = createRegistry(
  "metrics provider",
  {
    prometheus: createPrometheusProvider,
    influxdb: createInfluxDBProvider,
    datadog: createDatadogProvider
  }
);
var providerTypes = METRICS_PROVIDERS.names;
function createProvider(type, options) {
  return METRICS_PROVIDERS.get(type, "analysis.provider.type")(options);
}

// src/report/progress.ts
var significant = (value) => String(Number(value.toPrecision(3)));
var percent = (rate) => rate === void 0 ? "\u2013" : `${significant(rate * 100)}%`;
var number = (value) => value === void 0 || Number.isNaN(value) ? "\u2013" : !Number.isFinite(value) ? "\u221E" : significant(value);
function describeMetric(m) {
  let values;
  if (m.kind === "threshold") {
    values = `${number(m.canary.value)}${m.failures ? ` (${m.failures} failed)` : ""}`;
  } else if (m.kind === "gauge") {
    values = `${number(m.canary.value)} vs ${number(m.baseline.value)}`;
  } else {
    values = `${percent(m.canary.rate)} vs ${percent(m.baseline.rate)}`;
  }
  const ratio = m.estimate === void 0 || m.kind === "threshold" ? "" : Number.isNaN(m.estimate) ? " ratio n/a" : ` \xD7${number(m.estimate)}${m.bounds ? ` [${number(m.bounds[0])}, ${number(m.bounds[1])}]` : ""}`;
  const evidence = m.kind === "threshold" ? "" : ` e=${number(m.evidence)}/${number(m.threshold)}`;
  return `${m.name} ${values}${ratio}${evidence} ${m.verdict}`;
}
function progressLine(decision, elapsedMs, maxMs) {
  const metrics = decision.metrics.map(describeMetric).join(" | ");
  const tripped = decision.guards.filter((g) => g.tripped).map((g) => ` | guard ${g.name} tripped`);
  return `[${formatDuration(elapsedMs)}/${formatDuration(maxMs)}] ${metrics}${tripped.join("")} \u2192 ${decision.verdict}`;
}

// src/pipeline/analyze.ts
import { setMaxListeners } from "node:events";

// src/analysis/alpha.ts
function consumesAlpha(metric) {
  return metric.blocking && metric.kind !== "threshold";
}
function alphaSpending(spec, steps) {
  const tests = [
    ...spec.metrics.filter(consumesAlpha).map((metric) => metric.name),
    ...spec.trafficShare?.blocking ? ["guard traffic-share"] : []
  ];
  return { total: spec.alpha, perTest: spec.alpha / Math.max(1, tests.length), tests, steps };
}

// src/analysis/format.ts
function num(value, digits = 3) {
  if (value === void 0 || Number.isNaN(value)) return "n/a";
  if (value === Infinity) return "\u221E";
  if (value === -Infinity) return "-\u221E";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e6) return String(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(digits - 1).replace("e+", "e");
  return String(Number(value.toPrecision(digits)));
}
function percent2(rate) {
  if (rate === void 0 || Number.isNaN(rate)) return "n/a";
  return `${num(rate * 100)}%`;
}
function interval(bounds) {
  return bounds ? `[${num(bounds[0])}, ${num(bounds[1])}]` : "[n/a]";
}

// src/analysis/special-functions.ts
var LANCZOS = [
  676.5203681218851,
  -1259.1392167224028,
  771.3234287776531,
  -176.6150291621406,
  12.507343278686905,
  -0.13857109526572012,
  9984369578019572e-21,
  15056327351493116e-23
];
function logGamma(x) {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = 0.9999999999998099;
  for (let i = 0; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i + 1);
  const t = y + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}
function betaContinuedFraction(a, b, x) {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-13) break;
  }
  return h;
}
function logIncompleteBeta(x, a, b) {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return logFront + Math.log(betaContinuedFraction(a, b, x) / a);
  return Math.log1p(-Math.exp(logFront) * (betaContinuedFraction(b, a, 1 - x) / b));
}
function logStudentTCdf(x, dof) {
  const tail = Math.log(0.5) + logIncompleteBeta(dof / (dof + x * x), dof / 2, 0.5);
  return x <= 0 ? tail : Math.log1p(-Math.exp(tail));
}

// src/analysis/gauge-test.ts
var EFFECT_PRIOR_VARIANCE = 1;
function tMixtureEValue(n, omega, g = EFFECT_PRIOR_VARIANCE) {
  if (n < 2 || !Number.isFinite(omega)) return 1;
  const beta = omega / Math.sqrt(n + 1 / g);
  const a = 1 - beta * beta;
  return Math.exp(
    Math.LN2 - 0.5 * Math.log1p(n * g) - n / 2 * Math.log(a) + logStudentTCdf(beta * Math.sqrt(n / a), n)
  );
}
function criticalOmegaSquared(n, threshold, g = EFFECT_PRIOR_VARIANCE) {
  return (n + 1 / g) * (1 - (threshold * threshold * (1 + n * g)) ** (-1 / n));
}
function omegaAt(sums, theta) {
  const s = sums.c - theta * sums.b;
  const q = sums.cc - 2 * theta * sums.cb + theta * theta * sums.bb;
  return q > 0 ? s / Math.sqrt(q) : NaN;
}
function gaugeTest(points, tolerance, direction, threshold) {
  const sums = { n: 0, c: 0, b: 0, cc: 0, bb: 0, cb: 0 };
  const swapped = { n: 0, c: 0, b: 0, cc: 0, bb: 0, cb: 0 };
  const trajectory = [];
  let evidence = 1;
  let maxEvidence = 1;
  for (const point of points) {
    if (!Number.isFinite(point.canary) || !Number.isFinite(point.baseline)) continue;
    const { canary: c, baseline: b } = point;
    sums.n++;
    sums.c += c;
    sums.b += b;
    sums.cc += c * c;
    sums.bb += b * b;
    sums.cb += c * b;
    Object.assign(swapped, { n: sums.n, c: sums.b, b: sums.c, cc: sums.bb, bb: sums.cc, cb: sums.cb });
    evidence = tMixtureEValue(sums.n, omegaAt(direction === "increase" ? sums : swapped, tolerance));
    maxEvidence = Math.max(maxEvidence, evidence);
    trajectory.push({ t: point.t, evidence, canary: c, baseline: b });
  }
  const canaryMean = sums.n > 0 ? sums.c / sums.n : NaN;
  const baselineMean = sums.n > 0 ? sums.b / sums.n : NaN;
  return {
    evidence,
    maxEvidence,
    trajectory,
    samples: sums.n,
    canaryMean,
    baselineMean,
    estimate: meanRatio(sums),
    bounds: ratioBounds(sums, threshold)
  };
}
function meanRatio(sums) {
  if (sums.n === 0) return NaN;
  if (sums.b === 0) return sums.c === 0 ? 1 : Infinity;
  return sums.c / sums.b;
}
function ratioBounds(sums, threshold) {
  if (sums.n < 2 || !(sums.b > 0)) return [0, Infinity];
  const critical = criticalOmegaSquared(sums.n, threshold);
  if (critical >= sums.n) return [0, Infinity];
  const a = sums.b * sums.b - critical * sums.bb;
  const half = sums.c * sums.b - critical * sums.cb;
  const c = sums.c * sums.c - critical * sums.cc;
  const discriminant = half * half - a * c;
  if (a <= 0 || discriminant < 0) return [0, Infinity];
  const root = Math.sqrt(discriminant);
  return [Math.max(0, (half - root) / a), (half + root) / a];
}

// src/analysis/grid.ts
var LOG_TERM_CACHE_SIZE = 4096;
function logTerms(grid, r) {
  let terms = grid.logTermCache.get(r);
  if (!terms) {
    terms = new Float64Array(grid.rho.length);
    for (let j = 0; j < terms.length; j++) terms[j] = Math.log1p(grid.rho[j] * r);
    if (grid.logTermCache.size >= LOG_TERM_CACHE_SIZE) grid.logTermCache.clear();
    grid.logTermCache.set(r, terms);
  }
  return terms;
}
var GRID_HALF_WIDTH = 3;
var GRID_STEPS_PER_SIDE = 60;
var PRIOR_SCALE = 1;
var cache = /* @__PURE__ */ new Map();
function standardGrid(tolerance) {
  let grid = cache.get(tolerance);
  if (!grid) {
    const step = GRID_HALF_WIDTH / GRID_STEPS_PER_SIDE;
    const logRho = Array.from(
      { length: 2 * GRID_STEPS_PER_SIDE + 1 },
      (_, i) => Math.log(tolerance) + (i - GRID_STEPS_PER_SIDE) * step
    );
    const raw = Array.from(
      { length: GRID_STEPS_PER_SIDE },
      (_, i) => Math.exp(-(((i + 1) * step) ** 2) / 2 / PRIOR_SCALE ** 2)
    );
    const total = raw.reduce((sum, w) => sum + w, 0);
    grid = makeGrid(
      logRho.map((l, i) => i === GRID_STEPS_PER_SIDE ? tolerance : Math.exp(l)),
      GRID_STEPS_PER_SIDE,
      raw.map((w) => w / total)
    );
    if (cache.size > 64) cache.clear();
    cache.set(tolerance, grid);
  }
  return grid;
}
function makeGrid(rho, nullIndex, weights) {
  return {
    rho: Float64Array.from(rho),
    logRho: Float64Array.from(rho, Math.log),
    nullIndex,
    weights: Float64Array.from(weights),
    logTermCache: /* @__PURE__ */ new Map()
  };
}

// src/analysis/normal.ts
function erfc(x) {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
  return x >= 0 ? r : 2 - r;
}
function normalSurvival(z) {
  return erfc(z / Math.SQRT2) / 2;
}
var A = [
  -39.69683028665376,
  220.9460984245205,
  -275.9285104469687,
  138.357751867269,
  -30.66479806614716,
  2.506628277459239
];
var B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
var C = [
  -0.007784894002430293,
  -0.3223964580411365,
  -2.400758277161838,
  -2.549732539343734,
  4.374664141464968,
  2.938163982698783
];
var D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
function normalQuantile(p) {
  if (!(p > 0 && p < 1)) return p <= 0 ? -Infinity : Infinity;
  const low = 0.02425;
  const poly = (coefficients, x) => coefficients.reduce((sum, c) => sum * x + c, 0);
  if (p < low || p > 1 - low) {
    const q2 = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const z = poly(C, q2) / (poly(D, q2) * q2 + 1);
    return p < low ? z : -z;
  }
  const q = p - 0.5;
  const r = q * q;
  return poly(A, r) * q / (poly(B, r) * r + 1);
}

// src/analysis/pod-noise.ts
var PLACEMENT_Z = 2.5;
var SPREAD_SIGNIFICANCE = 0.05;
function podSpread(samples) {
  const groups = /* @__PURE__ */ new Map();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value) || !(sample.variance > 0) || !Number.isFinite(sample.variance))
      continue;
    groups.set(sample.group, [...groups.get(sample.group) ?? [], sample]);
  }
  let q = 0;
  let weights = 0;
  let weightsSquaredShare = 0;
  let pods = 0;
  for (const members of groups.values()) {
    const w = members.map((s) => 1 / s.variance);
    const total = w.reduce((sum, x) => sum + x, 0);
    const mean = members.reduce((sum, s, i) => sum + w[i] * s.value, 0) / total;
    members.forEach((s, i) => q += w[i] * (s.value - mean) ** 2);
    weights += total;
    weightsSquaredShare += w.reduce((sum, x) => sum + x * x, 0) / total;
    pods += members.length;
  }
  const dof = pods - groups.size;
  if (dof < 1) return void 0;
  if (q <= chiSquareQuantile(1 - SPREAD_SIGNIFICANCE, dof)) return { sd: 0, pods };
  const variance = (q - dof) / (weights - weightsSquaredShare);
  return { sd: Math.sqrt(Math.max(0, variance)), pods };
}
function chiSquareQuantile(p, dof) {
  const z = normalQuantile(p);
  const a = 2 / (9 * dof);
  return dof * (1 - a + z * Math.sqrt(a)) ** 3;
}
function placementScale(baselineWeights) {
  const total = baselineWeights.reduce((sum, w) => sum + Math.max(0, w), 0);
  if (!(total > 0)) return NaN;
  const squares = baselineWeights.reduce((sum, w) => sum + (Math.max(0, w) / total) ** 2, 0);
  return Math.sqrt(2 * squares);
}
var TRACKS = ["canary", "baseline", "stable"];
var PodTotals = class {
  constructor(empty, add) {
    this.empty = empty;
    this.add = add;
  }
  empty;
  add;
  tracks = {
    canary: /* @__PURE__ */ new Map(),
    baseline: /* @__PURE__ */ new Map(),
    stable: /* @__PURE__ */ new Map()
  };
  addAll(breakdown) {
    if (!breakdown) return;
    for (const track2 of TRACKS) {
      for (const item of breakdown[track2] ?? []) {
        const map = this.tracks[track2];
        let sum = map.get(item.pod);
        if (sum === void 0) {
          sum = this.empty();
          map.set(item.pod, sum);
        }
        this.add(sum, item);
      }
    }
  }
};
var MIN_POD_EVENTS = 10;
function floorFrom(tolerance, spread, scale, toRatio) {
  const shift = PLACEMENT_Z * spread.sd * scale;
  return { tolerance: Math.max(tolerance, Number.isFinite(shift) ? toRatio(shift) : tolerance), spread };
}
var weightsOf = (map) => [...map.values()].map((s) => s.total);
function ratioFloor(totals, tolerance) {
  const samples = [];
  for (const group of ["baseline", "stable"]) {
    for (const { bad, total } of totals.tracks[group].values()) {
      if (bad >= MIN_POD_EVENTS && total > 0) {
        samples.push({ group, value: Math.log(bad / total), variance: 1 / bad });
      }
    }
  }
  const spread = podSpread(samples);
  if (!spread) return void 0;
  const scale = placementScale(weightsOf(totals.tracks.baseline));
  return floorFrom(tolerance, spread, scale, Math.exp);
}
function ratioPodTotals() {
  return new PodTotals(
    () => ({ bad: 0, total: 0 }),
    (sum, item) => {
      sum.bad += Math.max(0, item.bad || 0);
      sum.total += Math.max(0, item.total || 0);
    }
  );
}
var MIN_POD_OBSERVATIONS = 50;
function latencyPodTotals() {
  return new PodTotals(
    () => /* @__PURE__ */ new Map(),
    (sum, item) => {
      for (const { le, count } of item.buckets) sum.set(le, (sum.get(le) ?? 0) + Math.max(0, count || 0));
    }
  );
}
function shareBelow(histogram, le) {
  const total = histogram.get(Infinity) ?? 0;
  const below = histogram.get(le);
  if (!(total > 0) || below === void 0) return void 0;
  const half = 0.5 / total;
  return { share: Math.min(1 - half, Math.max(half, below / total)), total };
}
function pooledBaseline(totals) {
  const pooled = /* @__PURE__ */ new Map();
  for (const histogram of totals.tracks.baseline.values()) {
    for (const [le, count] of histogram) pooled.set(le, (pooled.get(le) ?? 0) + count);
  }
  return pooled;
}
function latencyFloors(totals, tolerance, bounds) {
  const pooled = pooledBaseline(totals);
  const finite = [...pooled.keys()].filter((le) => Number.isFinite(le));
  const reference = finite.reduce((best, le) => {
    const distance = Math.abs((shareBelow(pooled, le)?.share ?? 0) - 0.5);
    return best === void 0 || distance < best.distance ? { le, distance } : best;
  }, void 0);
  if (!reference) return void 0;
  const samples = [];
  for (const group of ["baseline", "stable"]) {
    for (const histogram of totals.tracks[group].values()) {
      const below = shareBelow(histogram, reference.le);
      if (!below || below.total < MIN_POD_OBSERVATIONS) continue;
      const z = normalQuantile(below.share);
      const density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
      samples.push({
        group,
        value: z,
        variance: below.share * (1 - below.share) / (below.total * density * density)
      });
    }
  }
  const spread = podSpread(samples);
  if (!spread) return void 0;
  const total = (map) => [...map.values()].map((h) => h.get(Infinity) ?? 0);
  const scale = placementScale(total(totals.tracks.baseline));
  const floors = bounds.map((bound) => {
    const below = shareBelow(pooled, bound);
    if (!below) return tolerance;
    const z = normalQuantile(below.share);
    return floorFrom(tolerance, spread, scale, (shift) => normalSurvival(z - shift) / normalSurvival(z)).tolerance;
  });
  return { floors, spread };
}

// src/analysis/dispersion.ts
var PRIOR_CV = 0.3;
var PRIOR_WEIGHT = 3;
var PRIOR_POLLS = 8;
var INFLATION = 1;
var SHRINK = 0.5;
var DispersionTracker = class {
  /**
   * `differences` (metrics): blind to noise that persists from poll to poll, but a real change of the ratio
   * mid-run is not taken for noise. `pooled` (the traffic-share guard): a share that wanders for minutes (a heavy
   * keep-alive client stuck to one pod) counts as noise, and a steady wrong split still shows.
   */
  constructor(mode = "differences") {
    this.mode = mode;
  }
  mode;
  seen = [];
  canaryBad = 0;
  weightedBaselineBad = 0;
  exposures = 0;
  /** φ for a poll with `bad` events at exposure ratio `exposure`, from the polls added so far. */
  factor(bad, exposure) {
    const theta = this.pooledRatio(exposure);
    const share = (r) => theta * r / (1 + theta * r);
    const binomialVariance = (n, r) => n * share(r) * (1 - share(r));
    const h = binomialVariance(bad, exposure);
    const { squares, weight, units, freedom } = this.residuals(share, binomialVariance);
    const prior = 1 + PRIOR_WEIGHT * 2 * PRIOR_CV * PRIOR_CV * h * Math.max(0, 1 - freedom / PRIOR_POLLS);
    if (freedom === 0 || !(weight > 0)) return Math.max(1, prior);
    const standardError = Math.sqrt(2 / freedom) * squares / weight;
    const kappa = Math.max(0, (squares - units) / weight - SHRINK * standardError);
    const measured = (1 + kappa * h) * (1 + INFLATION / freedom ** 1.5);
    return Math.max(1, measured, prior);
  }
  /**
   * The squared standardised residuals z = (x_c − n·p̂)/√(n·p̂·q̂) of the polls so far, as "squares ≈ units + κ·weight"
   * with `freedom` degrees of freedom: of consecutive differences (E[(z_i − z_{i−1})²] = φ_i + φ_{i−1}), or of the
   * residuals themselves around the pooled ratio (E[Σz²] ≈ (m − 1)/m·Σφ_i).
   */
  residuals(share, variance) {
    const z = this.seen.map((point) => {
      const v = variance(point.bad, point.exposure);
      return { z: (point.canaryBad - point.bad * share(point.exposure)) / Math.sqrt(v), v };
    });
    if (this.mode === "pooled") {
      const m = z.length;
      const freedom2 = Math.max(0, m - 1);
      const raw = z.reduce((sum, p) => sum + p.z * p.z, 0);
      const weight2 = z.reduce((sum, p) => sum + p.v, 0);
      return { squares: freedom2 > 0 ? raw * m / freedom2 : 0, weight: weight2, units: m, freedom: freedom2 };
    }
    let squares = 0;
    let weight = 0;
    for (let i = 1; i < z.length; i++) {
      squares += (z[i].z - z[i - 1].z) ** 2;
      weight += z[i].v + z[i - 1].v;
    }
    const freedom = Math.max(0, z.length - 1);
    return { squares, weight, units: 2 * freedom, freedom };
  }
  /** Records a poll with bad events (polls without any say nothing about dispersion). */
  add(canaryBad, bad, exposure) {
    if (!(bad > 0) || !(exposure > 0)) return;
    this.seen.push({ canaryBad, bad, exposure });
    this.canaryBad += canaryBad;
    this.weightedBaselineBad += (bad - canaryBad) * exposure;
    this.exposures += exposure;
  }
  /**
   * Canary÷baseline rate ratio over the polls so far, in exposure units, with half an event added to each side
   * (never 0 or ∞; the baseline's half scaled by the mean exposure, so scaling every exposure scales only θ).
   */
  pooledRatio(current) {
    const meanExposure = this.seen.length > 0 ? this.exposures / this.seen.length : current;
    return (this.canaryBad + 0.5) / (this.weightedBaselineBad + 0.5 * meanExposure);
  }
};

// src/analysis/mixture.ts
function mixtureEValue(logLik, index, weights, side2) {
  const base = logLik[index] ?? 0;
  const direction = side2 === "above" ? 1 : -1;
  const reach = side2 === "above" ? logLik.length - 1 - index : index;
  const count = Math.min(weights.length, reach);
  let sum = 0;
  let previous = -Infinity;
  let peak = -Infinity;
  for (let d = 1; d <= count; d++) {
    const exponent = (logLik[index + direction * d] ?? 0) - base;
    if (exponent < previous && exponent < Math.max(peak, 0) - NEGLIGIBLE) break;
    sum += (weights[d - 1] ?? 0) * Math.exp(exponent);
    previous = exponent;
    if (exponent > peak) peak = exponent;
  }
  return sum;
}
var NEGLIGIBLE = 40;
function twoSidedEValue(logLik, index, weights) {
  return (mixtureEValue(logLik, index, weights, "above") + mixtureEValue(logLik, index, weights, "below")) / 2;
}
function confidenceBounds(logLik, grid, threshold) {
  let top = 0;
  for (let i = 1; i < logLik.length; i++) if ((logLik[i] ?? 0) > (logLik[top] ?? 0)) top = i;
  const rejected = (i) => twoSidedEValue(logLik, i, grid.weights) >= threshold;
  const last = logLik.length - 1;
  let upper = Infinity;
  if (top < last && rejected(last)) {
    let inside = top;
    let outside = last;
    while (outside - inside > 1) {
      const mid = inside + outside >> 1;
      if (rejected(mid)) outside = mid;
      else inside = mid;
    }
    upper = grid.rho[outside] ?? Infinity;
  }
  let lower = 0;
  if (top > 0 && rejected(0)) {
    let inside = top;
    let outside = 0;
    while (inside - outside > 1) {
      const mid = inside + outside >> 1;
      if (rejected(mid)) outside = mid;
      else inside = mid;
    }
    lower = grid.rho[outside] ?? 0;
  }
  return [lower, upper];
}

// src/analysis/ratio-test.ts
var DETECTION_POWER = 0.8;
var clamp = (value) => Number.isFinite(value) && value > 0 ? value : 0;
function ratioTest(points, grid, threshold, options = {}) {
  const size = grid.rho.length;
  const nul = grid.nullIndex;
  const tracker = options.dispersion === false ? void 0 : new DispersionTracker();
  const logLik = new Float64Array(size);
  const canary = { bad: 0, total: 0 };
  const baseline = { bad: 0, total: 0 };
  const trajectory = [];
  const exposures = [];
  let exposurePolls = 0;
  let informativePolls = 0;
  let baselineMissingPolls = 0;
  let evidence = 1;
  let maxEvidence = 1;
  let dispersion = 1;
  let allowanceWeight = 0;
  let logAllowanceSum = 0;
  for (const point of points) {
    const xc = clamp(point.canaryBad);
    const nc = clamp(point.canaryTotal);
    const xb = clamp(point.baselineBad);
    const nb = clamp(point.baselineTotal);
    const step = { t: point.t, evidence };
    if (nc > 0 && nb > 0) {
      exposurePolls++;
      canary.bad += xc;
      canary.total += nc;
      baseline.bad += xb;
      baseline.total += nb;
      const allowance2 = point.allowance !== void 0 && point.allowance > 1 ? point.allowance : 1;
      const r = allowance2 * nc / nb;
      const n = xc + xb;
      const phi = tracker ? tracker.factor(n, r) : 1;
      exposures.push({ canaryTotal: nc, baselineTotal: nb, r, dispersion: phi });
      if (n > 0) {
        informativePolls++;
        dispersion = phi;
        const terms = logTerms(grid, r);
        for (let j = 0; j < size; j++) logLik[j] += (xc * grid.logRho[j] - n * terms[j]) / phi;
        tracker?.add(xc, n, r);
        const p = grid.rho[nul] * r / (1 + grid.rho[nul] * r);
        const information = n * p * (1 - p) / phi;
        allowanceWeight += information;
        logAllowanceSum += information * Math.log(allowance2);
        if (phi > 1) step.dispersion = phi;
      }
      evidence = mixtureEValue(logLik, nul, grid.weights, "above");
      maxEvidence = Math.max(maxEvidence, evidence);
      step.evidence = evidence;
    } else if (nc > 0) {
      baselineMissingPolls++;
    }
    if (nc > 0) step.canary = xc / nc;
    if (nb > 0) step.baseline = xb / nb;
    trajectory.push(step);
  }
  const allowance = allowanceWeight > 0 ? Math.exp(logAllowanceSum / allowanceWeight) : 1;
  const mde = options.detectableEffect ? minimumDetectableEffect(canary, baseline, exposures, grid, threshold) : void 0;
  const bounds = exposurePolls > 0 ? confidenceBounds(logLik, grid, threshold) : [0, Infinity];
  return {
    evidence,
    maxEvidence,
    trajectory,
    canary,
    baseline,
    estimate: pooledRatio(canary, baseline),
    bounds: [bounds[0] * allowance, bounds[1] * allowance],
    allowance,
    ...mde === void 0 ? {} : { minimumDetectableEffect: mde * allowance },
    dispersion,
    exposurePolls,
    informativePolls,
    baselineMissingPolls
  };
}
function pooledRatio(canary, baseline) {
  if (canary.total === 0 || baseline.total === 0) return NaN;
  if (baseline.bad === 0) return canary.bad === 0 ? 1 : Infinity;
  return canary.bad / canary.total / (baseline.bad / baseline.total);
}
function minimumDetectableEffect(canary, baseline, exposures, grid, threshold) {
  if (exposures.length === 0) return void 0;
  const q = baseline.bad > 0 ? baseline.bad / baseline.total : canary.bad > 0 ? (canary.bad + baseline.bad) / (canary.total + baseline.total) : Math.log(threshold) / baseline.total;
  if (!(q > 0)) return void 0;
  const { rho, logRho, nullIndex: nul, weights } = grid;
  const last = rho.length - 1;
  const logTau = logRho[nul];
  const offsets = new Float64Array(rho.length);
  const expected = new Float64Array(rho.length);
  const power = (alternative) => {
    offsets.fill(0);
    let mean = 0;
    let variance = 0;
    for (const e of exposures) {
      const n = q * (alternative * e.r * e.baselineTotal + e.baselineTotal);
      const p = alternative * e.r / (1 + alternative * e.r);
      mean += n * p / e.dispersion;
      variance += n * p * (1 - p) / e.dispersion;
      const terms = logTerms(grid, e.r);
      for (let j = nul; j <= last; j++) offsets[j] += n * (terms[j] - terms[nul]) / e.dispersion;
    }
    const evidenceAt = (y) => {
      for (let j = nul; j <= last; j++) expected[j] = y * (logRho[j] - logTau) - offsets[j];
      return mixtureEValue(expected, nul, weights, "above");
    };
    let low = 0;
    let high = Math.max(1, mean + 10 * Math.sqrt(variance) + 10);
    if (evidenceAt(high) < threshold) return 0;
    for (let i = 0; i < 50 && high - low > 1e-6 * high; i++) {
      const mid = (low + high) / 2;
      if (evidenceAt(mid) >= threshold) high = mid;
      else low = mid;
    }
    return variance > 0 ? normalSurvival((high - mean) / Math.sqrt(variance)) : 0;
  };
  if (nul >= last || power(rho[last]) < DETECTION_POWER) return Infinity;
  let below = nul;
  let reaches = last;
  while (reaches - below > 1) {
    const mid = below + reaches >> 1;
    if (power(rho[mid]) >= DETECTION_POWER) reaches = mid;
    else below = mid;
  }
  return rho[reaches];
}

// src/analysis/series.ts
function collect(polls, name, kind) {
  const collected = { points: [], noDataPolls: 0 };
  for (const poll of polls) {
    const observation = poll.observations[name];
    if (observation?.kind === kind) {
      collected.points.push({ t: poll.t, observation });
      continue;
    }
    collected.noDataPolls++;
    if (!observation) collected.noDataReason = "the poll had no observation for it";
    else if (observation.kind === "nodata") collected.noDataReason = observation.reason;
    else collected.noDataReason = `got a ${observation.kind} observation for a ${kind} metric`;
  }
  return collected;
}
function describeNoData(collected) {
  const reason = collected.noDataReason ? ` (last: ${collected.noDataReason})` : "";
  return `no observations in ${collected.noDataPolls} poll${collected.noDataPolls === 1 ? "" : "s"}${reason}`;
}

// src/analysis/ratio-metric.ts
var DETECTABLE_FACTOR = 2;
function assessRatio(metric, polls, { threshold, final }) {
  const tolerance = toleranceOf(metric);
  const collected = collect(polls, metric.name, "ratio");
  const { points, floor } = withPodFloor(collected.points, tolerance);
  const outcome = ratioTest(points, standardGrid(tolerance), threshold, { detectableEffect: final });
  const noData = outcome.exposurePolls === 0;
  const tested = tolerance * outcome.allowance;
  const quiet = noBadEvents(outcome);
  return {
    result: {
      ...ratioResultFields(metric, outcome, threshold),
      ...floorFields(floor),
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls
    },
    failed: outcome.maxEvidence >= threshold,
    noData,
    withinTolerance: !noData && outcome.bounds[1] < tested,
    ...quiet ? {} : undetectable(outcome, tested),
    summary: describeRatio(outcome, tested, threshold) + describeFloor(floor, tolerance),
    failNote: () => describeCrossing(outcome.trajectory, threshold),
    passNote: () => `upper bound ${num(outcome.bounds[1])} < tolerance ${num(tested)}`,
    finalNote: () => finalNote(outcome, threshold),
    noDataNote: () => collected.points.length === 0 ? describeNoData(collected) : describeMissingTraffic(collected.points.map((point) => point.observation))
  };
}
function withPodFloor(collected, tolerance) {
  const totals = ratioPodTotals();
  let floor;
  const points = collected.map(({ t, observation: o }) => {
    const point = {
      t,
      canaryBad: o.canaryBad,
      canaryTotal: o.canaryTotal,
      baselineBad: o.baselineBad,
      baselineTotal: o.baselineTotal
    };
    floor = ratioFloor(totals, tolerance) ?? floor;
    if (floor) point.allowance = floor.tolerance / tolerance;
    totals.addAll(o.pods);
    return point;
  });
  return floor ? { points, floor } : { points };
}
function noBadEvents(outcome) {
  return outcome.exposurePolls > 0 && outcome.canary.bad === 0 && outcome.baseline.bad === 0;
}
function zeroEventRateBound(total, threshold) {
  return total > 0 ? Math.min(1, Math.log(threshold) / total) : 1;
}
function finalNote(outcome, threshold) {
  if (noBadEvents(outcome)) {
    return `no bad events on either track (canary 0/${num(outcome.canary.total)}, baseline 0/${num(outcome.baseline.total)}): the canary's rate is below ${percent2(zeroEventRateBound(outcome.canary.total, threshold))}; no ratio can be estimated`;
  }
  return Number.isFinite(outcome.bounds[1]) ? `no evidence of harm; compatible with ratios up to ${num(outcome.bounds[1])}` : "no evidence of harm, but no upper bound on the ratio either";
}
function floorFields(floor) {
  return floor ? { effectiveTolerance: floor.tolerance, podSpread: { ...floor.spread } } : {};
}
function describeFloor(floor, tolerance) {
  if (!floor) return "";
  const raised = floor.tolerance > tolerance;
  return `; pod-to-pod spread ${num(floor.spread.sd)} over ${floor.spread.pods} stable pod(s)` + (raised ? `: tolerance raised from ${num(tolerance)} to ${num(floor.tolerance)}` : `, tolerance kept`);
}
function ratioResultFields(metric, outcome, threshold) {
  return {
    name: metric.name,
    kind: metric.kind,
    blocking: metric.blocking,
    canary: track(outcome.canary, threshold),
    baseline: track(outcome.baseline, threshold),
    estimate: outcome.estimate,
    bounds: outcome.bounds,
    evidence: outcome.evidence,
    threshold,
    trajectory: outcome.trajectory,
    ...outcome.dispersion > 1 ? { dispersion: outcome.dispersion } : {},
    ...outcome.minimumDetectableEffect === void 0 ? {} : { minimumDetectableEffect: outcome.minimumDetectableEffect }
  };
}
function track(counts, threshold) {
  return {
    bad: counts.bad,
    total: counts.total,
    ...counts.total > 0 ? { rate: counts.bad / counts.total } : {},
    ...counts.total > 0 && counts.bad === 0 ? { rateUpper: zeroEventRateBound(counts.total, threshold) } : {}
  };
}
function undetectable(outcome, tolerance) {
  const mde = outcome.minimumDetectableEffect;
  if (mde === void 0 || mde <= DETECTABLE_FACTOR * tolerance) return {};
  return {
    undetectable: `too little traffic: the smallest ratio it would detect with 80% power is ${num(mde)}, above ${DETECTABLE_FACTOR}\xD7tolerance (${num(DETECTABLE_FACTOR * tolerance)}), after ${num(outcome.canary.total)} canary and ${num(outcome.baseline.total)} baseline events`
  };
}
function describeRatio(outcome, tolerance, threshold) {
  const { canary, baseline } = outcome;
  const rate = (c) => `${percent2(c.total > 0 ? c.bad / c.total : void 0)} (${num(c.bad)}/${num(c.total)})`;
  const notes = [];
  if (canary.total > 0 && baseline.total > 0 && canary.bad === 0 && baseline.bad === 0) {
    notes.push("no bad events on either track");
  } else if (baseline.bad === 0 && canary.bad > 0) {
    notes.push("the baseline had no bad events, so the ratio is \u221E");
  }
  if (outcome.baselineMissingPolls > 0) {
    notes.push(
      `the baseline had no traffic in ${outcome.baselineMissingPolls} poll(s) where the canary had some`
    );
  }
  if (outcome.exposurePolls === 0) {
    return `canary ${rate(canary)} vs baseline ${rate(baseline)}; no poll had traffic on both tracks yet`;
  }
  return `canary ${rate(canary)} vs baseline ${rate(baseline)}; ratio ${num(outcome.estimate)}, bounds ${interval(outcome.bounds)}, tolerance ${num(tolerance)}` + (threshold === void 0 ? "" : `; e-value ${num(outcome.evidence)} (fails at ${num(threshold)})`) + (outcome.dispersion > 1 ? `; evidence tempered for noise (dispersion ${num(outcome.dispersion)})` : "") + notes.map((note) => `; ${note}`).join("");
}
function describeCrossing(trajectory, threshold) {
  const crossing = trajectory.find((point) => point.evidence >= threshold);
  return crossing ? `e-value ${num(crossing.evidence)} reached ${num(threshold)} at t=${num(crossing.t)}s` : `e-value stayed below ${num(threshold)}`;
}
function describeMissingTraffic(observations) {
  const sum = (pick) => observations.reduce((total, o) => total + Math.max(0, pick(o) || 0), 0);
  return `no poll where both tracks had traffic (${observations.length} poll(s) with observations: canary total ${num(sum((o) => o.canaryTotal))}, baseline total ${num(sum((o) => o.baselineTotal))})`;
}

// src/analysis/gauge-metric.ts
function assessGauge(metric, polls, { threshold }) {
  const tolerance = toleranceOf(metric);
  const direction = metric.direction ?? "increase";
  const collected = collect(polls, metric.name, "gauge");
  const outcome = gaugeTest(
    collected.points.map(({ t, observation }) => ({
      t,
      canary: observation.canary,
      baseline: observation.baseline
    })),
    tolerance,
    direction,
    threshold
  );
  const noData = outcome.samples === 0;
  const [lower, upper] = outcome.bounds;
  const withinTolerance = outcome.samples >= 2 && (direction === "increase" ? upper < tolerance : lower > 1 / tolerance);
  const limit = direction === "increase" ? `\u2264 ${num(tolerance)}` : `\u2265 1/${num(tolerance)} = ${num(1 / tolerance)}`;
  return {
    result: {
      name: metric.name,
      kind: metric.kind,
      blocking: metric.blocking,
      canary: Number.isNaN(outcome.canaryMean) ? {} : { value: outcome.canaryMean },
      baseline: Number.isNaN(outcome.baselineMean) ? {} : { value: outcome.baselineMean },
      ...noData ? {} : { estimate: outcome.estimate },
      bounds: outcome.bounds,
      evidence: outcome.evidence,
      threshold,
      trajectory: outcome.trajectory,
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls
    },
    failed: outcome.maxEvidence >= threshold,
    noData,
    withinTolerance,
    summary: `mean canary ${num(outcome.canaryMean)} vs baseline ${num(outcome.baselineMean)} over ${outcome.samples} paired poll(s); ratio ${num(outcome.estimate)}, bounds ${interval(outcome.bounds)}, acceptable ${limit} (harmful direction: ${direction}); e-value ${num(outcome.evidence)} (fails at ${num(threshold)})`,
    failNote: () => describeCrossing(outcome.trajectory, threshold),
    passNote: () => direction === "increase" ? `upper bound ${num(upper)} < tolerance ${num(tolerance)}` : `lower bound ${num(lower)} > 1/tolerance ${num(1 / tolerance)}`,
    finalNote: () => direction === "increase" ? `no evidence of harm; compatible with ratios up to ${num(upper)}` : `no evidence of harm; compatible with ratios down to ${num(lower)}`,
    noDataNote: () => describeNoData(collected)
  };
}

// src/analysis/guards.ts
var SHARE_ALTERNATIVES = 40;
function trafficShareGuard(share, polls, threshold) {
  const blocking = share.blocking === true;
  const sides = [share.expected + share.tolerance, share.expected - share.tolerance].map((edge, i) => side(edge, i === 0 ? "above" : "below")).filter((s) => s !== void 0);
  const logLik = sides.map(() => new Float64Array(SHARE_ALTERNATIVES + 1));
  const dispersion = new DispersionTracker("pooled");
  let canary = 0;
  let baseline = 0;
  let evidence = 1;
  let maxEvidence = 1;
  let crossedAt;
  for (const poll of polls) {
    if (!poll.traffic) continue;
    const c = Math.max(0, poll.traffic.canary || 0);
    const b = Math.max(0, poll.traffic.baseline || 0);
    if (c + b === 0) continue;
    canary += c;
    baseline += b;
    const phi = dispersion.factor(c + b, 1);
    dispersion.add(c, c + b, 1);
    sides.forEach((s, i) => {
      for (let j = 0; j < SHARE_ALTERNATIVES; j++) {
        logLik[i][j + 1] += (c * s.canaryLogRatio[j] + b * s.baselineLogRatio[j]) / phi;
      }
    });
    evidence = sides.reduce((sum, _, i) => sum + mixtureEValue(logLik[i], 0, SHARE_WEIGHTS, "above"), 0) / sides.length;
    if (evidence > maxEvidence) maxEvidence = evidence;
    if (crossedAt === void 0 && evidence >= threshold) crossedAt = poll.t;
  }
  const expected = `expected ${percent2(share.expected)} \xB1 ${percent2(share.tolerance)}`;
  const role = blocking ? "" : " (advisory: set trafficShare.blocking to fail on it)";
  if (canary + baseline === 0) {
    return {
      name: "traffic-share",
      tripped: false,
      blocking,
      evidence,
      reason: `no traffic counts yet (${expected})${role}`
    };
  }
  const observed = `canary share ${percent2(canary / (canary + baseline))} of ${num(canary + baseline)} requests, ${expected}`;
  return {
    name: "traffic-share",
    tripped: maxEvidence >= threshold,
    blocking,
    evidence,
    reason: crossedAt === void 0 ? `${observed}; e-value ${num(evidence)} (trips at ${num(threshold)})${role}` : `broken routing? ${observed}; e-value reached ${num(threshold)} at t=${num(crossedAt)}s${role}`
  };
}
var sideCache = /* @__PURE__ */ new Map();
var SHARE_WEIGHTS = new Float64Array(SHARE_ALTERNATIVES).fill(1 / SHARE_ALTERNATIVES);
function side(edge, direction) {
  if (edge <= 0 || edge >= 1) return void 0;
  const key = `${direction}${edge}`;
  let cached = sideCache.get(key);
  if (!cached) {
    cached = {
      canaryLogRatio: new Float64Array(SHARE_ALTERNATIVES),
      baselineLogRatio: new Float64Array(SHARE_ALTERNATIVES)
    };
    for (let j = 0; j < SHARE_ALTERNATIVES; j++) {
      const step = (j + 1) / (SHARE_ALTERNATIVES + 1);
      const alternative = direction === "above" ? edge + (1 - edge) * step : edge * (1 - step);
      cached.canaryLogRatio[j] = Math.log(alternative / edge);
      cached.baselineLogRatio[j] = Math.log((1 - alternative) / (1 - edge));
    }
    if (sideCache.size > 64) sideCache.clear();
    sideCache.set(key, cached);
  }
  return cached;
}
function restartsGuard(polls) {
  const withRestarts = polls.filter((poll) => poll.restarts);
  if (withRestarts.length === 0) return void 0;
  const trip = withRestarts.find((poll) => poll.restarts.canary > 0 && poll.restarts.baseline === 0);
  const last = withRestarts.at(-1).restarts;
  return {
    name: "restarts",
    tripped: trip !== void 0,
    blocking: true,
    reason: trip ? `canary restarted ${num(trip.restarts.canary)} time(s) by t=${num(trip.t)}s while the baseline had no restarts` : `restarts so far: canary ${num(last.canary)}, baseline ${num(last.baseline)}`
  };
}
function evaluateGuards(spec, polls, threshold) {
  const guards = [];
  if (spec.trafficShare) guards.push(trafficShareGuard(spec.trafficShare, polls, threshold));
  const restarts = restartsGuard(polls);
  if (restarts) guards.push(restarts);
  return guards;
}

// src/analysis/latency.ts
var LATENCY_QUANTILES = [0.5, 0.9, 0.99];
var MIN_BASELINE_OBSERVATIONS = 100;
var MIN_SLOWER_OBSERVATIONS = 5;
function bucketCount(buckets2, le) {
  for (const bucket of buckets2) {
    if (bucket.le === le || Number.isFinite(le) && Math.abs(bucket.le - le) <= 1e-9 * le)
      return bucket.count;
  }
  return void 0;
}
function chooseBounds(accumulated) {
  const total = bucketCount(accumulated, Infinity) ?? 0;
  const sorted = accumulated.filter((bucket) => Number.isFinite(bucket.le)).sort((a, b) => a.le - b.le);
  if (total <= 0 || sorted.length === 0) return [];
  const exceeded = sorted.filter((bucket) => total - bucket.count >= MIN_SLOWER_OBSERVATIONS);
  const finite = exceeded.length > 0 ? exceeded : sorted.slice(0, 1);
  const bounds = /* @__PURE__ */ new Set();
  for (const quantile of LATENCY_QUANTILES) {
    const above = finite.findIndex((bucket) => bucket.count >= quantile * total);
    const below = (above < 0 ? finite.length : above) - 1;
    const candidates = [finite[below], finite[above]].filter((bucket) => bucket !== void 0);
    const nearest = candidates.reduce(
      (best, bucket) => best === void 0 || Math.abs(bucket.count / total - quantile) < Math.abs(best.count / total - quantile) ? bucket : best,
      void 0
    );
    if (nearest) bounds.add(nearest.le);
  }
  return [...bounds].sort((a, b) => a - b);
}
function latencyTest(points, tolerance, threshold, detectableEffect = false) {
  const accumulated = /* @__PURE__ */ new Map();
  let chosen = -1;
  let bounds = [];
  for (let i = 0; i < points.length && chosen < 0; i++) {
    for (const bucket of points[i].baseline) {
      accumulated.set(bucket.le, (accumulated.get(bucket.le) ?? 0) + Math.max(0, bucket.count || 0));
    }
    if ((accumulated.get(Infinity) ?? 0) >= MIN_BASELINE_OBSERVATIONS) {
      chosen = i;
      bounds = chooseBounds([...accumulated].map(([le, count]) => ({ le, count })));
    }
  }
  const baselineObservations = accumulated.get(Infinity) ?? 0;
  const tested = chosen < 0 ? [] : points.slice(chosen + 1);
  const perBoundThreshold = threshold * Math.max(1, bounds.length);
  const grid = standardGrid(tolerance);
  const { allowances, floor } = podAllowances(points, chosen, bounds, tolerance);
  const perBound = bounds.map(
    (bound, b) => ratioTest(
      tested.map((p, k) => ({ ...slowerThan(bound, p), allowance: allowances[k]?.[b] ?? 1 })),
      grid,
      perBoundThreshold,
      { detectableEffect }
    )
  );
  const trajectory = points.slice(0, chosen < 0 ? points.length : chosen + 1).map(({ t }) => ({
    t,
    evidence: 1
  }));
  const reporting = reportingBound(perBound);
  let maxEvidence = 1;
  tested.forEach(({ t }, k) => {
    const evidence = perBound.reduce((sum, outcome) => sum + outcome.trajectory[k].evidence, 0) / perBound.length;
    maxEvidence = Math.max(maxEvidence, evidence);
    const shown = reporting === void 0 ? void 0 : perBound[reporting].trajectory[k];
    trajectory.push({ ...shown, t, evidence });
  });
  return {
    bounds,
    ...chosen < 0 ? {} : { chosenAt: points[chosen].t },
    baselineObservations,
    perBound,
    evidence: trajectory.at(-1)?.evidence ?? 1,
    maxEvidence,
    trajectory,
    ...floor ? { floor } : {}
  };
}
function podAllowances(points, chosen, bounds, tolerance) {
  const totals = latencyPodTotals();
  const allowances = [];
  let floor;
  points.forEach((point, i) => {
    if (chosen >= 0 && i > chosen) {
      const floors = latencyFloors(totals, tolerance, bounds);
      if (floors) floor = { tolerances: floors.floors, spread: floors.spread };
      allowances.push(floor?.tolerances.map((t) => t / tolerance));
    }
    totals.addAll(point.pods);
  });
  return floor ? { allowances, floor } : { allowances };
}
function slowerThan(bound, point) {
  const canaryTotal = bucketCount(point.canary, Infinity);
  const canaryFast = bucketCount(point.canary, bound);
  const baselineTotal = bucketCount(point.baseline, Infinity);
  const baselineFast = bucketCount(point.baseline, bound);
  if (canaryTotal === void 0 || canaryFast === void 0 || baselineTotal === void 0 || baselineFast === void 0) {
    return { t: point.t, canaryBad: 0, canaryTotal: 0, baselineBad: 0, baselineTotal: 0 };
  }
  return {
    t: point.t,
    canaryBad: canaryTotal - canaryFast,
    canaryTotal,
    baselineBad: baselineTotal - baselineFast,
    baselineTotal
  };
}
function reportingBound(perBound) {
  let best;
  perBound.forEach((outcome, i) => {
    if (best === void 0 || outcome.evidence > perBound[best].evidence) best = i;
  });
  return best;
}
function assessLatency(metric, polls, { threshold, final }) {
  const tolerance = toleranceOf(metric);
  const collected = collect(polls, metric.name, "latency");
  const outcome = latencyTest(
    collected.points.map(({ t, observation }) => ({
      t,
      canary: observation.canary,
      baseline: observation.baseline,
      ...observation.pods ? { pods: observation.pods } : {}
    })),
    tolerance,
    threshold,
    final
  );
  const testedTolerance = (outcome2) => tolerance * outcome2.allowance;
  const floor = outcome.floor && {
    tolerance: Math.max(...outcome.floor.tolerances),
    spread: outcome.floor.spread
  };
  const reporting = reportingBound(outcome.perBound);
  const shown = reporting === void 0 ? void 0 : outcome.perBound[reporting];
  const exposed = outcome.perBound.some((o) => o.exposurePolls > 0);
  const canaryObservations = collected.points.reduce(
    (sum, { observation }) => sum + Math.max(0, bucketCount(observation.canary, Infinity) || 0),
    0
  );
  const noData = collected.points.length === 0 || outcome.baselineObservations === 0 || canaryObservations === 0;
  const upper = Math.max(...outcome.perBound.map((o) => o.bounds[1]));
  const mdes = outcome.perBound.map((o) => o.minimumDetectableEffect ?? Infinity);
  const best = mdes.indexOf(Math.min(...mdes));
  const boundsText = `tested bounds ${outcome.bounds.map((b) => `${num(b)}s`).join(", ") || "none yet"}`;
  return {
    result: {
      ...shown ? ratioResultFields(metric, shown, threshold) : {
        name: metric.name,
        kind: metric.kind,
        blocking: metric.blocking,
        canary: {},
        baseline: {},
        threshold
      },
      ...shown ? {
        estimate: Math.max(...outcome.perBound.map((o) => o.estimate)),
        bounds: [Math.max(...outcome.perBound.map((o) => o.bounds[0])), upper]
      } : {},
      ...best >= 0 && outcome.perBound[best].minimumDetectableEffect !== void 0 ? { minimumDetectableEffect: mdes[best] } : {},
      evidence: outcome.evidence,
      trajectory: outcome.trajectory,
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls,
      testedBounds: outcome.bounds,
      ...floorFields(floor)
    },
    failed: outcome.maxEvidence >= threshold,
    noData,
    withinTolerance: exposed && outcome.perBound.every((o) => o.bounds[1] < testedTolerance(o)),
    ...noData ? {} : outcome.chosenAt === void 0 ? {
      undetectable: `too little traffic: the baseline recorded ${num(outcome.baselineObservations)} observations, ${MIN_BASELINE_OBSERVATIONS} are needed to choose the bucket bounds`
    } : !exposed ? {
      undetectable: `too little traffic: no poll after the bounds were chosen (t=${num(outcome.chosenAt)}s) had observations on both tracks`
    } : undetectable(outcome.perBound[best], testedTolerance(outcome.perBound[best])),
    summary: shown ? `${boundsText}; slower than ${num(outcome.bounds[reporting])}s: ${describeRatio(shown, testedTolerance(shown))}; averaged e-value ${num(outcome.evidence)} (fails at ${num(threshold)})${describeFloor(floor, tolerance)}` : `${boundsText}; baseline observations so far ${num(outcome.baselineObservations)} (bounds are chosen at ${MIN_BASELINE_OBSERVATIONS})`,
    failNote: () => describeCrossing(outcome.trajectory, threshold),
    passNote: () => `upper bound ${num(upper)} < tolerance ${num(floor?.tolerance ?? tolerance)} at every tested bound`,
    finalNote: () => Number.isFinite(upper) ? `no evidence of harm; compatible with exceedance ratios up to ${num(upper)} at the tested bounds` : "no evidence of harm, but no upper bound on the exceedance ratio at every tested bound either",
    noDataNote: () => collected.points.length === 0 ? describeNoData(collected) : `the ${outcome.baselineObservations === 0 ? "baseline" : "canary"} histogram recorded no observations in ${collected.points.length} poll(s)`
  };
}

// src/analysis/threshold.ts
function isFailedMeasurement(value, min, max) {
  return !Number.isFinite(value) || min !== void 0 && value < min || max !== void 0 && value > max;
}
function assessThreshold(metric, polls) {
  const limit = failureLimitOf(metric);
  const collected = collect(polls, metric.name, "threshold");
  let failures = 0;
  const trajectory = collected.points.map(({ t, observation }) => {
    if (isFailedMeasurement(observation.value, metric.min, metric.max)) failures++;
    return { t, evidence: failures, canary: observation.value };
  });
  const last = collected.points.at(-1)?.observation.value;
  const range = [
    metric.min === void 0 ? void 0 : `min ${num(metric.min)}`,
    metric.max === void 0 ? void 0 : `max ${num(metric.max)}`
  ].filter(Boolean).join(", ");
  const failedAt = trajectory.find((point) => point.evidence >= limit);
  return {
    result: {
      name: metric.name,
      kind: metric.kind,
      blocking: metric.blocking,
      canary: last === void 0 ? {} : { value: last },
      baseline: {},
      ...last === void 0 ? {} : { estimate: last },
      evidence: failures,
      threshold: limit,
      trajectory,
      samples: collected.points.length,
      noDataPolls: collected.noDataPolls,
      failures
    },
    failed: failures >= limit,
    noData: collected.points.length === 0,
    withinTolerance: collected.points.length > 0 && failures < limit,
    summary: `last value ${num(last)} (${range}); ${failures} failed measurement(s) of ${collected.points.length}, limit ${limit}`,
    failNote: () => failedAt ? `failure ${failures} of limit ${limit} reached at t=${num(failedAt.t)}s` : "",
    passNote: () => `${failures} failed measurement(s), below the limit of ${limit}`,
    finalNote: () => `${failures} failed measurement(s), below the limit of ${limit}`,
    noDataNote: () => describeNoData(collected)
  };
}

// src/analysis/verdict.ts
var POLICY_LABEL = {
  fail: "policy onInconclusive=fail: treated as a failure",
  pass: "policy onInconclusive=pass: promoted anyway",
  hold: "policy onInconclusive=hold: the canary is held for a manual decision"
};
function metricVerdict(assessment, t, spec) {
  const { result, summary } = assessment;
  const finished = t >= spec.maxDurationSeconds;
  if (assessment.failed)
    return { ...result, verdict: "fail", reason: `fail: ${assessment.failNote()}; ${summary}` };
  if (assessment.noData)
    return { ...result, verdict: "nodata", reason: `no data: ${assessment.noDataNote()}` };
  if (finished && assessment.undetectable) {
    return {
      ...result,
      verdict: "inconclusive",
      reason: `inconclusive: ${assessment.undetectable}; ${summary}`
    };
  }
  if (finished) return { ...result, verdict: "pass", reason: `pass: ${assessment.finalNote()}; ${summary}` };
  if (assessment.withinTolerance && t >= spec.minDurationSeconds) {
    return { ...result, verdict: "pass", reason: `pass: ${assessment.passNote()}; ${summary}` };
  }
  return { ...result, verdict: "running", reason: `running: ${summary}` };
}
function decide(spec, assessments, guards, t, alpha) {
  const metrics = assessments.map((assessment) => metricVerdict(assessment, t, spec));
  const blocking = assessments.filter((a) => a.result.blocking);
  const decision = (verdict, reason) => ({
    verdict,
    reason,
    metrics,
    guards,
    alpha
  });
  const failures = [
    ...blocking.filter((a) => a.failed).map((a) => `${a.result.name}: ${a.failNote()}`),
    ...guards.filter((g) => g.tripped && g.blocking).map((g) => `guard ${g.name}: ${g.reason}`)
  ];
  if (failures.length > 0) return decision("fail", `regression detected: ${failures.join("; ")}`);
  if (t >= spec.maxDurationSeconds) {
    const problems = [
      ...blocking.filter((a) => a.noData).map((a) => `no data for ${a.result.name} (${a.noDataNote()})`),
      ...blocking.filter((a) => !a.noData && a.undetectable).map((a) => `${a.result.name}: ${a.undetectable}`)
    ];
    if (problems.length > 0) {
      return decision(
        "inconclusive",
        `inconclusive at t=${num(t)}s: ${problems.join("; ")} (${POLICY_LABEL[spec.onInconclusive]})`
      );
    }
    return decision(
      "pass",
      blocking.length === 0 ? `analysis reached maxDuration (${num(spec.maxDurationSeconds)}s); no blocking metrics` : `no evidence of harm in ${num(t)}s: ${blocking.map((a) => `${a.result.name} ${a.finalNote()}`).join("; ")}`
    );
  }
  const statistical = blocking.filter((a) => a.result.kind !== "threshold");
  const waiting = blocking.filter((a) => !a.withinTolerance);
  if (t >= spec.minDurationSeconds && statistical.length > 0 && waiting.length === 0) {
    return decision(
      "pass",
      `every blocking metric is within tolerance at t=${num(t)}s: ${blocking.map((a) => `${a.result.name} ${a.passNote()}`).join("; ")}`
    );
  }
  if (t < spec.minDurationSeconds) {
    return decision(
      "continue",
      `collecting: t=${num(t)}s, an early pass is possible from ${num(spec.minDurationSeconds)}s`
    );
  }
  return decision(
    "continue",
    waiting.length > 0 ? `waiting for ${waiting.map((a) => a.result.name).join(", ")} to be bounded within tolerance (analysis ends at ${num(spec.maxDurationSeconds)}s)` : `waiting for the end of the analysis at ${num(spec.maxDurationSeconds)}s (no blocking ratio, latency or gauge metric allows an early pass)`
  );
}

// src/analysis/judge.ts
function evaluate(spec, polls) {
  validateSpec(spec);
  const last = polls.at(-1);
  const steps = new Set(polls.map((poll) => poll.step ?? 0)).size;
  const alpha = alphaSpending(spec, Math.max(1, steps));
  const threshold = 1 / alpha.perTest;
  const elapsed = last ? last.elapsed ?? last.t : 0;
  const context = { threshold, final: elapsed >= spec.maxDurationSeconds };
  const assessments = spec.metrics.map((metric) => assess(metric, polls, context));
  return decide(spec, assessments, evaluateGuards(spec, polls, threshold), elapsed, alpha);
}
function assess(metric, polls, context) {
  switch (metric.kind) {
    case "ratio":
      return assessRatio(metric, polls, context);
    case "latency":
      return assessLatency(metric, polls, context);
    case "gauge":
      return assessGauge(metric, polls, context);
    case "threshold":
      return assessThreshold(metric, polls);
  }
}

// src/pipeline/analyze.ts
var stepSecondsOf = (analysis) => analysis.intervalMs / 1e3;
function judgeSpec(analysis) {
  return {
    alpha: analysis.alpha,
    metrics: analysis.metrics.map((metric) => ({
      name: metric.name,
      kind: metric.type,
      blocking: metric.blocking,
      tolerance: metric.tolerance,
      direction: metric.direction,
      failureLimit: metric.failureLimit,
      ...metric.min === void 0 ? {} : { min: metric.min },
      ...metric.max === void 0 ? {} : { max: metric.max }
    })),
    minDurationSeconds: analysis.minDurationMs / 1e3,
    maxDurationSeconds: analysis.maxDurationMs / 1e3,
    onInconclusive: analysis.onInconclusive,
    ...analysis.trafficShare ? { trafficShare: analysis.trafficShare } : {}
  };
}
async function analyze(options) {
  const { analysis, clock, signal } = options;
  const spec = judgeSpec(analysis);
  const startedAt = new Date(clock.now());
  const now = Math.floor(clock.now() / 1e3);
  const outage = outageTracker(options);
  const first = pollScope(signal);
  await Promise.all(
    analysis.metrics.map(
      (metric) => measure(metric, options.provider, options.tracks, now, stepSecondsOf(analysis), first.signal)
    )
  ).catch((error) => outage.failed(error)).finally(first.done);
  options.onWarmup?.(analysis.warmupMs);
  await clock.sleep(analysis.warmupMs, signal);
  const origin = Math.ceil(clock.now() / analysis.intervalMs) * analysis.intervalMs;
  const history = options.history ?? [];
  const polls = [...history];
  const step = options.step ?? 0;
  const offset = history.at(-1)?.t ?? 0;
  const queries = {};
  const stepSeconds = stepSecondsOf(analysis);
  for (let k = 1; ; k++) {
    const due = origin + k * analysis.intervalMs;
    await clock.sleep(Math.max(0, due - clock.now()), signal);
    const at = Math.floor(due / 1e3);
    const scope = pollScope(signal);
    const measured = await Promise.all(
      analysis.metrics.map(
        (metric) => measure(metric, options.provider, options.tracks, at, stepSeconds, scope.signal).catch(
          (error) => outage.failed(error)
        )
      )
    ).finally(scope.done);
    if (measured.some((m) => !m.unanswered)) outage.answered();
    const observations = {};
    measured.forEach((m, i) => {
      const metric = analysis.metrics[i];
      observations[metric.name] = m.observation;
      if (!m.unanswered) queries[metric.name] = m.queries;
    });
    const traffic = measured.find((m) => m.traffic)?.traffic;
    const restarts = await options.restarts?.();
    const elapsed = k * analysis.intervalMs / 1e3;
    const poll = {
      t: offset + elapsed,
      ...step > 0 ? { step, elapsed } : {},
      observations,
      ...traffic ? { traffic } : {},
      ...restarts ? { restarts } : {}
    };
    polls.push(poll);
    const decision = evaluate(spec, polls);
    options.onPoll?.(poll, decision, k * analysis.intervalMs);
    if (decision.verdict !== "continue") {
      return { decision, polls, queries, startedAt, decidedAt: new Date(clock.now()) };
    }
  }
}
function pollScope(signal) {
  if (!signal) return { done: () => void 0 };
  const scope = new AbortController();
  setMaxListeners(0, scope.signal);
  const onAbort = () => scope.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return { signal: scope.signal, done: () => signal.removeEventListener("abort", onAbort) };
}
function outageTracker(options) {
  const { analysis, clock } = options;
  const limitMs = analysis.provider.outageMs ?? Infinity;
  let since;
  return {
    failed(error) {
      if (!(error instanceof BackendError) || options.signal?.aborted) throw error;
      since ??= clock.now();
      const lasted = clock.now() - since;
      if (lasted >= limitMs) {
        throw new BackendError(
          `the metrics backend has not answered for ${formatDuration(Math.round(lasted / 1e3) * 1e3)} (analysis.provider.outage ${formatDuration(limitMs)}): ${error.message}`,
          { cause: error }
        );
      }
      options.onBackendError?.(error.message);
      return {
        observation: { kind: "nodata", reason: "the backend did not answer" },
        queries: {},
        unanswered: true
      };
    },
    answered() {
      since = void 0;
    }
  };
}

// src/pipeline/tracks.ts
function trackContexts(config, provider) {
  const { namespace, workload, analysis } = config;
  const uses = (variable) => analysis.metrics.some((m) => [m.bad, m.total, m.query].some((q) => q?.includes(`{{${variable}}}`)));
  if (namespace === void 0 && uses("namespace")) {
    throw new ConfigError(
      "namespace",
      "is required: a query uses {{namespace}} (set it in the config or with --namespace)"
    );
  }
  if (workload === void 0 && uses("workload")) {
    throw new ConfigError(
      "workload",
      "is required: a query uses {{workload}} (set it in the config or with --workload)"
    );
  }
  const selectorFor = (track2) => {
    if (analysis.tracks) return analysis.tracks[track2];
    if (namespace === void 0 || workload === void 0) {
      throw new ConfigError(
        "analysis.tracks",
        "is required when namespace and workload are not both given (they would derive the selectors)"
      );
    }
    return provider.defaultSelector({ namespace, podPattern: `${workload}-${track2}-.+` });
  };
  const context = (track2) => ({
    selector: selectorFor(track2),
    intervalMs: analysis.intervalMs,
    variables: {
      selector: selectorFor(track2),
      interval: formatDuration(analysis.intervalMs),
      track: track2,
      namespace: namespace ?? "",
      workload: workload ?? ""
    }
  });
  const tracks = { canary: context("canary"), baseline: context("baseline") };
  if (!analysis.tracks && namespace !== void 0 && workload !== void 0) {
    const selector = provider.defaultSelector({ namespace, podPattern: `${workload}-[a-z0-9]+-[a-z0-9]+` });
    tracks.stable = {
      selector,
      intervalMs: tracks.baseline.intervalMs,
      variables: { ...tracks.baseline.variables, selector, track: "stable" }
    };
  }
  return tracks;
}

// src/pipeline/analysis-driver.ts
function createAnalysisDriver(config, platform, clock, restarts) {
  const { analysis } = config;
  const provider = createProvider(analysis.provider.type, analysis.provider);
  const tracks = trackContexts(config, provider);
  return {
    tracks,
    check: async (signal) => {
      await provider.identify?.(signal);
      const now = Math.floor(clock.now() / 1e3);
      const scope = pollScope(signal);
      await Promise.all(
        analysis.metrics.map(
          (metric) => measure(metric, provider, tracks, now, analysis.intervalMs / 1e3, scope.signal)
        )
      ).finally(scope.done);
    },
    run: ({ signal, history, step }) => analyze({
      analysis,
      provider,
      tracks,
      clock,
      ...signal ? { signal } : {},
      ...history ? { history } : {},
      ...step === void 0 ? {} : { step },
      ...restarts ? { restarts } : {},
      onWarmup: (ms) => ms > 0 && platform.info(`warm-up: waiting ${formatDuration(ms)} before the first poll`),
      onBackendError: (message) => platform.warning(`this poll counts as no data: ${message}`),
      onPoll: (_poll, decision, elapsed) => platform.info(progressLine(decision, elapsed, analysis.maxDurationMs))
    })
  };
}
function createAnalyseStep(config, platform, driver) {
  const { analysis } = config;
  const { tracks } = driver;
  return async ({ index, weight, signal, history }) => {
    platform.info(
      `analysis of step ${index + 1} (${weight}%): ${analysis.provider.type} at ${new URL(analysis.provider.url).origin}, ${analysis.metrics.length} metric(s), interval ${formatDuration(analysis.intervalMs)}, max ${formatDuration(analysis.maxDurationMs)}`
    );
    platform.info(
      `canary selector: ${tracks.canary.selector}; baseline selector: ${tracks.baseline.selector}`
    );
    if (history.length > 0)
      platform.info(
        `evidence carries over from ${history.length} earlier poll(s): one e-process and one alpha (${analysis.alpha}) for the release`
      );
    return driver.run({ signal, history, step: index });
  };
}

export {
  createAnalysisDriver,
  createAnalyseStep
};
