import { Redactor } from '../util/redact.ts';
import { ConfigError } from '../util/errors.ts';
import { parseDuration } from '../util/durations.ts';
import { DEFAULT_TOLERANCE } from '../analysis/spec.ts';
import { parseNotifyTargets } from '../notify/settings.ts';
import { unknownVariables } from './query-variables.ts';
import { BUILT_IN_TEMPLATES } from './templates.ts';
import { schemaAt, withDefaults } from './defaults.ts';
import { QUERY_VARIABLES, configSchema } from './schema.ts';
import { substituteEnv } from './env.ts';
import { validateSchema } from './validate.ts';
import { FILE_LIMITS, loadYamlChecked, readLimited } from '../util/yaml.ts';
import type {
  AnalysisConfig,
  Config,
  MetricConfig,
  ProviderConfig,
  ProviderType,
  RawMetric,
  RouterName,
  TrafficConfig,
  TrafficMatch,
} from './types.ts';

const METRIC_SCHEMA = schemaAt('analysis.metrics').items ?? {};
type DefaultedMetric = RawMetric & Pick<MetricConfig, 'direction' | 'failureLimit'>;

const PROVIDER_EXTRA_KEYS = [
  'version',
  'database',
  'retentionPolicy',
  'org',
  'bucket',
  'measurement',
  'token',
  'site',
  'apiKey',
  'applicationKey',
];

export function loadConfigFile(file: string, env: Record<string, string | undefined>): Promise<Config> {
  return Promise.resolve().then(() =>
    parseConfig(readLimited(file, FILE_LIMITS.config, '--config'), env, file),
  );
}

/** Parses and validates a config document into a frozen Config; every problem is a ConfigError naming the field. */
export function parseConfig(
  text: string,
  env: Record<string, string | undefined>,
  source = 'config',
): Config {
  let document: unknown;
  try {
    document = loadYamlChecked(text, source, source);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error as Error).message.split('\n')[0];
    throw new ConfigError(source, `is not valid YAML: ${reason}`, { cause: error });
  }
  const issues = validateSchema(configSchema, document);
  if (issues.length > 0) {
    const [first] = issues;
    const more = issues.slice(1, 8).map((issue) => `\n  ${issue.path}: ${issue.message}`);
    throw new ConfigError(first?.path ?? source, `${first?.message}${more.join('')}`);
  }
  const { value, secrets } = substituteEnv(document, env);
  // Valid against the schema, with the schema's defaults filled in.
  const raw = withDefaults(configSchema, value) as RawConfig;
  // The provider-specific keys as written: each backend's own defaults are its (src/metrics/).
  const extra = providerExtra((value as Pick<RawConfig, 'analysis'>).analysis.provider);
  try {
    return deepFreeze({
      apiVersion: raw.apiVersion,
      ...(raw.namespace === undefined ? {} : { namespace: raw.namespace }),
      ...(raw.workload === undefined ? {} : { workload: raw.workload.replace(/^deployment\//, '') }),
      ...(raw.image === undefined ? {} : { image: raw.image }),
      ...(raw.manifests === undefined ? {} : { manifests: [raw.manifests].flat() }),
      traffic: buildTraffic(raw.traffic),
      lockWaitMs: parseDuration(raw.lockWait, 'lockWait'),
      readyTimeoutMs: parseDuration(raw.readyTimeout, 'readyTimeout'),
      rollbackDeadlineMs: parseDuration(raw.rollbackDeadline, 'rollbackDeadline'),
      apiRetryBudgetMs: parseDuration(raw.apiRetryBudget, 'apiRetryBudget'),
      analysis: buildAnalysis(raw.analysis, extra),
      // As written (the schema's item defaults are parseNotifyTargets' own); credentials must be ${VAR}s.
      notify: parseNotifyTargets((value as { notify?: unknown }).notify, { substituted: secrets }),
      notifyDeadlineMs: parseDuration(raw.notifyDeadline, 'notifyDeadline'),
      secrets,
    });
  } catch (error) {
    // Values checked after substitution may hold secrets from the environment: never echo them.
    if (!(error instanceof ConfigError)) throw error;
    const redactor = new Redactor();
    secrets.forEach((secret) => redactor.add(secret));
    throw new ConfigError(error.path, redactor.redact(error.message.slice(error.path.length + 2)));
  }
}

interface RawConfig {
  apiVersion: 'canary-action/v1';
  namespace?: string;
  workload?: string;
  image?: string;
  manifests?: string | string[];
  traffic: {
    router: RouterName;
    steps: number[];
    baseline: boolean;
    route?: string;
    service?: string;
    canaryReplicas?: number;
    match?: TrafficMatch;
  };
  lockWait: string;
  readyTimeout: string;
  notifyDeadline: string;
  rollbackDeadline: string;
  apiRetryBudget: string;
  analysis: RawAnalysis;
}

function buildTraffic(raw: RawConfig['traffic']): TrafficConfig {
  const { steps } = raw;
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    if (previous !== undefined && step <= previous) {
      throw new ConfigError(
        `traffic.steps[${i}]`,
        `expected increasing weights (after ${previous}), got ${step}`,
      );
    }
  });
  if (raw.router !== 'replicas' && raw.route === undefined) {
    throw new ConfigError(
      'traffic.route',
      `is required by the ${raw.router} router (KIND/NAME, e.g. httproute/web)`,
    );
  }
  const { match } = raw;
  if (match && (match.exact === undefined) === (match.regex === undefined)) {
    throw new ConfigError(
      'traffic.match',
      `expected exactly one of exact or regex for header ${match.header}`,
    );
  }
  return {
    router: raw.router,
    steps,
    baseline: raw.baseline,
    ...(raw.route === undefined ? {} : { route: raw.route }),
    ...(raw.service === undefined ? {} : { service: raw.service }),
    ...(raw.canaryReplicas === undefined ? {} : { canaryReplicas: raw.canaryReplicas }),
    ...(match ? { match } : {}),
  };
}

