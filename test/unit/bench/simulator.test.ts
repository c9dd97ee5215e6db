import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bucketProbabilities,
  pollsFor,
  PROMETHEUS_DEFAULT_BUCKETS,
  simulateRun,
  type PodTick,
  type SimulatedRun,
} from '../../../bench/judge/simulator.ts';
import { BACKGROUND, findScenario, type Background } from '../../../bench/judge/scenarios.ts';

/** Everything but Poisson sampling switched off, so the expected counts are known exactly. */
const QUIET: Background = {
  ...BACKGROUND,
  defaultPodNoise: 0,
  podTrafficNoise: 0,
  loadAmplitude: 0,
  burstProbability: 0,
  sharedErrorDrift: { phi: 0.98, sd: 0 },
  sharedLatencyDrift: { phi: 0.98, sd: 0 },
  podErrorNoise: { phi: 0.8, sd: 0 },
  podLatencyNoise: { phi: 0.8, sd: 0 },
  missingScrapeProbability: 0,
  counterResetProbability: 0,
};

/** Four and a half standard errors: a correct simulator fails a check with probability < 1e-5. */
const Z = 4.5;

function pooled(runs: SimulatedRun[], arm: 'canary' | 'baseline'): PodTick & { ticks: number } {
  const sum = { bad: 0, total: 0, buckets: PROMETHEUS_DEFAULT_BUCKETS.map(() => 0), ticks: 0 };
  for (const run of runs) {
    for (const tick of run.ticks) {
      sum.bad += tick[arm].bad;
      sum.total += tick[arm].total;
      tick[arm].buckets.forEach((c, b) => (sum.buckets[b] = (sum.buckets[b] ?? 0) + c));
      sum.ticks++;
    }
  }
  return sum;
}

function quietRuns(id: string, count: number, duration = 1800): SimulatedRun[] {
  const scenario = { ...findScenario(id), podNoise: 0 };
  return Array.from({ length: count }, (_, run) => simulateRun(scenario, run, duration, QUIET));
}

