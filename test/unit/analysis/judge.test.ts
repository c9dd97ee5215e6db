import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../../src/analysis/judge.ts';
import { ConfigError } from '../../../src/util/errors.ts';
import type { JudgeSpec, MetricSpec, Observation, Poll } from '../../../src/analysis/types.ts';
import { simulateRun } from './simulate.ts';

const errors: MetricSpec = { name: 'errors', kind: 'ratio', tolerance: 1.5, blocking: true };

function spec(metrics: MetricSpec[], extra: Partial<JudgeSpec> = {}): JudgeSpec {
  return {
    alpha: 0.05,
    metrics,
    minDurationSeconds: 60,
    maxDurationSeconds: 300,
    onInconclusive: 'fail',
    ...extra,
  };
}

function polls(
  count: number,
  observe: (i: number) => Record<string, Observation>,
  extra: (i: number) => Partial<Poll> = () => ({}),
) {
  return Array.from({ length: count }, (_, i) => ({
    t: 30 * (i + 1),
    observations: observe(i),
    ...extra(i),
  }));
}

const ratio = (
  canaryBad: number,
  canaryTotal: number,
  baselineBad: number,
  baselineTotal: number,
): Observation => ({
  kind: 'ratio',
  canaryBad,
  canaryTotal,
  baselineBad,
  baselineTotal,
});