interface RawAnalysis {
  provider: RawProvider;
  tracks?: { canary: string; baseline: string };
  interval: string;
  warmup: string;
  minDuration: string;
  maxDuration: string;
  alpha: number;
  onInconclusive: AnalysisConfig['onInconclusive'];
  trafficShare: false | { expected: number; tolerance: number; blocking: boolean };
  aa: boolean;
  metrics: RawMetric[];
}

type RawProvider = Record<string, unknown> &
  Pick<ProviderConfig, 'type' | 'url' | 'headers' | 'bearerToken' | 'basicAuth' | 'caFile'> & {
    insecureSkipVerify: boolean;
    timeout: string;
    retries?: number;
    retryBudget: string;
    outage: string;
  };

function buildAnalysis(raw: RawAnalysis, extra: Record<string, string>): AnalysisConfig {
  const provider = buildProvider(raw.provider, extra);
  const intervalMs = parseDuration(raw.interval, 'analysis.interval', { minMs: 1000 });
  const minDurationMs = parseDuration(raw.minDuration, 'analysis.minDuration');
  const maxDurationMs = parseDuration(raw.maxDuration, 'analysis.maxDuration');
  if (maxDurationMs < intervalMs) {
    throw new ConfigError(
      'analysis.maxDuration',
      `expected at least one interval (${raw.interval}), got ${raw.maxDuration}`,
    );
  }
  if (minDurationMs > maxDurationMs) {
    throw new ConfigError(
      'analysis.minDuration',
      `expected at most maxDuration (${raw.maxDuration}), got ${raw.minDuration}`,
    );
  }
  const metrics = raw.metrics.map((metric, i) => buildMetric(metric, i, provider.type));
  const seen = new Set<string>();
  metrics.forEach((metric, i) => {
    if (seen.has(metric.name)) {
      throw new ConfigError(
        `analysis.metrics[${i}].name`,
        `duplicate metric name ${JSON.stringify(metric.name)}`,
      );
    }
    seen.add(metric.name);
  });
  if (!metrics.some((metric) => metric.blocking)) {
    throw new ConfigError(
      'analysis.metrics',
      'expected at least one blocking metric (blocking: true), got none',
    );
  }
  return {
    provider,
    ...(raw.tracks ? { tracks: raw.tracks } : {}),
    intervalMs,
    warmupMs: parseDuration(raw.warmup, 'analysis.warmup'),
    minDurationMs,
    maxDurationMs,
    alpha: raw.alpha,
    onInconclusive: raw.onInconclusive,
    trafficShare: raw.trafficShare === false ? null : raw.trafficShare,
    aa: raw.aa,
    metrics,
  };
}