describe('simulator', () => {
  test('is deterministic for a (scenario, run) and differs between runs', () => {
    const scenario = findScenario('aa-pod-noise-5pct');
    const first = simulateRun(scenario, 7, 600);
    assert.deepEqual(simulateRun(scenario, 7, 600), first);
    assert.deepEqual(pollsFor(simulateRun(scenario, 7, 600), 60, 600), pollsFor(first, 60, 600));
    assert.notDeepEqual(simulateRun(scenario, 8, 600).ticks, first.ticks);
  });

  test('traffic per tick matches the scenario rate (Poisson mean and variance)', () => {
    const runs = quietRuns('aa-split-45-55', 20);
    for (const [arm, rps] of [
      ['canary', 45],
      ['baseline', 55],
    ] as const) {
      const sum = pooled(runs, arm);
      const expected = rps * QUIET.tickSeconds;
      const standardError = Math.sqrt(expected / sum.ticks);
      assert.ok(
        Math.abs(sum.total / sum.ticks - expected) < Z * standardError,
        `${arm}: ${sum.total / sum.ticks} vs ${expected}`,
      );
    }
  });

  test('error rates match the scenario: baseline rate, canary multiplied or shifted', () => {
    const cases = [
      { id: 'aa', canary: 0.005 },
      { id: 'errors-x2', canary: 0.01 },
      { id: 'errors-plus5pp', canary: 0.055 },
      { id: 'errors-zero-to-0.5pct', canary: 0.005, baseline: 0 },
    ];
    for (const { id, canary, baseline = 0.005 } of cases) {
      const runs = quietRuns(id, 10);
      for (const [arm, p] of [
        ['canary', canary],
        ['baseline', baseline],
      ] as const) {
        const sum = pooled(runs, arm);
        const standardError = Math.sqrt((p * (1 - p)) / sum.total);
        const rate = sum.bad / sum.total;
        assert.ok(Math.abs(rate - p) <= Z * standardError, `${id} ${arm}: rate ${rate} vs ${p}`);
      }
    }
  });

  test('latency buckets follow the log-normal (and the shifted tail) bucket probabilities', () => {
    const cases = [
      { id: 'aa', arm: 'baseline', q: bucketProbabilities(0.08, QUIET.latencySigma, 0, 0) },
      { id: 'latency-x1.25', arm: 'canary', q: bucketProbabilities(0.1, QUIET.latencySigma, 0, 0) },
      { id: 'latency-tail', arm: 'canary', q: bucketProbabilities(0.08, QUIET.latencySigma, 0.01, 0.3) },
    ] as const;
    for (const { id, arm, q } of cases) {
      const sum = pooled(quietRuns(id, 5), arm);
      q.forEach((p, b) => {
        const share = (sum.buckets[b] ?? 0) / sum.total;
        const standardError = Math.sqrt((p * (1 - p)) / sum.total);
        assert.ok(Math.abs(share - p) <= Z * standardError + 1e-9, `${id} bucket ${b}: ${share} vs ${p}`);
      });
    }
  });

  test('with every noise source on, the canary/baseline error ratio is still the scenario factor', () => {
    const scenario = findScenario('errors-x2');
    const runs = Array.from({ length: 200 }, (_, run) => simulateRun(scenario, run, 1800));
    const logRatios = runs.map((run) => {
      const c = pooled([run], 'canary');
      const b = pooled([run], 'baseline');
      return Math.log(c.bad / c.total / (b.bad / b.total));
    });
    const meanLog = logRatios.reduce((a, b) => a + b, 0) / logRatios.length;
    const sd = Math.sqrt(logRatios.reduce((a, v) => a + (v - meanLog) ** 2, 0) / (logRatios.length - 1));
    // Per-run ratios are noisy (pod offsets, AR(1) noise); their geometric mean carries the factor 2 up
    // to that spread over √runs, plus a small Jensen term (< sd²/2) from averaging logs of ratios.
    const tolerance = Z * (sd / Math.sqrt(logRatios.length)) + (sd * sd) / 2;
    assert.ok(
      Math.abs(meanLog - Math.log(2)) < tolerance,
      `mean log ratio ${meanLog}, tolerance ${tolerance}`,
    );
  });

  test('polls sum the ticks of their window; missing scrapes return no data at about their probability', () => {
    const scenario = findScenario('aa');
    let missing = 0;
    let polls = 0;
    for (let run = 0; run < 200; run++) {
      const simulated = simulateRun(scenario, run, 1800);
      for (const [i, poll] of pollsFor(simulated, 60, 1800).entries()) {
        polls++;
        assert.equal(poll.t, (i + 1) * 60);
        const errors = poll.observations.errors;
        if (errors?.kind === 'nodata') {
          missing++;
          assert.equal(poll.traffic, undefined);
          continue;
        }
        const [a, b] = [simulated.ticks[2 * i], simulated.ticks[2 * i + 1]];
        assert.ok(a && b && errors?.kind === 'ratio');
        assert.equal(errors.canaryTotal, a.canary.total + b.canary.total);
        assert.equal(errors.baselineBad, a.baseline.bad + b.baseline.bad);
        const latency = poll.observations.latency;
        assert.ok(latency?.kind === 'latency');
        assert.equal(latency.canary[latency.canary.length - 1]?.count, errors.canaryTotal);
        assert.deepEqual(poll.traffic, { canary: errors.canaryTotal, baseline: errors.baselineTotal });
      }
    }
    const p = BACKGROUND.missingScrapeProbability;
    assert.ok(Math.abs(missing / polls - p) <= Z * Math.sqrt((p * (1 - p)) / polls), `${missing}/${polls}`);
  });

  test('polls carry a per-pod breakdown that sums to each track, with the stable fleet alongside', () => {
    const simulated = simulateRun(findScenario('aa-pod-noise-5pct'), 3, 600);
    for (const poll of pollsFor(simulated, 60, 600)) {
      const errors = poll.observations.errors;
      const latency = poll.observations.latency;
      if (errors?.kind !== 'ratio' || latency?.kind !== 'latency') continue;
      const pods = errors.pods!;
      assert.equal(pods.canary?.length, BACKGROUND.podsPerArm);
      assert.equal(pods.stable?.length, BACKGROUND.stablePods);
      const sum = (list: Array<{ bad: number; total: number }> = [], key: 'bad' | 'total') =>
        list.reduce((total, pod) => total + pod[key], 0);
      assert.equal(sum(pods.canary, 'bad'), errors.canaryBad);
      assert.equal(sum(pods.baseline, 'total'), errors.baselineTotal);
      latency.baseline.forEach(({ le, count }, b) => {
        const perPod = (latency.pods!.baseline ?? []).reduce(
          (total, pod) => total + pod.buckets[b]!.count,
          0,
        );
        assert.equal(perPod, count, `bucket ${le}`);
      });
      assert.deepEqual(
        (latency.pods!.stable ?? []).map((pod) => pod.buckets.at(-1)!.count),
        (pods.stable ?? []).map((pod) => pod.total),
      );
    }
  });

  test('rejects a poll interval that is not a multiple of the tick', () => {
    assert.throws(() => pollsFor(simulateRun(findScenario('aa'), 0, 300), 45, 300), /interval: 45s/);
  });
});
