import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { standardGrid } from '../../../src/analysis/grid.ts';
import { evaluate } from '../../../src/analysis/judge.ts';
import { normalQuantile, normalSurvival } from '../../../src/analysis/normal.ts';
import { placementScale, podSpread, ratioFloor, ratioPodTotals } from '../../../src/analysis/pod-noise.ts';
import { ratioTest, type RatioPoint } from '../../../src/analysis/ratio-test.ts';
import type { Bucket, JudgeSpec, PodBuckets, PodCounts, Poll } from '../../../src/analysis/types.ts';
import { normal, poisson, prng } from './simulate.ts';

describe('normal distribution', () => {
  test('survival and quantile match known values and invert each other', () => {
    assert.ok(Math.abs(normalSurvival(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalSurvival(1.959964) - 0.025) < 1e-7);
    assert.ok(Math.abs(normalSurvival(-2.326348) - 0.99) < 1e-7);
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
    assert.ok(Math.abs(normalQuantile(0.001) + 3.090232) < 1e-6);
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.8, 0.999]) {
      assert.ok(Math.abs(1 - normalSurvival(normalQuantile(p)) - p) < 1e-7 * Math.max(1, p / 1e-6), `p=${p}`);
    }
  });
});

describe('pod spread', () => {
  test('is the DerSimonian–Laird between-pod sd, each group centred on its own mean', () => {
    const spread = podSpread([
      { group: 'baseline', value: 1, variance: 0.1 },
      { group: 'baseline', value: 3, variance: 0.1 },
      { group: 'stable', value: 10, variance: 0.1 },
      { group: 'stable', value: 12, variance: 0.1 },
    ]);
    // Q = 4 × 1²/0.1 = 40 on 2 degrees of freedom; τ² = (40 − 2)/(40 − 2 × 200/20) = 1.9: with equal sampling
    // variances, the squares over the degrees of freedom minus the sampling variance.
    assert.equal(spread?.pods, 4);
    assert.ok(Math.abs(spread!.sd - Math.sqrt(1.9)) < 1e-12, `sd ${spread?.sd}`);
    assert.equal(podSpread([{ group: 'baseline', value: 1, variance: 0.1 }])?.sd, undefined);
  });

  test('is 0 unless the heterogeneity is significant at 5%', () => {
    const quiet = (a: number, b: number, variance: number) =>
      podSpread([
        { group: 'baseline', value: a, variance },
        { group: 'baseline', value: b, variance },
      ])?.sd;
    assert.equal(quiet(1, 1.1, 0.1), 0);
    // Raw moments would say sd √(0.5 − 0.3) ≈ 0.45 here; Q = 0.5/0.3 ≈ 1.7 is below χ²₁'s 3.84.
    assert.equal(quiet(1, 2, 0.3), 0);
    assert.ok(quiet(1, 3, 0.3)! > 0);
  });

  test('in quiet fleets (Poisson counts, no pod offsets) raises the floor in about 5% of runs, not 20–33%', () => {
    const random = prng(5);
    let raised = 0;
    const runs = 2000;
    for (let run = 0; run < runs; run++) {
      const totals = ratioPodTotals();
      for (let poll = 0; poll < 20; poll++) {
        const pod = (name: string) => ({ pod: name, bad: poisson(random, 3), total: 600 });
        totals.addAll({
          baseline: [pod('b0'), pod('b1')],
          stable: [pod('s0'), pod('s1'), pod('s2'), pod('s3')],
        });
      }
      if ((ratioFloor(totals, 1.2)?.spread.sd ?? 0) > 0) raised++;
    }
    assert.ok(raised / runs < 0.08, `raised in ${raised}/${runs} quiet fleets`);
  });

  test('placement scale is √(2·Σw_b²) of the baseline traffic weights: the canary pods never enter', () => {
    assert.ok(Math.abs(placementScale([5, 5, 5]) - Math.sqrt(2 / 3)) < 1e-12);
    assert.ok(Math.abs(placementScale([1, 1]) - 1) < 1e-12);
    assert.ok(Math.abs(placementScale([1, 1, 1, 1]) - Math.sqrt(0.5)) < 1e-12);
  });
});

describe('allowance in the ratio test', () => {
  test('testing at tolerance τ with allowance a is exactly testing at tolerance τ·a', () => {
    const random = prng(11);
    const points: RatioPoint[] = Array.from({ length: 30 }, (_, i) => ({
      t: 30 * (i + 1),
      canaryBad: poisson(random, 20),
      canaryTotal: 1000 + i,
      baselineBad: poisson(random, 10),
      baselineTotal: 1100 - i,
    }));
    const plain = ratioTest(points, standardGrid(1.8), 200);
    const allowed = ratioTest(
      points.map((p) => ({ ...p, allowance: 1.5 })),
      standardGrid(1.2),
      200,
    );
    assert.ok(Math.abs(Math.log(allowed.evidence / plain.evidence)) < 1e-9);
    assert.ok(Math.abs(allowed.bounds[1] / plain.bounds[1] - 1) < 1e-9);
    assert.equal(allowed.allowance, 1.5);
    assert.equal(plain.allowance, 1);
  });
});

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

