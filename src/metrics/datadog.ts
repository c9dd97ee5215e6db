/**
 * Datadog, type `datadog`: `GET /api/v1/query?from&to&query` with `DD-API-KEY` and
 * `DD-APPLICATION-KEY`. Keys in `extra`: `apiKey`, `applicationKey` (both required), `site` (default
 * `datadoghq.com`; the API host is `api.<site>`). A non-empty `url` overrides the host built from the
 * site (a proxy, or a test server). The step is not sent: Datadog picks the rollup, or the query says
 * it with `.rollup(sum, 60)`.
 *
 * Histograms scraped through Datadog's OpenMetrics check arrive as `<name>.bucket` counts tagged
 * `upper_bound`; that tag is also exposed as the `le` label so latency metrics work unchanged.
 */
import { stampWindowEnds } from './windows.ts';
import type { HttpProviderOptions, MetricsProvider, RangeQuery, Series } from './provider.ts';
import { createHttpClient } from '../util/http.ts';
import { BackendError, ConfigError, QueryError } from '../util/errors.ts';

export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'ddog-gov.com',
  'us2.ddog-gov.com',
] as const;

interface DatadogResponse {
  status?: string;
  error?: string;
  errors?: unknown[];
  series?: Array<{
    metric?: string;
    scope?: string;
    tag_set?: string[];
    pointlist?: Array<[number | null, number | null]>;
  }>;
}

export function datadogBaseUrl(options: HttpProviderOptions): string {
  if (options.url) return options.url;
  const site = options.extra.site ?? 'datadoghq.com';
  if (!(DATADOG_SITES as readonly string[]).includes(site)) {
    throw new ConfigError(
      'analysis.provider.site',
      `unknown Datadog site ${JSON.stringify(site)}; expected one of ${DATADOG_SITES.join(', ')}`,
    );
  }
  return `https://api.${site}`;
}

export function createDatadogProvider(options: HttpProviderOptions): MetricsProvider {
  const apiKey = options.extra.apiKey;
  const appKey = options.extra.applicationKey;
  if (!apiKey) throw new ConfigError('analysis.provider.apiKey', 'is required for Datadog (DD-API-KEY)');
  if (!appKey)
    throw new ConfigError('analysis.provider.applicationKey', 'is required for Datadog (DD-APPLICATION-KEY)');
  const http = createHttpClient({
    ...options,
    baseUrl: datadogBaseUrl(options),
    headers: { ...options.headers, 'DD-API-KEY': apiKey, 'DD-APPLICATION-KEY': appKey },
  });

  return {
    type: 'datadog',
    escapeValue: escapeDatadogTagValue,
    histogramQuery: (histogram, selector, intervalMs) =>
      `sum:${histogram}.bucket{${selector}} by {upper_bound}.as_count().rollup(sum, ${intervalMs / 1000})`,
    defaultSelector: ({ namespace, podPattern }) =>
      `kube_namespace:${escapeDatadogTagValue(namespace)},pod_name:${regexToDatadogWildcard(podPattern)}`,
    async queryRange(range: RangeQuery): Promise<Series[]> {
      const response = await http.request({
        method: 'GET',
        path: '/api/v1/query',
        params: {
          from: String(Math.floor(range.start - range.stepSeconds)),
          to: String(Math.ceil(range.end)),
          query: range.query,
        },
        signal: range.signal,
        query: range.query,
      });
      let body: DatadogResponse;
      try {
        body = JSON.parse(response.text) as DatadogResponse;
      } catch {
        throw new BackendError(`${http.displayUrl}/api/v1/query answered with something that is not JSON`);
      }
      return stampWindowEnds(
        parseDatadogResponse(body, range.query),
        range.stepSeconds,
        range.start,
        range.end,
      );
    },
  };
}

export function parseDatadogResponse(body: DatadogResponse, query: string): Series[] {
  if (body.status === 'error' || body.error || (body.errors && body.errors.length > 0)) {
    const text = body.error ?? body.errors?.map(String).join('; ') ?? 'status "error"';
    throw new QueryError(query, `Datadog rejected the query: ${text}`);
  }
  return (body.series ?? []).map((series) => {
    const points: Array<[number, number]> = [];
    for (const [ms, value] of series.pointlist ?? []) {
      if (typeof ms === 'number' && typeof value === 'number' && Number.isFinite(value)) {
        points.push([ms / 1000, value]);
      }
    }
    return { labels: datadogLabels(series.tag_set, series.scope), points };
  });
}

/** `["host:a","env:prod"]` (or scope `host:a,env:prod`) → labels; `upper_bound` also becomes `le`. */
export function datadogLabels(
  tagSet: string[] | undefined,
  scope: string | undefined,
): Record<string, string> {
  const tags = tagSet && tagSet.length > 0 ? tagSet : (scope ?? '').split(',');
  const labels: Record<string, string> = {};
  for (const tag of tags) {
    const trimmed = tag.trim();
    if (!trimmed || trimmed === '*') continue;
    const colon = trimmed.indexOf(':');
    const key = colon < 0 ? trimmed : trimmed.slice(0, colon);
    labels[key] = colon < 0 ? '' : trimmed.slice(colon + 1);
  }
  if (labels.upper_bound !== undefined && labels.le === undefined) {
    labels.le = labels.upper_bound === 'inf' || labels.upper_bound === '+Inf' ? '+Inf' : labels.upper_bound;
  }
  return labels;
}

/** Datadog tag values have no quoting: it lowercases them and turns other characters into `_` on intake. */
export function escapeDatadogTagValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_\-./:]/g, '_');
}

/** Datadog filters take `*` wildcards, not regexes: `web-canary-.*` → `web-canary-*`. */
function regexToDatadogWildcard(pattern: string): string {
  const wildcard = pattern.replace(/^\^|\$$/g, '').replace(/\.[*+]/g, '*');
  return wildcard.split('*').map(escapeDatadogTagValue).join('*');
}
