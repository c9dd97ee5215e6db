/**
 * Prometheus (and PromQL-compatible backends: Thanos, Mimir, VictoriaMetrics) over the HTTP API
 * `/api/v1/query_range`.
 *
 * Counter resets (a pod restarting) need no handling here: the queries use `increase()`/`rate()`,
 * which Prometheus evaluates server-side treating any decrease of a counter as a reset.
 */
import { promqlByPod } from './promql-by-pod.ts';
import { formatDuration } from '../util/durations.ts';
import type { HttpProviderOptions, MetricsProvider, RangeQuery, Series } from './provider.ts';
import { createHttpClient, type HttpClient, type HttpResponse } from '../util/http.ts';
import { BackendError, ConfigError, QueryError } from '../util/errors.ts';

/** Above this many characters the query goes in a form-encoded POST body instead of the URL. */
const LONG_QUERY_CHARS = 1500;

interface PrometheusResponse {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

type Sample = [number, string];

export function createPrometheusProvider(options: HttpProviderOptions): MetricsProvider {
  const http = createHttpClient({ ...options, baseUrl: options.url });
  return {
    type: 'prometheus',
    queryRange: (query) => queryRange(http, query),
    escapeValue: escapePromQLString,
    histogramQuery: (histogram, selector, intervalMs) =>
      `sum by (le) (increase(${histogram}_bucket{${selector}}[${formatDuration(intervalMs)}]))`,
    defaultSelector: ({ namespace, podPattern }) =>
      `namespace="${escapePromQLString(namespace)}", pod=~"${escapePromQLString(podPattern)}"`,
    byPod: promqlByPod,
    identify: (signal) => identify(http, signal),
  };
}

const PROMQL_API =
  'the base URL of a Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics) answering GET /api/v1/query';

/** `query=1` must come back as a PromQL scalar: anything else means the URL is not a PromQL API. */
async function identify(http: HttpClient, signal?: AbortSignal): Promise<void> {
  let response: HttpResponse;
  try {
    response = await http.request({ method: 'GET', path: '/api/v1/query', params: { query: '1' }, signal });
  } catch (error) {
    // A 4xx other than refused credentials (a ConfigError already): a page that is not this API.
    if (error instanceof BackendError && /\(HTTP 4\d\d\)/.test(error.message))
      throw new ConfigError('analysis.provider.url', `${error.message}; expected ${PROMQL_API}`);
    throw error;
  }
  let body: PrometheusResponse | undefined;
  try {
    body = JSON.parse(response.text) as PrometheusResponse;
  } catch {
    body = undefined;
  }
  if (body?.status !== 'success' || body.data?.resultType !== 'scalar')
    throw new ConfigError(
      'analysis.provider.url',
      `${http.displayUrl} answered GET /api/v1/query?query=1 with ${body ? 'JSON that is not a PromQL result' : `${response.contentType || 'a body'} that is not JSON`}; expected ${PROMQL_API}`,
    );
}

/** Escapes a value for a PromQL double-quoted string (label matcher values, including regexes). */
export function escapePromQLString(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\${c}`);
}

async function queryRange(http: HttpClient, range: RangeQuery): Promise<Series[]> {
  const params = {
    query: range.query,
    start: String(range.start),
    end: String(range.end),
    step: `${range.stepSeconds}s`,
  };
  const long = range.query.length > LONG_QUERY_CHARS;
  const response = await http.request({
    method: long ? 'POST' : 'GET',
    path: '/api/v1/query_range',
    ...(long ? { form: params } : { params }),
    signal: range.signal,
    query: range.query,
  });
  let body: PrometheusResponse;
  try {
    body = JSON.parse(response.text) as PrometheusResponse;
  } catch {
    throw new BackendError(`${http.displayUrl}/api/v1/query_range answered with something that is not JSON`);
  }
  if (body.status !== 'success') {
    throw new QueryError(
      range.query,
      `Prometheus rejected the query: ${body.errorType ?? 'error'}: ${body.error ?? ''}`,
    );
  }
  return parsePrometheusData(body.data);
}

/** Turns `data` of a query_range/query answer into series; non-finite samples are dropped. */
export function parsePrometheusData(data: PrometheusResponse['data']): Series[] {
  const result = data?.result;
  switch (data?.resultType) {
    case 'matrix':
      return asArray(result).map((item) => toSeries(item, (item as { values?: Sample[] }).values ?? []));
    case 'vector':
      return asArray(result).map((item) => toSeries(item, [(item as { value?: Sample }).value]));
    case 'scalar':
      return [toSeries({}, [result as Sample])];
    default:
      return [];
  }
}

function toSeries(item: unknown, samples: Array<Sample | undefined>): Series {
  const metric = (item as { metric?: Record<string, string> }).metric ?? {};
  const points: Array<[number, number]> = [];
  for (const sample of samples) {
    if (!sample) continue;
    const value = Number(sample[1]);
    if (Number.isFinite(value)) points.push([Number(sample[0]), value]);
  }
  return { labels: { ...metric }, points };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