describe('evaluate', () => {
  test('is deterministic: same inputs, deep-equal decisions', () => {
    const history = simulateRun({
      seed: 11,
      pollSeconds: 30,
      polls: 12,
      canary: { rps: () => 40, errorRate: () => 0.02, medianLatency: 0.06 },
      baseline: { rps: () => 40, errorRate: () => 0.01, medianLatency: 0.05 },
      ratioMetric: 'errors',
      latencyMetric: 'latency',
    });
    const judge = spec([errors, { name: 'latency', kind: 'latency', tolerance: 1.5, blocking: false }], {
      trafficShare: { expected: 0.5, tolerance: 0.1 },
    });
    assert.deepEqual(evaluate(judge, history), evaluate(judge, structuredClone(history)));
  });

  test('fills every field of a ratio result, with a reason that carries the numbers', () => {
    const decision = evaluate(
      spec([errors]),
      polls(3, () => ({ errors: ratio(2, 1000, 2, 1000) })),
    );
    const metric = decision.metrics[0]!;
    assert.equal(decision.verdict, 'continue');
    assert.equal(metric.verdict, 'running');
    assert.deepEqual(metric.canary, { bad: 6, total: 3000, rate: 0.002 });
    assert.deepEqual(metric.baseline, { bad: 6, total: 3000, rate: 0.002 });
    assert.equal(metric.estimate, 1);
    assert.ok(metric.bounds![0] < 1 && metric.bounds![1] > 1);
    assert.equal(metric.threshold, 20); // alpha 0.05, one blocking metric
    assert.equal(metric.trajectory.length, 3);
    // The first polls' evidence is tempered by the dispersion prior (nothing measured yet).
    assert.deepEqual(Object.keys(metric.trajectory[0]!).sort(), [
      'baseline',
      'canary',
      'dispersion',
      'evidence',
      't',
    ]);
    assert.ok(metric.trajectory[0]!.dispersion! >= 1);
    assert.equal(metric.samples, 3);
    assert.equal(metric.noDataPolls, 0);
    assert.match(metric.reason, /canary 0\.2% \(6\/3000\) vs baseline 0\.2% \(6\/3000\)/);
  });

  test('splits alpha over blocking metrics and a blocking traffic-share guard, not threshold metrics', () => {
    const metrics: MetricSpec[] = [
      errors,
      { name: 'latency', kind: 'latency', blocking: true },
      { name: 'cpu', kind: 'gauge', blocking: false },
      { name: 'saturation', kind: 'threshold', max: 1, blocking: true },
    ];
    const blocking = evaluate(
      spec(metrics, { trafficShare: { expected: 0.5, tolerance: 0.1, blocking: true } }),
      [],
    );
    // 0.05 / (2 blocking statistical metrics + 1 guard)
    assert.deepEqual(
      blocking.metrics.map((m) => m.threshold),
      [60, 60, 60, 1],
    );
    assert.deepEqual(blocking.alpha, {
      total: 0.05,
      perTest: 0.05 / 3,
      tests: ['errors', 'latency', 'guard traffic-share'],
      steps: 1,
    });
    // An advisory guard takes no share of alpha.
    const advisory = evaluate(spec(metrics, { trafficShare: { expected: 0.5, tolerance: 0.1 } }), []);
    assert.deepEqual(
      advisory.metrics.map((m) => m.threshold),
      [40, 40, 40, 1],
    );
  });

  test('polls without data are counted, and a metric without any data is nodata, never pass or fail', () => {
    const missing: Record<string, Observation> = {
      errors: { kind: 'nodata', reason: 'query returned no series' },
    };
    const history = polls(10, (i) => (i % 2 ? missing : {}));
    const decision = evaluate(spec([errors]), history);
    assert.equal(decision.metrics[0]!.verdict, 'nodata');
    assert.equal(decision.metrics[0]!.noDataPolls, 10);
    assert.equal(decision.metrics[0]!.samples, 0);
    assert.equal(decision.verdict, 'inconclusive');
    assert.match(decision.reason, /no data for errors .*query returned no series/);
  });

  test('no bad events on either track: passes at maxDuration and says the ratio is taken as 1', () => {
    const decision = evaluate(
      spec([errors]),
      polls(10, () => ({ errors: ratio(0, 1000, 0, 1000) })),
    );
    assert.equal(decision.verdict, 'pass');
    assert.match(decision.metrics[0]!.reason, /no bad events on either track/);
  });

  test('notes polls where the canary had traffic and the baseline had none', () => {
    const decision = evaluate(
      spec([errors]),
      polls(2, (i) => ({ errors: i === 0 ? ratio(1, 100, 0, 0) : ratio(1, 100, 1, 100) })),
    );
    assert.match(decision.metrics[0]!.reason, /baseline had no traffic in 1 poll/);
  });

  test('a non-blocking metric fails on its own but never decides', () => {
    const decision = evaluate(
      spec([{ ...errors, blocking: false }], { maxDurationSeconds: 3000 }),
      polls(6, () => ({ errors: ratio(60, 1000, 5, 1000) })),
    );
    assert.equal(decision.metrics[0]!.verdict, 'fail');
    assert.notEqual(decision.verdict, 'fail');
  });

  test('onInconclusive only labels the reason', () => {
    for (const policy of ['fail', 'pass', 'hold'] as const) {
      const decision = evaluate(
        spec([errors], { onInconclusive: policy }),
        polls(10, () => ({})),
      );
      assert.equal(decision.verdict, 'inconclusive');
      assert.match(decision.reason, new RegExp(`onInconclusive=${policy}`));
    }
  });

  test('rejects a bad spec naming the field, the value and what was expected', () => {
    assert.throws(
      () => evaluate({ ...spec([errors]), alpha: 2 }, []),
      (error: unknown) => error instanceof ConfigError && /alpha.*between 0 and 1.*got 2/.test(error.message),
    );
    assert.throws(
      () => evaluate(spec([{ ...errors, tolerance: -1 }]), []),
      (error: unknown) => error instanceof ConfigError && /metrics\[0\]\.tolerance/.test(error.message),
    );
  });
});

