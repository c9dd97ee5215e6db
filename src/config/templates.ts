import type { RawMetric } from './types.ts';

/**
 * Built-in metric definitions (`{template: NAME}` in the config), written in PromQL for the
 * instrumentation most HTTP services and kube-state-metrics expose. Any field can be overridden.
 */
export const BUILT_IN_TEMPLATES: Record<string, { providers: readonly string[]; metric: RawMetric }> = {
  'http-error-rate': {
    providers: ['prometheus'],
    metric: {
      name: 'http-error-rate',
      type: 'ratio',
      tolerance: 1.2,
      bad: 'sum(increase(http_requests_total{ {{selector}}, code=~"5.." }[{{interval}}]))',
      total: 'sum(increase(http_requests_total{ {{selector}} }[{{interval}}]))',
    },
  },
  'http-latency': {
    providers: ['prometheus'],
    metric: {
      name: 'http-latency',
      type: 'latency',
      tolerance: 1.2,
      histogram: 'http_request_duration_seconds',
    },
  },
  'pod-restarts': {
    providers: ['prometheus'],
    metric: {
      name: 'pod-restarts',
      type: 'ratio',
      tolerance: 1.2,
      bad: 'sum(increase(kube_pod_container_status_restarts_total{ {{selector}} }[{{interval}}]))',
      // pod-time in scrape samples: the same scrape interval on both tracks makes the ratio fair.
      total: 'sum(count_over_time(kube_pod_container_status_restarts_total{ {{selector}} }[{{interval}}]))',
    },
  },
};
