/** One time series as a backend returns it: its labels (tags) and its points. */
export interface Series {
  labels: Record<string, string>;
  /** [unix seconds, value]; NaN values are dropped by providers. */
  points: Array<[number, number]>;
}

/**
 * A range query evaluated at start, start+step, … ≤ end (all unix seconds). Every provider returns a
 * point at time t for the window (t − step, t], as Prometheus does: backends that label buckets by
 * their start (InfluxQL, Datadog rollups) are shifted by the provider (see windows.ts).
 */
export interface RangeQuery {
  query: string;
  start: number;
  end: number;
  stepSeconds: number;
  signal?: AbortSignal;
}

/**
 * A metrics backend. One file per backend under src/metrics/, registered in registry.ts.
 * Errors: BackendError when the backend cannot be reached after retries (exit 4),
 * QueryError when it rejects the query (exit 2). An empty result is `[]`, never an error.
 */
export interface MetricsProvider {
  readonly type: string;
  queryRange(query: RangeQuery): Promise<Series[]>;
  /** Escapes a value for use inside a quoted label/tag value in this backend's query language. */
  escapeValue(value: string): string;
  /**
   * The query that returns, per poll window, the increase of each histogram bucket for the tracks
   * matched by `selector`: one series per bucket with its upper bound in the `le` label.
   */
  histogramQuery(histogram: string, selector: string, intervalMs: number): string;
  /** Selector for a workload's track, used when `analysis.tracks` is not given. */
  defaultSelector(labels: { namespace: string; podPattern: string }): string;
  /**
   * The same aggregate query broken down by the `pod` label, for the judge's pod-noise floor; undefined
   * when the query cannot be rewritten safely (the judge then works without per-pod data).
   */
  byPod?(query: string): string | undefined;
  /**
   * Checks that the URL answers as this backend's API (before a release changes anything): a ConfigError
   * naming `analysis.provider.url` when it answers as something else, a BackendError when unreachable.
   */
  identify?(signal?: AbortSignal): Promise<void>;
}

export type { HttpProviderOptions } from '../config/types.ts';
