import type { AnalysisReport } from '../../../src/report/json.ts';
import type { RenderableReport } from '../../../src/report/view.ts';

type Metric = AnalysisReport['metrics'][number];

export const errorsMetric: Metric = {
  name: 'errors',
  type: 'ratio',
  blocking: true,
  verdict: 'fail',
  reason: 'e-value 512 reached 300',
  canary: { bad: 40, total: 1000, rate: 0.04 },
  baseline: { bad: 10, total: 1000, rate: 0.01 },
  estimate: 4,
  bounds: [1.9, null],
  evidence: 512.3,
  threshold: 300,
  minimumDetectableEffect: null,
  queries: { 'canary.bad': 'sum(increase(http_requests_total{code=~"5.."}[30s]))' },
  samples: 2,
  noDataPolls: 0,
  trajectory: [
    { t: 30, evidence: 3.2, canary: 0.03, baseline: 0.01 },
    { t: 60, evidence: 512.3, canary: 0.05, baseline: 0.01 },
  ],
};

export const sloMetric: Metric = {
  name: 'p99',
  type: 'threshold',
  blocking: false,
  verdict: 'pass',
  reason: 'within bounds',
  canary: { value: 0.4213 },
  baseline: {},
  estimate: 0.4213,
  bounds: null,
  evidence: 1,
  threshold: 2,
  minimumDetectableEffect: null,
  failures: 0,
  queries: {},
  samples: 2,
  noDataPolls: 0,
  trajectory: [],
};

/** A ratio metric that never had traffic on either track: no ratio, bounds [0, ∞] meaning nothing. */
export const noDataMetric: Metric = {
  ...errorsMetric,
  name: 'no-traffic',
  verdict: 'nodata',
  reason: 'canary – vs baseline –; ratio n/a, bounds [0, ∞]; no data in 3 poll(s)',
  canary: { bad: 0, total: 0 },
  baseline: { bad: 0, total: 0 },
  estimate: null,
  bounds: [0, null],
  evidence: 1,
  samples: 3,
  trajectory: [],
};

/** Counts as Prometheus' increase() returns them: extrapolated, rarely whole. */
export const fractionalMetric: Metric = {
  ...errorsMetric,
  name: 'fractional',
  verdict: 'pass',
  canary: { bad: 0, total: 621.9319145055985, rate: 0 },
  baseline: { bad: 3.4721, total: 1187.50213, rate: 0.0029238 },
  estimate: 1,
  bounds: [0, 2.5],
};

/** A small rolled-back release: one ratio metric that failed, one advisory threshold metric. */
export const smallReport: RenderableReport = {
  schemaVersion: 1,
  verdict: 'fail',
  reason: 'regression detected: errors',
  outcome: 'rolled-back',
  exitCode: 1,
  polls: 2,
  canary: 'web-canary',
  image: 'registry.local:5000/web',
  digest: 'sha256:abc',
  metrics: [errorsMetric, sloMetric],
  guards: [{ name: 'traffic-share', tripped: false, blocking: false, reason: 'share 0.5 as expected' }],
};
