/** Seeded simulation helpers for the judge tests: a PRNG, Poisson/normal samplers, canary-vs-baseline runs. */
import { logGamma } from '../../../src/analysis/special-functions.ts';
import type { Bucket, Decision, JudgeSpec, Poll } from '../../../src/analysis/types.ts';

/** mulberry32: tiny, fast, good enough for simulations; same seed, same stream. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson(λ): Knuth's product method for small λ, Hörmann's PTRS transformed rejection otherwise. */
export function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    for (let product = random(); product > limit; product *= random()) k++;
    return k;
  }
  const sqrtLambda = Math.sqrt(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v * inverseAlpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * Math.log(lambda) - logGamma(k + 1)
    ) {
      return k;
    }
  }
}

export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface TrackModel {
  /** Requests per second at time t (seconds since start). */
  rps: (t: number) => number;
  errorRate: (t: number) => number;
  /** Median latency in seconds (log-normal, σ = 0.5). */
  medianLatency?: number;
}

export interface RunModel {
  seed: number;
  pollSeconds: number;
  polls: number;
  canary: TrackModel;
  baseline: TrackModel;
  /** Metric names; latency is simulated only when `latencyMetric` is set. */
  ratioMetric?: string;
  latencyMetric?: string;
}

export const PROMETHEUS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

/** Bad and good requests as independent Poisson streams (Poisson splitting), latencies log-normal. */
export function simulateRun(model: RunModel): Poll[] {
  const random = prng(model.seed);
  const polls: Poll[] = [];
  for (let i = 1; i <= model.polls; i++) {
    const t = i * model.pollSeconds;
    const mid = t - model.pollSeconds / 2;
    const tracks = [model.canary, model.baseline].map((track) => {
      const expected = track.rps(mid) * model.pollSeconds;
      const bad = poisson(random, expected * track.errorRate(mid));
      const total = bad + poisson(random, expected * (1 - track.errorRate(mid)));
      return {
        bad,
        total,
        buckets: model.latencyMetric ? histogram(random, total, track.medianLatency ?? 0.05) : [],
      };
    });
    const [canary, baseline] = tracks as [(typeof tracks)[0], (typeof tracks)[0]];
    const poll: Poll = { t, observations: {}, traffic: { canary: canary.total, baseline: baseline.total } };
    if (model.ratioMetric) {
      poll.observations[model.ratioMetric] = {
        kind: 'ratio',
        canaryBad: canary.bad,
        canaryTotal: canary.total,
        baselineBad: baseline.bad,
        baselineTotal: baseline.total,
      };
    }
    if (model.latencyMetric) {
      poll.observations[model.latencyMetric] = {
        kind: 'latency',
        canary: canary.buckets,
        baseline: baseline.buckets,
      };
    }
    polls.push(poll);
  }
  return polls;
}

function histogram(random: () => number, count: number, median: number): Bucket[] {
  const counts = new Array<number>(PROMETHEUS_BUCKETS.length).fill(0);
  for (let i = 0; i < count; i++) {
    const latency = median * Math.exp(0.5 * normal(random));
    counts[PROMETHEUS_BUCKETS.findIndex((le) => latency <= le)]!++;
  }
  let cumulative = 0;
  return PROMETHEUS_BUCKETS.map((le, i) => ({ le, count: (cumulative += counts[i]!) }));
}

/** P(X > k) for X ~ Binomial(n, p): used to turn alpha into an honest bound on false-alarm counts. */
export function binomialUpperTail(n: number, p: number, k: number): number {
  let below = 0;
  for (let i = 0; i <= k; i++) {
    below += Math.exp(
      logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p),
    );
  }
  return Math.max(0, 1 - below);
}

/** Smallest count b with P(Binomial(n, p) > b) < level. */
export function falseAlarmBound(n: number, p: number, level = 0.01): number {
  let bound = 0;
  while (binomialUpperTail(n, p, bound) >= level) bound++;
  return bound;
}

/** Calls the judge after every poll, like the pipeline does, and stops at the first decision. */
export function runLikeThePipeline(
  evaluate: (spec: JudgeSpec, polls: Poll[]) => Decision,
  spec: JudgeSpec,
  polls: readonly Poll[],
): { decision: Decision; polls: number } {
  for (let i = 1; i <= polls.length; i++) {
    const decision = evaluate(spec, polls.slice(0, i));
    if (decision.verdict !== 'continue') return { decision, polls: i };
  }
  return { decision: evaluate(spec, [...polls]), polls: polls.length };
}
