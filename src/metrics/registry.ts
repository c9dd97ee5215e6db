import { createRegistry } from '../util/registry.ts';
import { createDatadogProvider } from './datadog.ts';
import { createInfluxDBProvider } from './influxdb.ts';
import { createPrometheusProvider } from './prometheus.ts';
import type { HttpProviderOptions, MetricsProvider } from './provider.ts';

/** `analysis.provider.type` → the provider's factory. */
export const METRICS_PROVIDERS = createRegistry<(options: HttpProviderOptions) => MetricsProvider>(
  'metrics provider',
  {
    prometheus: createPrometheusProvider,
    influxdb: createInfluxDBProvider,
    datadog: createDatadogProvider,
  },
);

export const providerTypes = METRICS_PROVIDERS.names;

/** Builds the provider named by `analysis.provider.type`. */
export function createProvider(type: string, options: HttpProviderOptions): MetricsProvider {
  return METRICS_PROVIDERS.get(type, 'analysis.provider.type')(options);
}
