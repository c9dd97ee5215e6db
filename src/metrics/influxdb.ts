/**
 * InfluxDB, type `influxdb`. `extra.version` picks the API:
 * - `1` (default): InfluxQL over `GET /query?db=…&q=…&epoch=s` (POST form when the query is long).
 *   Keys: `database` (required), `retentionPolicy`, `username`/`password` (sent as `u`/`p` parameters;
 *   prefer `basicAuth`). Placeholders: `$timeFilter` → `time >= <start − 2 steps>s AND time < <end>s`,
 *   `$interval` → the step (`30s`).
 * - `2`: Flux over `POST /api/v2/query?org=…` with `Authorization: Token …`, answer in annotated CSV.
 *   Keys: `org` (required), `token` (else `bearerToken` is used as the token), `bucket` (used by
 *   histogramQuery). Placeholders `v.timeRangeStart`, `v.timeRangeStop`, `v.windowPeriod` are replaced
 *   textually by RFC3339 times and a duration; the range starts two windows early (difference() needs
 *   one), and aggregateWindow stamps each window by its end (exclusive stop = end).
 * Both: `measurement` (default `prometheus`, what Telegraf's prometheus input writes with
 * metric_version = 2: one field per metric name, labels as tags) used by histogramQuery.
 * Series labels are the tags a query groups by (`GROUP BY "le"`, Flux group keys).
 */
import type { HttpProviderOptions, MetricsProvider, RangeQuery, Series } from './provider.ts';
import { createHttpClient, type HttpClient } from '../util/http.ts';
import { BackendError, ConfigError, QueryError } from '../util/errors.ts';
import { formatDuration } from '../util/durations.ts';
import { stampWindowEnds } from './windows.ts';

const LONG_QUERY_CHARS = 1500;
const FLUX_META_COLUMNS = new Set(['', 'result', 'table', '_start', '_stop', '_time', '_value']);

export function createInfluxDBProvider(options: HttpProviderOptions): MetricsProvider {
  const version = options.extra.version ?? '1';
  if (version === '1') return influxQLProvider(options);
  if (version === '2') return fluxProvider(options);
  throw new ConfigError('analysis.provider.version', `expected 1 or 2, got ${JSON.stringify(version)}`);
}

function requireKey(options: HttpProviderOptions, key: string, why: string): string {
  const value = options.extra[key];
  if (!value) throw new ConfigError(`analysis.provider.${key}`, `is required ${why}`);
  return value;
}

// ---- InfluxDB 1.x, InfluxQL ----

interface InfluxQLResponse {
  error?: string;
  results?: Array<{
    error?: string;
    series?: Array<{
      name?: string;
      tags?: Record<string, string>;
      columns?: string[];
      values?: unknown[][];
    }>;
  }>;
}

function influxQLProvider(options: HttpProviderOptions): MetricsProvider {
  const database = requireKey(options, 'database', 'for InfluxDB 1.x (the database to query)');
  const measurement = options.extra.measurement ?? 'prometheus';
  const http = createHttpClient({ ...options, baseUrl: options.url });
  const fixed: Record<string, string> = { db: database, epoch: 's' };
  if (options.extra.retentionPolicy) fixed.rp = options.extra.retentionPolicy;
  if (options.extra.username) fixed.u = options.extra.username;
  if (options.extra.password) fixed.p = options.extra.password;

  return {
    type: 'influxdb',
    escapeValue: escapeInfluxQLString,
    histogramQuery: (histogram, selector, intervalMs) =>
      `SELECT sum("increase") AS "increase" FROM (` +
      `SELECT non_negative_difference(last("${histogram}_bucket")) AS "increase" FROM "${measurement}" ` +
      `WHERE $timeFilter AND ${selector} GROUP BY time(${formatDuration(intervalMs)}), *) ` +
      `WHERE $timeFilter GROUP BY time(${formatDuration(intervalMs)}), "le"`,
    defaultSelector: ({ namespace, podPattern }) =>
      `"namespace" = '${escapeInfluxQLString(namespace)}' AND "pod" =~ /^(?:${escapeRegexLiteral(podPattern)})$/`,
    async queryRange(range) {
      const q = expandInfluxQL(range);
      const params = { ...fixed, q };
      const long = q.length > LONG_QUERY_CHARS;
      const response = await http.request({
        method: long ? 'POST' : 'GET',
        path: '/query',
        ...(long ? { form: params } : { params }),
        signal: range.signal,
        query: q,
      });
      const series = parseInfluxQLResponse(parseJson<InfluxQLResponse>(http, response.text), q);
      return stampWindowEnds(series, range.stepSeconds, range.start, range.end);
    },
  };
}

/**
 * `$timeFilter` covers the windows ending in [start, end] plus one window before them, which
 * `non_negative_difference` needs to difference the first one against.
 */
export function expandInfluxQL(range: RangeQuery): string {
  const from = Math.floor(range.start - 2 * range.stepSeconds);
  return range.query
    .replaceAll('$timeFilter', `time >= ${from}s AND time < ${Math.ceil(range.end)}s`)
    .replace(/\$(?:__)?interval\b/g, formatDuration(range.stepSeconds * 1000));
}

export function parseInfluxQLResponse(body: InfluxQLResponse, query: string): Series[] {
  if (body.error) throw new QueryError(query, `InfluxDB rejected the query: ${body.error}`);
  const out: Series[] = [];
  for (const result of body.results ?? []) {
    if (result.error) throw new QueryError(query, `InfluxDB rejected the query: ${result.error}`);
    for (const series of result.series ?? []) {
      const columns = series.columns ?? [];
      const timeIndex = columns.indexOf('time');
      const valueColumns = columns
        .map((name, index) => ({ name, index }))
        .filter((c) => c.index !== timeIndex);
      for (const column of valueColumns) {
        const labels = { ...series.tags };
        if (valueColumns.length > 1) labels._field = column.name;
        const points: Array<[number, number]> = [];
        for (const row of series.values ?? []) {
          const value = row[column.index];
          if (typeof value === 'number' && Number.isFinite(value))
            points.push([Number(row[timeIndex]), value]);
        }
        out.push({ labels, points });
      }
    }
  }
  return out;
}

