/** Release events as the pipeline will build them: from a release report, with the run's identity. */
import type { AnalysisReport } from '../../../src/report/json.ts';
import type { ReleaseReport } from '../../../src/pipeline/release-report.ts';
import { releaseEvent } from '../../../src/notify/event.ts';
import type { NotifyEventName, ReleaseEvent } from '../../../src/notify/types.ts';

type Metric = AnalysisReport['metrics'][number];

const metric = (overrides: Partial<Metric> & Pick<Metric, 'name' | 'type'>): Metric => ({
  blocking: true,
  verdict: 'pass',
  reason: 'within tolerance',
  canary: {},
  baseline: {},
  estimate: null,
  bounds: null,
  evidence: 1,
  threshold: 200,
  minimumDetectableEffect: null,
  queries: {},
  samples: 4,
  noDataPolls: 0,
  trajectory: [],
  ...overrides,
});

export const errorRate = metric({
  name: 'http-error-rate',
  type: 'ratio',
  verdict: 'fail',
  reason: 'canary 8.1% vs baseline 1.0%: ratio 8.08 ≥ tolerance 1.5 (e-value 1.2e6 ≥ 200)',
  canary: { bad: 97, total: 1200, rate: 0.0808 },
  baseline: { bad: 12, total: 1200, rate: 0.01 },
  estimate: 8.08,
  bounds: [3.9, null],
  effectiveTolerance: 1.62,
});

export const latency = metric({
  name: 'http-latency',
  type: 'latency',
  canary: { bad: 30, total: 1200, rate: 0.025 },
  baseline: { bad: 28, total: 1200, rate: 0.0233 },
  estimate: 1.07,
  bounds: [0.6, 1.9],
});

export const cpu = metric({
  name: 'cpu_per_request',
  type: 'gauge',
  blocking: false,
  canary: { value: 0.0123 },
  baseline: { value: 0.0119 },
  estimate: 1.03,
  bounds: [0.9, 1.2],
});

export const p99 = metric({
  name: 'p99-slo',
  type: 'threshold',
  canary: { value: 0.4213 },
  estimate: 0.4213,
  failures: 0,
});

export const specs = [
  { name: 'http-error-rate', tolerance: 1.5 },
  { name: 'http-latency', tolerance: 1.2 },
  { name: 'cpu_per_request', tolerance: 1.3 },
  { name: 'p99-slo', tolerance: 1.5, max: 0.5 },
];

/** A rolled-back release whose second step failed (what run-pipeline's finish() writes). */
export const failedReport: ReleaseReport = {
  schemaVersion: 1,
  canary: 'web-canary',
  image: 'ghcr.io/org/web:2.0.0',
  digest: `sha256:${'ab'.repeat(32)}`,
  revision: '3f2a9c1',
  runId: 'github-123456-1',
  phase: 'rolled-back',
  outcome: 'rolled-back',
  analysisOutcome: 'failed',
  exitCode: 1,
  verdict: 'fail',
  reason: 'fail: http-error-rate: canary 8.1% vs baseline 1.0% <b>&</b> rising',
  startedAt: '2026-11-22T10:02:00.000Z',
  decidedAt: '2026-11-22T10:03:32.000Z',
  polls: 3,
  metrics: [errorRate, latency, cpu, p99],
  steps: [
    { weight: 10, verdict: 'pass', reason: 'no evidence of harm' },
    { weight: 50, verdict: 'fail', reason: 'http-error-rate failed' },
  ],
};

export const RELEASE_STARTED_AT = '2026-11-22T10:00:00.000Z';
export const JOB_URL = 'https://github.com/org/web/actions/runs/123456';
export const REPORT_URL = 'https://github.com/org/web/actions/runs/123456/artifacts/99';

/** The event of `name` for the release above (time: four minutes after its start). */
export function eventOf(name: NotifyEventName, overrides: Partial<ReleaseEvent> = {}): ReleaseEvent {
  const release =
    name === 'promoted'
      ? {
          ...failedReport,
          outcome: 'promoted',
          phase: 'promoted' as const,
          verdict: 'pass' as const,
          reason: 'every step passed; deployment/web runs ghcr.io/org/web:2.0.0',
          metrics: [
            { ...errorRate, verdict: 'pass' as const, reason: 'ok', estimate: 1.01 },
            latency,
            cpu,
            p99,
          ],
        }
      : name === 'started'
        ? {
            runId: failedReport.runId,
            revision: failedReport.revision,
            image: failedReport.image,
            digest: failedReport.digest,
          }
        : failedReport;
  return {
    ...releaseEvent({
      event: name,
      release,
      workload: 'deployment/web',
      namespace: 'shop',
      startedAt: RELEASE_STARTED_AT,
      time: new Date('2026-11-22T10:04:00.000Z'),
      stepCount: 2,
      links: { job: JOB_URL, report: REPORT_URL },
      metricSpecs: specs,
    }),
    ...overrides,
  };
}