function providerExtra(written: Record<string, unknown>): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const key of PROVIDER_EXTRA_KEYS) {
    // The schema allows strings and numbers here (version: 1 or 2).
    const value = written[key];
    if (typeof value === 'string' || typeof value === 'number') extra[key] = String(value);
  }
  return extra;
}

function buildProvider(raw: RawProvider, extra: Record<string, string>): ProviderConfig {
  try {
    new URL(raw.url);
  } catch {
    throw new ConfigError(
      'analysis.provider.url',
      `expected an absolute http(s) URL, got ${JSON.stringify(raw.url)}`,
    );
  }
  if (!/^https?:$/.test(new URL(raw.url).protocol)) {
    throw new ConfigError(
      'analysis.provider.url',
      `expected an http or https URL, got ${JSON.stringify(raw.url)}`,
    );
  }
  return {
    type: raw.type,
    url: raw.url,
    headers: raw.headers ?? {},
    ...(raw.bearerToken === undefined ? {} : { bearerToken: raw.bearerToken }),
    ...(raw.basicAuth === undefined ? {} : { basicAuth: raw.basicAuth }),
    ...(raw.caFile === undefined ? {} : { caFile: raw.caFile }),
    insecureSkipVerify: raw.insecureSkipVerify,
    timeoutMs: parseDuration(raw.timeout, 'analysis.provider.timeout'),
    ...(raw.retries === undefined ? {} : { retries: raw.retries }),
    retryBudgetMs: parseDuration(raw.retryBudget, 'analysis.provider.retryBudget'),
    outageMs: parseDuration(raw.outage, 'analysis.provider.outage'),
    extra,
  };
}

function buildMetric(raw: RawMetric, index: number, providerType: ProviderType): MetricConfig {
  const path = `analysis.metrics[${index}]`;
  let written: RawMetric = raw;
  if (raw.template !== undefined) {
    const template = BUILT_IN_TEMPLATES[raw.template];
    if (!template)
      throw new ConfigError(`${path}.template`, `unknown template ${JSON.stringify(raw.template)}`);
    if (!template.providers.includes(providerType)) {
      throw new ConfigError(
        `${path}.template`,
        `template ${JSON.stringify(raw.template)} is written for ${template.providers.join(', ')}, not ${providerType}: define the metric's queries yourself`,
      );
    }
    written = { ...template.metric, ...raw };
  }
  // The schema's defaults apply after the template's values (which they must not override).
  const merged = withDefaults(METRIC_SCHEMA, written) as DefaultedMetric;
  const type = merged.type;
  const name = merged.name;
  if (!type || !name) throw new ConfigError(path, 'expected a template or both name and type');
  for (const field of ['bad', 'total', 'query'] as const) {
    const query = merged[field];
    if (query === undefined) continue;
    const unknown = unknownVariables(query);
    if (unknown.length > 0) {
      throw new ConfigError(
        `${path}.${field}`,
        `unknown query variable {{${unknown[0]}}} (known: ${QUERY_VARIABLES.map((v) => `{{${v}}}`).join(', ')})`,
      );
    }
  }
  if (
    type === 'threshold' &&
    merged.min !== undefined &&
    merged.max !== undefined &&
    merged.min > merged.max
  ) {
    throw new ConfigError(`${path}.min`, `expected min ≤ max (${merged.max}), got ${merged.min}`);
  }
  return {
    name,
    type,
    ...(raw.template === undefined ? {} : { template: raw.template }),
    tolerance: merged.tolerance ?? (type === 'threshold' ? 1 : DEFAULT_TOLERANCE[type]),
    blocking: merged.blocking ?? type !== 'gauge',
    direction: merged.direction,
    failureLimit: merged.failureLimit,
    ...pick(merged, ['bad', 'total', 'histogram', 'query', 'min', 'max']),
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