describe('threshold metrics', () => {
  const saturation: MetricSpec = {
    name: 'saturation',
    kind: 'threshold',
    max: 0.8,
    blocking: true,
    failureLimit: 2,
  };
  const values = [0.5, 0.9, 0.6, 0.95, 0.4];
  const history = polls(values.length, (i) => ({ saturation: { kind: 'threshold', value: values[i]! } }));

  test('fails only when failed measurements reach failureLimit', () => {
    const afterOneFailure = evaluate(spec([saturation]), history.slice(0, 3));
    assert.equal(afterOneFailure.metrics[0]!.failures, 1);
    assert.notEqual(afterOneFailure.verdict, 'fail');
    const afterTwo = evaluate(spec([saturation]), history.slice(0, 4));
    assert.equal(afterTwo.verdict, 'fail');
    assert.equal(afterTwo.metrics[0]!.failures, 2);
    assert.match(afterTwo.reason, /saturation: failure 2 of limit 2 reached at t=120s/);
  });

  test('the default failureLimit is 1, and a value that is not a number is a failed measurement', () => {
    const decision = evaluate(
      spec([{ name: 'q', kind: 'threshold', min: 0, blocking: true }]),
      polls(1, () => ({ q: { kind: 'threshold', value: NaN } })),
    );
    assert.equal(decision.verdict, 'fail');
  });
});

describe('restarts guard', () => {
  test('trips when the canary restarts while the baseline has none', () => {
    const observe = () => ({ errors: ratio(1, 1000, 1, 1000) });
    const quiet = evaluate(
      spec([errors]),
      polls(3, observe, () => ({ restarts: { canary: 0, baseline: 0 } })),
    );
    assert.equal(quiet.guards.find((g) => g.name === 'restarts')!.tripped, false);
    const crashed = evaluate(
      spec([errors]),
      polls(3, observe, (i) => ({ restarts: { canary: i, baseline: 0 } })),
    );
    assert.equal(crashed.verdict, 'fail');
    assert.match(crashed.reason, /guard restarts: canary restarted 1 time\(s\) by t=60s/);
    const both = evaluate(
      spec([errors]),
      polls(3, observe, (i) => ({ restarts: { canary: i, baseline: 1 } })),
    );
    assert.equal(both.guards.find((g) => g.name === 'restarts')!.tripped, false);
  });
});

describe('verdict timing', () => {
  const clean = () => ({ errors: ratio(100, 100_000, 100, 100_000) });

  test('no early pass before minDuration, even with tight bounds', () => {
    const timing = { minDurationSeconds: 120, maxDurationSeconds: 900 };
    const early = evaluate(spec([errors], timing), polls(3, clean));
    assert.equal(early.verdict, 'continue');
    assert.match(early.reason, /early pass is possible from 120s/);
    const history = polls(30, clean);
    const first = history.findIndex(
      (_, i) => evaluate(spec([errors], timing), history.slice(0, i + 1)).verdict !== 'continue',
    );
    assert.ok(first >= 3 && first < 29, `decided at poll ${first + 1}`);
    const later = evaluate(spec([errors], timing), history.slice(0, first + 1));
    assert.equal(later.verdict, 'pass');
    assert.match(later.reason, /upper bound .* < tolerance 1\.5/);
  });

  test('latency without enough baseline observations to choose bounds is inconclusive at maxDuration', () => {
    const few = (count: number) => [
      { le: 0.1, count },
      { le: Infinity, count },
    ];
    const decision = evaluate(
      spec([{ name: 'latency', kind: 'latency', blocking: true }]),
      polls(10, () => ({ latency: { kind: 'latency', canary: few(3), baseline: few(3) } })),
    );
    assert.equal(decision.verdict, 'inconclusive');
    assert.match(decision.reason, /baseline recorded 30 observations, 100 are needed/);
  });

  test('a blocking gauge decides; an advisory one only reports', () => {
    const gauge = (canary: number) => ({ cpu: { kind: 'gauge' as const, canary, baseline: 1 } });
    const noisy = (i: number) => 2 + 0.1 * Math.sin(i);
    const history = polls(8, (i) => gauge(noisy(i)));
    const advisory = evaluate(spec([errors, { name: 'cpu', kind: 'gauge', blocking: false }]), history);
    assert.equal(advisory.metrics[1]!.verdict, 'fail');
    assert.notEqual(advisory.verdict, 'fail');
    const blocking = evaluate(spec([{ name: 'cpu', kind: 'gauge', blocking: true }]), history);
    assert.equal(blocking.verdict, 'fail');
    assert.equal(
      blocking.metrics[0]!.estimate,
      history.reduce((s, p) => s + (p.observations.cpu as { canary: number }).canary, 0) / 8,
    );
  });
});