function logNormalBuckets(random: () => number, requests: number, median: number): Bucket[] {
  let count = 0;
  let below = 0;
  return BOUNDS.map((le) => {
    const share = le === Infinity ? 1 : 1 - normalSurvival(Math.log(le / median) / 0.5);
    count += poisson(random, requests * (share - below));
    below = share;
    return { le, count };
  });
}

const sumBuckets = (histograms: Bucket[][]): Bucket[] =>
  BOUNDS.map((le, b) => ({ le, count: histograms.reduce((sum, h) => sum + h[b]!.count, 0) }));

/** An A/A run: 3 canary, 3 baseline and 10 stable pods, each with a fixed log-latency and log-error offset. */
function podNoiseRun(seed: number, podSd: number, canarySlowdown = 1, withPods = true): Poll[] {
  const random = prng(seed);
  const offsets = (n: number) => Array.from({ length: n }, () => podSd * normal(random));
  const pods = { canary: offsets(3), baseline: offsets(3), stable: offsets(10) };
  return Array.from({ length: 40 }, (_, i) => {
    const histograms = {
      canary: [] as PodBuckets[],
      baseline: [] as PodBuckets[],
      stable: [] as PodBuckets[],
    };
    const counts = { canary: [] as PodCounts[], baseline: [] as PodCounts[], stable: [] as PodCounts[] };
    for (const track of ['canary', 'baseline', 'stable'] as const) {
      pods[track].forEach((offset, p) => {
        const slowdown = track === 'canary' ? canarySlowdown : 1;
        const buckets = logNormalBuckets(random, 500, 0.08 * slowdown * Math.exp(offset));
        const total = buckets.at(-1)!.count;
        histograms[track].push({ pod: `${track}-${p}`, buckets });
        counts[track].push({
          pod: `${track}-${p}`,
          bad: poisson(random, total * 0.005 * Math.exp(offset)),
          total,
        });
      });
    }
    const sum = (list: PodCounts[], key: 'bad' | 'total') => list.reduce((s, c) => s + c[key], 0);
    return {
      t: 30 * (i + 1),
      observations: {
        errors: {
          kind: 'ratio',
          canaryBad: sum(counts.canary, 'bad'),
          canaryTotal: sum(counts.canary, 'total'),
          baselineBad: sum(counts.baseline, 'bad'),
          baselineTotal: sum(counts.baseline, 'total'),
          ...(withPods ? { pods: counts } : {}),
        },
        latency: {
          kind: 'latency',
          canary: sumBuckets(histograms.canary.map((h) => h.buckets)),
          baseline: sumBuckets(histograms.baseline.map((h) => h.buckets)),
          ...(withPods ? { pods: histograms } : {}),
        },
      },
    };
  });
}

const SPEC: JudgeSpec = {
  alpha: 0.01,
  metrics: [
    { name: 'errors', kind: 'ratio', tolerance: 1.2, blocking: true },
    { name: 'latency', kind: 'latency', tolerance: 1.2, blocking: true },
  ],
  minDurationSeconds: 120,
  maxDurationSeconds: 1200,
  onInconclusive: 'fail',
};

describe('pod-noise floor, simulated', () => {
  test('quiet pods keep the tolerance; noisy pods raise it, and the result says so', () => {
    const quiet = evaluate(SPEC, podNoiseRun(1, 0));
    const noisy = evaluate(SPEC, podNoiseRun(1, 0.1));
    const latency = (d: typeof quiet) => d.metrics.find((m) => m.name === 'latency')!;
    assert.ok(latency(quiet).effectiveTolerance! < 1.25, `quiet: ${latency(quiet).effectiveTolerance}`);
    assert.ok(latency(noisy).effectiveTolerance! > 1.5, `noisy: ${latency(noisy).effectiveTolerance}`);
    assert.ok(latency(noisy).podSpread!.sd > 0.1 && latency(noisy).podSpread!.pods === 13);
    assert.match(latency(noisy).reason, /tolerance raised from 1\.2 to/);
    const errors = evaluate(SPEC, podNoiseRun(1, 0)).metrics.find((m) => m.name === 'errors')!;
    assert.equal(errors.effectiveTolerance, 1.2);
    assert.equal(evaluate(SPEC, podNoiseRun(1, 0.1, 1, false)).metrics[1]!.effectiveTolerance, undefined);
  });

  test('A/A with 10% pod offsets: the floor turns frequent false alarms into at most two in 60 seeds', () => {
    const seeds = Array.from({ length: 60 }, (_, i) => 100 + i);
    const fails = (withPods: boolean) =>
      seeds.filter((seed) => evaluate(SPEC, podNoiseRun(seed, 0.1, 1, withPods)).verdict === 'fail').length;
    // Seed 116 draws canary pods 3.4 sd slower than the baseline's, beyond the floor's 2.5 sd.
    assert.ok(fails(true) <= 2, `with per-pod data: ${fails(true)} false alarms`);
    assert.ok(fails(false) >= 8, `without per-pod data: ${fails(false)} false alarms`);
  });

  test('a real slowdown (×2) is still caught through 10% pod offsets', () => {
    const caught = [200, 201, 202, 203, 204].filter(
      (seed) => evaluate(SPEC, podNoiseRun(seed, 0.1, 2)).verdict === 'fail',
    );
    assert.equal(caught.length, 5);
  });
});
