import type { InconclusivePolicy, MetricKind } from '../analysis/types.ts';
import type { PROVIDER_TYPES } from './schema.ts';

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

export interface ProviderConfig {
  type: ProviderType;
  url: string;
  headers: Record<string, string>;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  caFile?: string;
  insecureSkipVerify: boolean;
  timeoutMs: number;
  retries: number;
  /** Backend-specific keys: version, database, retentionPolicy, org, token, site, apiKey, applicationKey. */
  extra: Record<string, string>;
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
  trafficShare: { expected: number; tolerance: number } | null;
  metrics: MetricConfig[];
}

export interface Config {
  apiVersion: 'canary-action/v1';
  namespace?: string;
  /** The workload's name (without the `deployment/` prefix). */
  workload?: string;
  analysis: AnalysisConfig;
  /** Values that came from the environment (tokens, keys): never printed. */
  secrets: readonly string[];
}
