// releaseEvent: one pure call from what the pipeline has (a release report, an analysis report with the
// release's identity, or the live state a post step reads back), and the decision event of a release.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventForRelease, releaseEvent } from '../../../src/notify/event.ts';
import type { LiveState } from '../../../src/pipeline/live-release.ts';
import {
  errorRate,
  eventOf,
  failedReport,
  JOB_URL,
  RELEASE_STARTED_AT,
  REPORT_URL,
  specs,
} from './fixture.ts';

describe('eventForRelease', () => {
  test('every release outcome maps to one decision event; a dry run to none', () => {
    assert.equal(eventForRelease({ outcome: 'promoted', verdict: 'pass' }), 'promoted');
    assert.equal(eventForRelease({ outcome: 'held', verdict: 'inconclusive' }), 'held');
    assert.equal(eventForRelease({ outcome: 'deployed' }), 'held');
    assert.equal(eventForRelease({ outcome: 'failed' }), 'failed');
    assert.equal(
      eventForRelease({ outcome: 'rolled-back', verdict: 'fail', analysisOutcome: 'failed' }),
      'failed',
    );
    assert.equal(
      eventForRelease({ outcome: 'rolled-back', verdict: 'inconclusive', analysisOutcome: 'inconclusive' }),
      'inconclusive',
    );
    // An error or a cancelled job after a passing step: rolled back, not failed by the judge.
    assert.equal(
      eventForRelease({ outcome: 'rolled-back', verdict: 'pass', analysisOutcome: 'passed' }),
      'rolled-back',
    );
    assert.equal(eventForRelease({ outcome: 'rolled-back' }), 'rolled-back');
    assert.equal(eventForRelease({ outcome: 'rollback-incomplete', verdict: 'fail' }), 'failed');
    assert.equal(eventForRelease({ outcome: 'lease-lost' }), 'failed');
    assert.equal(eventForRelease({ outcome: 'planned' }), undefined);
  });
});

describe('releaseEvent', () => {
  test('from a release report: identity, verdict, reason, steps, per-metric results with their bounds', () => {
    const event = eventOf('failed');
    assert.deepEqual(
      {
        event: event.event,
        runId: event.runId,
        workload: event.workload,
        namespace: event.namespace,
        revision: event.revision,
        image: event.image,
        digest: event.digest,
        phase: event.phase,
        verdict: event.verdict,
        step: event.step,
        startedAt: event.startedAt,
        time: event.time,
        decidedAt: event.decidedAt,
        links: event.links,
      },
      {
        event: 'failed',
        runId: 'github-123456-1',
        workload: 'web',
        namespace: 'shop',
        revision: '3f2a9c1',
        image: 'ghcr.io/org/web:2.0.0',
        digest: failedReport.digest,
        phase: 'rolled-back',
        verdict: 'fail',
        step: null,
        startedAt: RELEASE_STARTED_AT,
        time: '2026-11-22T10:04:00.000Z',
        decidedAt: '2026-11-22T10:04:00.000Z',
        links: { job: JOB_URL, report: REPORT_URL },
      },
    );
    assert.equal(event.reason, failedReport.reason);
    assert.deepEqual(event.steps, failedReport.steps);
    assert.equal(event.metrics.length, 4);
    assert.deepEqual(event.metrics[0], {
      name: 'http-error-rate',
      type: 'ratio',
      blocking: true,
      verdict: 'fail',
      reason: errorRate.reason,
      canary: { bad: 97, total: 1200, rate: 0.0808 },
      baseline: { bad: 12, total: 1200, rate: 0.01 },
      estimate: 8.08,
      bounds: [3.9, null],
      tolerance: 1.5,
      effectiveTolerance: 1.62,
      min: null,
      max: null,
    });
    const threshold = event.metrics[3];
    assert.equal(threshold?.type, 'threshold');
    assert.deepEqual([threshold?.tolerance, threshold?.min, threshold?.max], [null, null, 0.5]);
  });

  test('is pure: the same input gives the same event, and the input is not changed', () => {
    const before = JSON.stringify(failedReport);
    assert.deepEqual(eventOf('failed'), eventOf('failed'));
    assert.equal(JSON.stringify(failedReport), before);
    const event = eventOf('failed');
    event.metrics[0]!.canary.rate = 1;
    assert.equal(failedReport.metrics?.[0]?.canary.rate, 0.0808);
  });

  test('started carries no verdict and no metrics; a step says which step passed, of how many', () => {
    const started = eventOf('started');
    assert.equal(started.verdict, null);
    assert.deepEqual(started.metrics, []);
    assert.equal(started.decidedAt, null);
    assert.equal(started.phase, 'deploying');
    const step = releaseEvent({
      event: 'step',
      release: {
        ...failedReport,
        phase: 'analysing',
        verdict: 'pass',
        steps: failedReport.steps.slice(0, 1),
      },
      workload: 'web',
      namespace: 'shop',
      startedAt: RELEASE_STARTED_AT,
      time: '2026-11-22T10:02:40.000Z',
      stepCount: 2,
    });
    assert.deepEqual(step.step, { number: 1, count: 2, weight: 10 });
    assert.equal(step.decidedAt, failedReport.decidedAt);
    assert.deepEqual(step.links, { job: null, report: null });
  });

  test('a post step builds rolled-back from the canary\'s live state, with the reason "job cancelled"', () => {
    const live: LiveState = {
      runId: 'github-123456-1',
      revision: '3f2a9c1',
      image: 'ghcr.io/org/web:2.0.0',
      digest: '',
      phase: 'analysing',
      startedAt: RELEASE_STARTED_AT,
      runUrl: JOB_URL,
      step: '1',
    };
    const event = releaseEvent({
      event: 'rolled-back',
      release: live,
      workload: 'web',
      namespace: 'shop',
      startedAt: live.startedAt,
      time: '2026-11-22T10:05:00.000Z',
      reason: 'job cancelled',
      links: { job: live.runUrl },
      metricSpecs: specs,
    });
    assert.equal(event.reason, 'job cancelled');
    assert.equal(event.digest, null);
    assert.equal(event.verdict, null);
    assert.equal(event.phase, 'rolled-back', 'where the release is now, not the live state it was read from');
    assert.deepEqual(event.metrics, []);
    assert.equal(event.decidedAt, '2026-11-22T10:05:00.000Z');
  });
});
