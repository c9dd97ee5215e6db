import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { argoJudge } from '../../../bench/judge/judges/argo.ts';
import { flaggerJudge } from '../../../bench/judge/judges/flagger.ts';
import { classifyMetric, KAYENTA_DEFAULTS, kayentaJudge } from '../../../bench/judge/judges/kayenta.ts';
import { histogramQuantile } from '../../../bench/judge/judges/measurements.ts';
import { ERRORING, HEALTHY, minutely, noData, poll, SLOW, buckets } from './helpers.ts';

const repeat = <T>(value: T, n: number): T[] => Array.from({ length: n }, () => value);

describe('histogramQuantile', () => {
  test('interpolates linearly inside the bucket holding the rank, as Prometheus documents', () => {
    // 100 requests: 50 ≤ 0.1 s, 40 in (0.1, 0.25], 10 in (0.25, 0.5].
    const b = [
      { le: 0.1, count: 50 },
      { le: 0.25, count: 90 },
      { le: 0.5, count: 100 },
      { le: Infinity, count: 100 },
    ];
    assert.equal(histogramQuantile(0.5, b), 0.1);
    assert.ok(Math.abs(histogramQuantile(0.7, b) - 0.175) < 1e-12);
    assert.ok(Math.abs(histogramQuantile(0.99, b) - 0.475) < 1e-12);
    assert.ok(Number.isNaN(histogramQuantile(0.99, [{ le: Infinity, count: 0 }])));
  });

  test('returns the highest finite bound when the rank is in the +Inf bucket', () => {
    assert.equal(
      histogramQuantile(0.99, [
        { le: 0.5, count: 90 },
        { le: Infinity, count: 100 },
      ]),
      0.5,
    );
  });

  test('the test helpers put p99 below and above 500 ms', () => {
    assert.ok(histogramQuantile(0.99, buckets(HEALTHY)) <= 0.5);
    assert.ok(histogramQuantile(0.99, buckets(SLOW)) > 0.5);
  });
});

describe('flagger', () => {
  const judge = flaggerJudge();

  test('rolls back after exactly 5 failed checks', () => {
    const outcome = judge.decide(minutely(repeat(ERRORING, 12)));
    assert.deepEqual([outcome.verdict, outcome.t], ['fail', 300]);
  });

  test('failed checks accumulate across passing ones', () => {
    const arms = [
      ERRORING,
      HEALTHY,
      SLOW,
      HEALTHY,
      ERRORING,
      HEALTHY,
      ERRORING,
      HEALTHY,
      SLOW,
      HEALTHY,
      HEALTHY,
    ];
    const outcome = judge.decide(minutely(arms));
    assert.deepEqual([outcome.verdict, outcome.t], ['fail', 540]);
  });

  test('promotes after 10 passing iterations, with up to 4 failed checks among them', () => {
    const arms = [...repeat(HEALTHY, 3), ...repeat(ERRORING, 4), ...repeat(HEALTHY, 7)];
    const outcome = judge.decide(minutely(arms));
    assert.deepEqual([outcome.verdict, outcome.t], ['pass', 14 * 60]);
  });

  test('a poll without data fails the check', () => {
    const polls = [...repeat(0, 5).map((_, i) => noData(60 * (i + 1))), poll(360, HEALTHY)];
    assert.deepEqual(judge.decide(polls).verdict, 'fail');
  });

  test('judges the canary alone: a baseline as bad as the canary does not help', () => {
    const polls = repeat(0, 5).map((_, i) => poll(60 * (i + 1), ERRORING, ERRORING));
    assert.equal(judge.decide(polls).verdict, 'fail');
  });
});

describe('argo', () => {
  const judge = argoJudge();

  test('fails on the fourth failed measurement of a metric (failureLimit 3)', () => {
    const arms = [HEALTHY, SLOW, SLOW, HEALTHY, SLOW, SLOW, HEALTHY, HEALTHY, HEALTHY, HEALTHY];
    const outcome = judge.decide(minutely(arms));
    assert.deepEqual([outcome.verdict, outcome.t], ['fail', 360]);
  });

  test('failures are counted per metric: three of each still passes after count 10', () => {
    const arms = [SLOW, SLOW, SLOW, ERRORING, ERRORING, ERRORING, HEALTHY, HEALTHY, HEALTHY, HEALTHY];
    const outcome = judge.decide(minutely(arms));
    assert.deepEqual([outcome.verdict, outcome.t], ['pass', 600]);
  });

  test('more than 4 consecutive errors (no data) fail the run; 4 do not', () => {
    const gaps = (n: number) => [
      poll(60, HEALTHY),
      ...repeat(0, n).map((_, i) => noData(60 * (i + 2))),
      ...repeat(0, 9 - n).map((_, i) => poll(60 * (n + i + 2), HEALTHY)),
    ];
    assert.deepEqual([judge.decide(gaps(5)).verdict, judge.decide(gaps(5)).t], ['fail', 360]);
    assert.equal(judge.decide(gaps(4)).verdict, 'pass');
  });
});

describe('kayenta', () => {
  const judge = kayentaJudge();
  const steady = (canaryBad: number, baselineBad: number, slowCanary = 0) =>
    repeat(0, 30).map((_, i) =>
      poll(
        60 * (i + 1),
        { total: 1000, bad: canaryBad + (i % 5), slow: slowCanary },
        { total: 1000, bad: baselineBad + ((i + 2) % 5) },
      ),
    );

  test('fails a canary whose error rate is significantly and materially higher', () => {
    const outcome = judge.decide(steady(20, 5));
    assert.deepEqual([outcome.verdict, outcome.t], ['fail', 1800]);
    assert.match(outcome.reason, /errorRate=High/);
  });

  test('passes an identical canary and a better one (Low passes for direction increase)', () => {
    assert.equal(judge.decide(steady(5, 5)).verdict, 'pass');
    const better = judge.decide(steady(1, 20));
    assert.equal(better.verdict, 'pass');
    assert.match(better.reason, /errorRate=Low/);
  });

  test('a significant difference below the allowed 25 % increase passes the metric', () => {
    const canary = repeat(0, 30).map((_, i) => 1.1 + i * 1e-3);
    const baseline = repeat(0, 30).map((_, i) => 1 + i * 1e-3);
    assert.equal(classifyMetric(canary, baseline, KAYENTA_DEFAULTS), 'Pass');
    assert.equal(
      classifyMetric(
        canary.map((v) => v * 1.2),
        baseline,
        KAYENTA_DEFAULTS,
      ),
      'High',
    );
  });

  test('a large but not significant difference passes (too few intervals)', () => {
    assert.equal(classifyMetric([2, 3], [1, 1.5], KAYENTA_DEFAULTS), 'Pass');
  });

  test('a p99 regression alone scores 50 and fails', () => {
    const outcome = judge.decide(steady(5, 5, 20));
    assert.equal(outcome.verdict, 'fail');
    assert.match(outcome.reason, /score 50 .*p99=High/);
  });
});