/** Escapes a value for an InfluxQL single-quoted string literal. */
export function escapeInfluxQLString(value: string): string {
  return value.replace(/[\\']/g, (c) => `\\${c}`);
}

/** Escapes the delimiter of an InfluxQL/Flux `/regex/` literal. */
function escapeRegexLiteral(pattern: string): string {
  return pattern.replace(/\//g, '\\/');
}

// ---- InfluxDB 2.x, Flux ----

function fluxProvider(options: HttpProviderOptions): MetricsProvider {
  const org = requireKey(options, 'org', 'for InfluxDB 2.x (organisation name)');
  const token = options.extra.token ?? options.bearerToken;
  const measurement = options.extra.measurement ?? 'prometheus';
  const headers = { ...options.headers, ...(token ? { Authorization: `Token ${token}` } : {}) };
  const http = createHttpClient({ ...options, bearerToken: undefined, headers, baseUrl: options.url });

  return {
    type: 'influxdb',
    escapeValue: escapeFluxString,
    histogramQuery: (histogram, selector, intervalMs) => {
      const interval = formatDuration(intervalMs);
      const bucket = requireKey(options, 'bucket', 'for InfluxDB 2.x histogram queries');
      return [
        `from(bucket: "${escapeFluxString(bucket)}")`,
        `  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)`,
        `  |> filter(fn: (r) => r._measurement == "${escapeFluxString(measurement)}" and r._field == "${histogram}_bucket" and ${selector})`,
        `  |> aggregateWindow(every: ${interval}, fn: last, createEmpty: false)`,
        `  |> difference(nonNegative: true)`,
        `  |> group(columns: ["le"])`,
        `  |> aggregateWindow(every: ${interval}, fn: sum, createEmpty: false)`,
      ].join('\n');
    },
    defaultSelector: ({ namespace, podPattern }) =>
      `r.namespace == "${escapeFluxString(namespace)}" and r.pod =~ /^(?:${escapeRegexLiteral(podPattern)})$/`,
    async queryRange(range) {
      const query = expandFlux(range);
      const response = await http.request({
        method: 'POST',
        path: '/api/v2/query',
        params: { org },
        headers: { Accept: 'application/csv' },
        body: {
          contentType: 'application/json',
          data: JSON.stringify({
            query,
            type: 'flux',
            dialect: { header: true, annotations: ['datatype', 'group', 'default'], delimiter: ',' },
          }),
        },
        signal: range.signal,
        query,
      });
      return parseFluxCsv(response.text, query);
    },
  };
}

export function expandFlux(range: RangeQuery): string {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  return (
    range.query
      // aggregateWindow stamps windows by their end (_stop); one earlier window feeds difference().
      .replaceAll('v.timeRangeStart', iso(range.start - 2 * range.stepSeconds))
      .replaceAll('v.timeRangeStop', iso(range.end))
      .replaceAll('v.windowPeriod', formatDuration(range.stepSeconds * 1000))
  );
}

/** Escapes a value for a Flux double-quoted string (which also interpolates `${…}`). */
export function escapeFluxString(value: string): string {
  return value.replace(/[\\"]|\$\{/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/**
 * Parses InfluxDB's annotated CSV (tables separated by blank lines, each with its own annotation and
 * header rows) into one series per table, labelled by its group-key columns except _start/_stop.
 * An error table (`error,reference` columns) becomes a QueryError.
 */
export function parseFluxCsv(text: string, query: string): Series[] {
  const series = new Map<string, Series>();
  let annotations: Record<string, string[]> = {};
  let header: string[] | undefined;
  for (const row of parseCsvRows(text)) {
    if (row.length === 1 && row[0] === '') {
      header = undefined;
      annotations = {};
      continue;
    }
    const first = row[0] ?? '';
    if (first.startsWith('#')) {
      if (header) annotations = {};
      header = undefined;
      annotations[first.slice(1)] = row;
      continue;
    }
    if (!header) {
      header = row;
      continue;
    }
    const record = toRecord(header, row, annotations.default);
    if ('error' in record && header.includes('reference')) {
      throw new QueryError(query, `InfluxDB rejected the query: ${record.error}`);
    }
    const time = Date.parse(record._time ?? '');
    const value = Number(record._value === '' ? NaN : record._value);
    const group = annotations.group;
    const labels: Record<string, string> = {};
    header.forEach((name, i) => {
      const grouped = group
        ? group[i] === 'true'
        : !name.startsWith('_') || name === '_field' || name === '_measurement';
      if (grouped && !FLUX_META_COLUMNS.has(name)) labels[name] = record[name] ?? '';
    });
    const key = `${record.result ?? ''}\u0000${record.table ?? ''}\u0000${JSON.stringify(labels)}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { labels, points: [] }));
    if (Number.isFinite(time) && Number.isFinite(value)) entry.points.push([time / 1000, value]);
  }
  return [...series.values()];
}

function toRecord(header: string[], row: string[], defaults: string[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((name, i) => {
    const value = row[i] ?? '';
    record[name] = value === '' ? (defaults?.[i] ?? '') : value;
  });
  return record;
}

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and newlines; CRLF tolerated. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
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
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

function parseJson<T>(http: HttpClient, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new BackendError(`${http.displayUrl} answered with something that is not JSON`);
  }
}