describe('one release, several steps', () => {
  // A steady 1.6× excess: 16 vs 10 bad events per poll, 10,000 requests per arm.
  const excess = () => ({ errors: ratio(16, 10_000, 10, 10_000) });
  const stepped = (step: number, count: number, offset: number) =>
    polls(count, excess, (i) => ({ t: offset + 30 * (i + 1), step, elapsed: 30 * (i + 1) }));
  const judge = spec([errors], { minDurationSeconds: 60, maxDurationSeconds: 300 });

  test('evidence and alpha carry over from earlier steps: one e-process, as if the steps were one analysis', () => {
    const release = [...stepped(0, 10, 0), ...stepped(1, 4, 300)];
    const carried = evaluate(judge, release);
    const unstepped = evaluate(
      { ...judge, maxDurationSeconds: 3000 },
      release.map(({ t, observations }) => ({ t, observations })),
    );
    assert.deepEqual(carried.alpha, { total: 0.05, perTest: 0.05, tests: ['errors'], steps: 2 });
    assert.equal(carried.metrics[0]!.trajectory.length, 14, 'every poll of the release');
    assert.equal(carried.metrics[0]!.canary.total, 140_000, 'counts of both steps');
    assert.equal(carried.metrics[0]!.evidence, unstepped.metrics[0]!.evidence, 'no fresh start at step 2');
    const fresh = evaluate(judge, stepped(1, 4, 300));
    assert.notEqual(fresh.metrics[0]!.evidence, carried.metrics[0]!.evidence, 'a fresh start differs');
  });

  test("minDuration and maxDuration count per step, from the step's own elapsed time", () => {
    const first = stepped(0, 10, 0);
    const early = evaluate(judge, [...first, ...stepped(1, 1, 300)]);
    assert.equal(early.verdict, 'continue', early.reason);
    assert.match(early.reason, /early pass is possible from 60s/);
    const late = evaluate(judge, [...first, ...stepped(1, 10, 300)]);
    assert.notEqual(late.verdict, 'continue', 'the second step decides by its own maxDuration');
  });
});

describe('zero bad events', () => {
  test('on both tracks: a pass at maxDuration that states the upper bound on the canary rate', () => {
    const decision = evaluate(
      spec([errors]),
      polls(10, () => ({ errors: ratio(0, 6000, 0, 6000) })),
    );
    const metric = decision.metrics[0]!;
    assert.equal(metric.verdict, 'pass');
    // e^(λ·60,000) reaches 1/α = 20 at λ = ln 20 / 60,000.
    assert.ok(Math.abs(metric.canary.rateUpper! - Math.log(20) / 60_000) < 1e-15);
    assert.match(metric.reason, /no bad events on either track .* the canary's rate is below 0\.00499%/);
    assert.doesNotMatch(metric.reason, /taken as 1/);
  });

  test('a handful of events on little traffic is inconclusive at 80% power, not a pass', () => {
    const decision = evaluate(
      spec([errors]),
      polls(10, (i) => ({ errors: ratio(i === 3 ? 1 : 0, 60, i === 7 ? 1 : 0, 60) })),
    );
    assert.equal(decision.verdict, 'inconclusive');
    assert.match(decision.metrics[0]!.reason, /80% power/);
  });

  test('a pass at maxDuration names the upper bound the data allow', () => {
    const decision = evaluate(
      spec([errors]),
      polls(10, () => ({ errors: ratio(20, 10_000, 20, 10_000) })),
    );
    assert.equal(decision.verdict, 'pass');
    assert.match(decision.reason, /no evidence of harm.*compatible with ratios up to \d/);
  });
});
