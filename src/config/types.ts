import type { InconclusivePolicy, MetricKind } from '../analysis/types.ts';
import type { NotifyTarget } from '../notify/types.ts';
import type { PROVIDER_TYPES, ROUTER_NAMES } from './schema.ts';

/** A metric as written in the file (after template expansion, before defaults). */
export interface RawMetric {
  template?: string;
  name?: string;
  type?: MetricKind;
  tolerance?: number;
  bad?: string;
  total?: string;
  histogram?: string;
  query?: string;
  min?: number;
  max?: number;
  failureLimit?: number;
  blocking?: boolean;
  direction?: 'increase' | 'decrease';
}

export interface MetricConfig {
  name: string;
  type: MetricKind;
  /** The template it came from, if any. */
  template?: string;
  tolerance: number;
  blocking: boolean;
  direction: 'increase' | 'decrease';
  bad?: string;
  total?: string;
  histogram?: string;
  query?: string;
  min?: number;
  max?: number;
  failureLimit: number;
}

export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Options common to every HTTP provider, resolved from `analysis.provider` in the config (src/metrics/ takes them). */
export interface HttpProviderOptions {
  url: string;
  headers: Record<string, string>;
  /** Bearer token sent as `Authorization: Bearer …`. */
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** PEM bundle to trust in addition to (not instead of) nothing: when set, only these CAs are trusted. */
  caFile?: string;
  /** TLS verification is on unless explicitly turned off. */
  insecureSkipVerify: boolean;
  timeoutMs: number;
  /** At most this many retries of one request (unset: as many as the budget allows). */
  retries?: number;
  /** How long one request is retried (unset: `retries` alone limits it). */
  retryBudgetMs?: number;
  /** How long the backend may stay unanswered before the analysis gives up (unset: no limit). */
  outageMs?: number;
  /** Provider-specific keys (InfluxDB database/org/bucket, Datadog site/keys …). */
  extra: Record<string, string>;
}

/** The provider's HTTP options as the metrics layer takes them, plus which backend it is. */
export interface ProviderConfig extends HttpProviderOptions {
  type: ProviderType;
}

export interface AnalysisConfig {
  provider: ProviderConfig;
  tracks?: { canary: string; baseline: string };
  intervalMs: number;
  warmupMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  alpha: number;
  onInconclusive: InconclusivePolicy;
  trafficShare: { expected: number; tolerance: number; blocking: boolean } | null;
  /** A/A run: both arms run the stable image; nothing is promoted. */
  aa: boolean;
  metrics: MetricConfig[];
}

export type RouterName = (typeof ROUTER_NAMES)[number];

export interface TrafficConfig {
  router: RouterName;
  /** Weights in percent, increasing. */
  steps: readonly number[];
  baseline: boolean;
  /** The routing object of a weighted router, `kind/name`. */
  route?: string;
  /** The stable Service (weighted routers); undefined: the workload's name. */
  service?: string;
  canaryReplicas?: number;
  match?: TrafficMatch;
}

/** A header that sends a request to the canary (A/B). */
export interface TrafficMatch {
  header: string;
  exact?: string;
  regex?: string;
}

export interface Config {
  apiVersion: 'canary-action/v1';
  namespace?: string;
  /** The workload's name (without the `deployment/` prefix). */
  workload?: string;
  /** The new image reference or repository (`--image`). */
  image?: string;
  /** Manifest files or directories (`--manifests`). */
  manifests?: readonly string[];
  traffic: TrafficConfig;
  lockWaitMs: number;
  readyTimeoutMs: number;
  /** How long a rollback retries before it ends rollback-incomplete. */
  rollbackDeadlineMs: number;
  /** How long one Kubernetes API request is retried. */
  apiRetryBudgetMs: number;
  analysis: AnalysisConfig;
  /** Where release notifications go (`notify:`); empty when none. */
  notify: readonly NotifyTarget[];
  /** The deadline of one notification event over all targets (`notifyDeadline`). */
  notifyDeadlineMs: number;
  /** Values that came from the environment (tokens, keys): never printed. */
  secrets: readonly string[];
}
