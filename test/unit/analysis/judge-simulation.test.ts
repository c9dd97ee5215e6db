/**
 * Seeded simulations of whole analyses, run the way the pipeline runs the judge (after every poll,
 * stopping at the first decision): 50 rps per track, 30 s polls, 10 minutes unless said otherwise.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../../src/analysis/judge.ts';
import type { JudgeSpec, MetricSpec } from '../../../src/analysis/types.ts';
import {
  falseAlarmBound,
  runLikeThePipeline,
  simulateRun,
  type RunModel,
  type TrackModel,
} from './simulate.ts';

const SEEDS = 200;
const ALPHA = 0.01;

function judgeSpec(metric: MetricSpec, extra: Partial<JudgeSpec> = {}): JudgeSpec {
  return {
    alpha: ALPHA,
    metrics: [metric],
    minDurationSeconds: 120,
    maxDurationSeconds: 600,
    onInconclusive: 'fail',
    ...extra,
  };
}
const errors = (tolerance: number): MetricSpec => ({
  name: 'errors',
  kind: 'ratio',
  tolerance,
  blocking: true,
});
const steady = (rps: number, errorRate: number, medianLatency = 0.05): TrackModel => ({
  rps: () => rps,
  errorRate: () => errorRate,
  medianLatency,
});

function tally(spec: JudgeSpec, model: (seed: number) => RunModel, seeds = SEEDS) {
  const counts = { pass: 0, fail: 0, inconclusive: 0, continue: 0 };
  const stoppedAt: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { decision, polls } = runLikeThePipeline(evaluate, spec, simulateRun(model(seed)));
    counts[decision.verdict]++;
    stoppedAt.push(polls);
  }
  return { ...counts, stoppedAt };
}

const run = (seed: number, canary: TrackModel, baseline: TrackModel, polls = 20): RunModel => ({
  seed,
  pollSeconds: 30,
  polls,
  canary,
  baseline,
  ratioMetric: 'errors',
});

describe('ratio metric, simulated', () => {
  // The sharpest null: tolerance 1 and identical tracks, so A/A sits exactly on the boundary of H0.
  const bound = falseAlarmBound(SEEDS, ALPHA); // P(Binomial(200, 0.01) > bound) < 0.01 → 6

  test(`A/A with tolerance 1: at most ${falseAlarmBound(SEEDS, ALPHA)} false alarms in ${SEEDS} seeds`, () => {
    const result = tally(judgeSpec(errors(1)), (seed) => run(seed, steady(50, 0.01), steady(50, 0.01)));
    assert.ok(result.fail <= bound, `${result.fail} false alarms`);
    assert.equal(result.fail + result.pass + result.inconclusive, SEEDS);
  });

  test('A/A with a 30/70 split and a base rate drifting 0.2% → 3.2% (and baseline traffic growing) does not fail', () => {
    const drifting = (t: number) => 0.002 + (0.03 * t) / 600;
    const result = tally(judgeSpec(errors(1)), (seed) =>
      run(
        seed,
        { rps: () => 30, errorRate: drifting },
        { rps: (t) => 70 + (50 * t) / 600, errorRate: drifting },
      ),
    );
    assert.ok(result.fail <= bound, `${result.fail} false alarms`);
  });

  test('3× the errors (1% → 3%, tolerance 1.5) fails in nearly every seed, within five minutes', () => {
    const result = tally(judgeSpec(errors(1.5)), (seed) => run(seed, steady(50, 0.03), steady(50, 0.01)));
    assert.ok(result.fail >= SEEDS - 2, `${result.fail}/${SEEDS} detected`);
    // The first polls are tempered by the dispersion prior (nothing measured yet), so not at once.
    const median = [...result.stoppedAt].sort((a, b) => a - b)[SEEDS / 2]!;
    assert.ok(median <= 10, `median detection at poll ${median}`);
  });

  test('from 0 errors to 0.5% on the canary is detected', () => {
    const result = tally(judgeSpec(errors(1.5)), (seed) => run(seed, steady(50, 0.005), steady(50, 0)), 50);
    assert.equal(result.fail, 50);
  });

  test('a clean A/A with lots of traffic passes early, after minDuration', () => {
    const result = tally(
      judgeSpec(errors(1.5)),
      (seed) => run(seed, steady(500, 0.01), steady(500, 0.01)),
      20,
    );
    assert.equal(result.pass, 20);
    for (const polls of result.stoppedAt) {
      assert.ok(polls * 30 >= 120, `passed at ${polls * 30}s, before minDuration`);
      assert.ok(polls < 20, `did not pass early (poll ${polls})`);
    }
  });

  test('no traffic on the canary is inconclusive with "no data", never pass or fail', () => {
    const { decision } = runLikeThePipeline(
      evaluate,
      judgeSpec(errors(1.5)),
      simulateRun(run(1, steady(0, 0.01), steady(50, 0.01))),
    );
    assert.equal(decision.verdict, 'inconclusive');
    assert.match(decision.reason, /no data for errors/);
    assert.equal(decision.metrics[0]!.verdict, 'nodata');
  });

  test('too little traffic is inconclusive and reports the minimum detectable effect', () => {
    const { decision } = runLikeThePipeline(
      evaluate,
      judgeSpec(errors(1.5)),
      simulateRun(run(4, steady(0.2, 0.05), steady(0.2, 0.05))),
    );
    assert.equal(decision.verdict, 'inconclusive');
    const metric = decision.metrics[0]!;
    assert.equal(metric.verdict, 'inconclusive');
    assert.ok(metric.minimumDetectableEffect! > 3, `MDE ${metric.minimumDetectableEffect}`);
    assert.match(decision.reason, /smallest ratio it would detect with 80% power/);
    assert.match(decision.reason, /onInconclusive=fail/);
  });
});

describe('latency metric, simulated with Prometheus default buckets', () => {
  const latency: MetricSpec = { name: 'latency', kind: 'latency', tolerance: 1.5, blocking: true };
  const latencyRun = (seed: number, canaryMedian: number): RunModel => ({
    seed,
    pollSeconds: 30,
    polls: 20,
    canary: steady(20, 0, canaryMedian),
    baseline: steady(20, 0, 0.05),
    latencyMetric: 'latency',
  });

  test('A/A: at most the alpha-consistent number of false alarms in 60 seeds', () => {
    const result = tally(judgeSpec(latency), (seed) => latencyRun(seed, 0.05), 60);
    assert.ok(result.fail <= falseAlarmBound(60, ALPHA), `${result.fail} false alarms`);
  });

  test('median latency ×2 (50 ms → 100 ms) is detected in every seed', () => {
    const result = tally(judgeSpec(latency), (seed) => latencyRun(seed, 0.1), 30);
    assert.equal(result.fail, 30);
  });

  test('bounds are bucket bounds near the baseline p50/p90/p99, in seconds, fixed once chosen', () => {
    const polls = simulateRun(latencyRun(7, 0.05));
    const early = evaluate(judgeSpec(latency), polls.slice(0, 3)).metrics[0]!;
    const late = evaluate(judgeSpec(latency), polls).metrics[0]!;
    // log-normal(median 50 ms, σ 0.5): p50 = 0.05 (le=0.05), p90 ≈ 0.095 (le=0.1); p99 ≈ 0.16 would be
    // le=0.25, which fewer than 5 baseline requests exceed (P ≈ 0.0006), so p99 also lands on le=0.1.
    assert.deepEqual(early.testedBounds, [0.05, 0.1]);
    assert.deepEqual(late.testedBounds, early.testedBounds);
  });
});

describe('guards, simulated', () => {
  const share = { trafficShare: { expected: 0.5, tolerance: 0.1, blocking: true } };

  test('traffic-share trips when the canary gets no traffic', () => {
    const { decision } = runLikeThePipeline(
      evaluate,
      judgeSpec(errors(1.5), share),
      simulateRun(run(1, steady(0, 0.01), steady(50, 0.01))),
    );
    assert.equal(decision.verdict, 'fail');
    const guard = decision.guards.find((g) => g.name === 'traffic-share')!;
    assert.equal(guard.tripped, true);
    assert.match(decision.reason, /traffic-share/);
  });

  test('by default the guard is advisory: reported as tripped, the canary is not failed for it', () => {
    const { decision } = runLikeThePipeline(
      evaluate,
      judgeSpec(errors(1.5), { trafficShare: { expected: 0.5, tolerance: 0.1 } }),
      simulateRun(run(1, steady(0, 0.01), steady(50, 0.01))),
    );
    const guard = decision.guards.find((g) => g.name === 'traffic-share')!;
    assert.equal(guard.tripped, true);
    assert.equal(guard.blocking, false);
    assert.match(guard.reason, /advisory/);
    assert.notEqual(decision.verdict, 'fail');
    assert.deepEqual(decision.alpha.tests, ['errors']);
  });

  test('traffic-share does not trip at 45/55 (expected 50% ± 10%) in any of 100 seeds', () => {
    const result = tally(
      judgeSpec(errors(1.5), share),
      (seed) => run(seed, steady(45, 0.01), steady(55, 0.01)),
      100,
    );
    assert.equal(result.fail, 0);
  });
});
