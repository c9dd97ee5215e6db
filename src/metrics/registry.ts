import type { HttpProviderOptions, MetricsProvider } from './provider.ts';
import { ConfigError } from '../util/errors.ts';
import { createPrometheusProvider } from './prometheus.ts';
import { createInfluxDBProvider } from './influxdb.ts';
import { createDatadogProvider } from './datadog.ts';

const FACTORIES: Record<string, (options: HttpProviderOptions) => MetricsProvider> = {
  prometheus: createPrometheusProvider,
  influxdb: createInfluxDBProvider,
  datadog: createDatadogProvider,
};

export const providerTypes: readonly string[] = Object.freeze(Object.keys(FACTORIES));

/** Builds the provider named by `analysis.provider.type`. */
export function createProvider(type: string, options: HttpProviderOptions): MetricsProvider {
  const factory = Object.hasOwn(FACTORIES, type) ? FACTORIES[type] : undefined;
  if (!factory) {
    throw new ConfigError(
      'analysis.provider.type',
      `unknown metrics provider ${JSON.stringify(type)}; expected one of ${providerTypes.join(', ')}`,
    );
  }
  return factory(options);
}
