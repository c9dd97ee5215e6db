import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision, MetricResult } from '../../../src/analysis/types.ts';
import { buildReport, outcomeOf } from '../../../src/report/json.ts';
import { progressLine } from '../../../src/report/progress.ts';

const errors: MetricResult = {
  name: 'errors',
  kind: 'ratio',
  blocking: true,
  verdict: 'fail',
  canary: { bad: 40, total: 1000, rate: 0.04 },
  baseline: { bad: 10, total: 1000, rate: 0.01 },
  estimate: 4,
  bounds: [1.9, Infinity],
  evidence: 512.3,
  threshold: 300,
  trajectory: [{ t: 30, evidence: 512.3, canary: 0.04, baseline: 0.01 }],
  samples: 1,
  noDataPolls: 0,
  reason: 'e-value 512 reached 300',
};
const slo: MetricResult = {
  name: 'p99',
  kind: 'threshold',
  blocking: true,
  verdict: 'running',
  canary: { value: 0.4213 },
  baseline: {},
  evidence: 1,
  threshold: 2,
  trajectory: [],
  samples: 1,
  noDataPolls: 0,
  failures: 1,
  reason: '1 of 2 failures',
};
const decision: Decision = {
  verdict: 'fail',
  reason: 'regression detected: errors',
  metrics: [errors, slo],
  guards: [],
  alpha: { total: 0.01, perTest: 0.01, tests: ['errors'], steps: 1 },
};

describe('report', () => {
  test('exit codes and outcomes follow the verdict and the inconclusive policy', () => {
    assert.deepEqual(outcomeOf('pass', 'fail'), { outcome: 'passed', exitCode: 0 });
    assert.deepEqual(outcomeOf('fail', 'pass'), { outcome: 'failed', exitCode: 1 });
    assert.deepEqual(outcomeOf('inconclusive', 'fail'), { outcome: 'inconclusive', exitCode: 3 });
    assert.deepEqual(outcomeOf('inconclusive', 'pass'), { outcome: 'passed', exitCode: 0 });
    assert.deepEqual(outcomeOf('inconclusive', 'hold'), { outcome: 'held', exitCode: 0 });
  });

  test('JSON report: schema version, queries per metric, unbounded values as null, round-trips through JSON', () => {
    const report = buildReport(
      {
        decision,
        polls: [{ t: 30, observations: {} }],
        queries: { errors: { 'canary.bad': 'sum(x)' } },
        startedAt: new Date('2026-01-01T00:00:00Z'),
        decidedAt: new Date('2026-01-01T00:01:00Z'),
      },
      'fail',
    );
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.exitCode, 1);
    assert.deepEqual(report.metrics[0]?.bounds, [1.9, null]);
    assert.deepEqual(report.metrics[0]?.queries, { 'canary.bad': 'sum(x)' });
    assert.equal(report.metrics[1]?.failures, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });

  test('progress line: a metric without data says ratio n/a, without the meaningless bounds', () => {
    const empty: MetricResult = {
      ...errors,
      verdict: 'running',
      canary: { bad: 0, total: 0 },
      baseline: { bad: 0, total: 0 },
      estimate: NaN,
      bounds: [0, Infinity],
      evidence: 1,
    };
    const line = progressLine({ ...decision, verdict: 'continue', metrics: [empty] }, 10_000, 600_000);
    assert.equal(line, '[10s/10m] errors – vs – ratio n/a e=1/300 running → continue');
  });

  test('progress line: elapsed/max, rates, ratio with bounds, evidence and status', () => {
    assert.equal(
      progressLine(decision, 90_000, 600_000),
      '[1m30s/10m] errors 4% vs 1% ×4 [1.9, ∞] e=512/300 fail | p99 0.421 (1 failed) running → fail',
    );
  });
});
