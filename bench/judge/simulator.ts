import type { Bucket, PodBreakdown, PodBuckets, PodCounts, Poll } from '../../src/analysis/types.ts';
import { StickyConnections } from './connections.ts';
import { gammaFactor, Random } from './random.ts';
import { BACKGROUND, type Ar1, type Background, type Scenario } from './scenarios.ts';
import { normalCdf } from './stats.ts';

/** Prometheus' default histogram buckets (client libraries' DefBuckets), in seconds. */
export const PROMETHEUS_DEFAULT_BUCKETS = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  Infinity,
] as const;

/** What one pod served in one tick (bucket counts are per bucket, not cumulative). */
export interface PodTick {
  bad: number;
  total: number;
  buckets: number[];
}

/** What one arm served in one tick, summed over its pods, and per pod. */
export interface ArmTick extends PodTick {
  pods: PodTick[];
}

export interface Tick {
  canary: ArmTick;
  baseline: ArmTick;
  /** The rest of the stable Deployment (same image as the baseline), for the per-pod breakdown only. */
  stable: ArmTick;
}

export interface SimulatedRun {
  scenario: Scenario;
  run: number;
  background: Background;
  ticks: Tick[];
}

export const ERRORS_METRIC = 'errors';
export const LATENCY_METRIC = 'latency';

type Arm = 'canary' | 'baseline' | 'stable';
const ARMS: readonly Arm[] = ['canary', 'baseline', 'stable'];

class Ar1Process {
  private value: number;
  private readonly innovation: number;

  constructor(
    private readonly params: Ar1,
    private readonly random: Random,
  ) {
    this.value = params.sd * random.normal();
    this.innovation = params.sd * Math.sqrt(1 - params.phi * params.phi);
  }

  next(): number {
    this.value = this.params.phi * this.value + this.innovation * this.random.normal();
    return this.value;
  }
}

interface Pod {
  errorOffset: number;
  latencyOffset: number;
  trafficShare: number;
  errorNoise: Ar1Process;
  latencyNoise: Ar1Process;
}

function makePods(count: number, podNoise: number, background: Background, random: Random): Pod[] {
  const weights = Array.from({ length: count }, () => Math.exp(background.podTrafficNoise * random.normal()));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => ({
    errorOffset: podNoise * random.normal(),
    latencyOffset: podNoise * random.normal(),
    trafficShare: weight / weightSum,
    errorNoise: new Ar1Process(background.podErrorNoise, random),
    latencyNoise: new Ar1Process(background.podLatencyNoise, random),
  }));
}

/** Probability of each bucket interval for a log-normal latency, optionally with a shifted tail share. */
export function bucketProbabilities(
  median: number,
  sigma: number,
  tailFraction: number,
  tailAdd: number,
): number[] {
  const cdf = (le: number) => {
    if (le === Infinity) return 1;
    const body = normalCdf(Math.log(le / median) / sigma);
    if (tailFraction === 0) return body;
    const tail = le > tailAdd ? normalCdf(Math.log((le - tailAdd) / median) / sigma) : 0;
    return (1 - tailFraction) * body + tailFraction * tail;
  };
  let previous = 0;
  return PROMETHEUS_DEFAULT_BUCKETS.map((le) => {
    const current = cdf(le);
    const p = Math.max(0, current - previous);
    previous = current;
    return p;
  });
}

function canaryErrorRate(scenario: Scenario, baselineRate: number, active: boolean): number {
  const effect = scenario.errors;
  if (!active) return baselineRate;
  if (effect.type === 'multiply') return baselineRate * effect.factor;
  if (effect.type === 'add') return baselineRate + effect.delta;
  return baselineRate;
}

/** Options of one simulated analysis: which release step it is (own random streams) and its traffic. */
export interface RunOptions {
  /** Release step index: each step is simulated on its own streams. */
  step?: number;
  /** Multiplies every arm's request rate (a later step sends more traffic to canary and baseline). */
  trafficMultiplier?: number;
}

/**
 * Simulates one canary analysis: per tick, Poisson request counts per pod split into error/ok ×
 * latency bucket cells (independent Poisson counts, which is exact for Poisson traffic), with the scenario's
 * extra noise sources (per-arm overdispersion, sticky connections, scrape extrapolation, slow nodes) when set.
 * Deterministic for (scenario, run, background, step).
 */
export function simulateRun(
  scenario: Scenario,
  run: number,
  durationSeconds: number,
  background: Background = BACKGROUND,
  options: RunOptions = {},
): SimulatedRun {
  const step = options.step ?? 0;
  const streamId = step === 0 ? `${scenario.id}:${run}` : `${scenario.id}:${run}:step${step}`;
  const random = new Random(`${streamId}:traffic`);
  // Its own stream, so adding the stable fleet left the canary's and baseline's traffic unchanged.
  const stableRandom = new Random(`${streamId}:stable`);
  const noiseRandom = new Random(`${streamId}:noise`);
  const layout = scenario.layout ?? {
    canary: background.podsPerArm,
    baseline: background.podsPerArm,
    stable: background.stablePods,
  };
  const tickCount = Math.ceil(durationSeconds / background.tickSeconds);
  const phase = random.between(0, 2 * Math.PI);
  const sharedError = new Ar1Process(background.sharedErrorDrift, random);
  const sharedLatency = new Ar1Process(background.sharedLatencyDrift, random);
  const pods: Record<Arm, Pod[]> = {
    canary: makePods(layout.canary, scenario.podNoise, background, random),
    baseline: makePods(layout.baseline, scenario.podNoise, background, random),
    stable: makePods(layout.stable, scenario.podNoise, background, stableRandom),
  };
  placeOnSlowNode(scenario, pods);
  const connections = scenario.sticky
    ? new StickyConnections(
        scenario.sticky,
        layout.canary + layout.baseline + layout.stable,
        new Random(`${streamId}:connections`),
      )
    : undefined;
  const multiplier = options.trafficMultiplier ?? 1;
  let burstTicksLeft = 0;
  let burstMultiplier = 1;
  const ticks: Tick[] = [];
  for (let i = 0; i < tickCount; i++) {
    const t = i * background.tickSeconds;
    if (burstTicksLeft === 0 && random.uniform() < background.burstProbability) {
      burstTicksLeft = 1 + Math.floor(-Math.log(1 - random.uniform()) * (background.burstMeanTicks - 1));
      burstMultiplier = random.between(background.burstMultiplier[0], background.burstMultiplier[1]);
    }
    const burst = burstTicksLeft > 0 ? burstMultiplier : 1;
    if (burstTicksLeft > 0) burstTicksLeft--;
    const load =
      (1 + background.loadAmplitude * Math.sin((2 * Math.PI * t) / background.loadPeriodSeconds + phase)) *
      burst;
    const baselineRate =
      scenario.baselineErrorRate * Math.exp(sharedError.next()) * load ** background.loadErrorElasticity;
    const median =
      background.medianLatencySeconds *
      Math.exp(sharedLatency.next()) *
      load ** background.loadLatencyElasticity;
    const active = t >= (scenario.onsetSeconds ?? 0);
    const armRate: Record<Arm, number> = {
      canary: canaryErrorRate(scenario, baselineRate, active),
      baseline: baselineRate,
      stable: baselineRate,
    };
    const podLoads = connections?.tick();
    const tick = {} as Tick;
    let podIndex = 0;
    for (const arm of ARMS) {
      const armTick: ArmTick = { ...emptyPodTick(), pods: [] };
      const perPodRate = scenario.requestsPerSecond.baseline / layout.baseline;
      const armRequests = arm === 'stable' ? perPodRate * layout.stable : scenario.requestsPerSecond[arm];
      const requests = armRequests * multiplier * load * background.tickSeconds;
      const draw = arm === 'stable' ? stableRandom : random;
      // Per-arm overdispersion (stable pods are not an arm under test: they get none).
      const armError = arm === 'stable' ? 1 : gammaFactor(noiseRandom, scenario.armNoise?.errorCV ?? 0);
      const armLatency =
        arm === 'stable' ? 1 : Math.exp((scenario.armNoise?.latencyJitter ?? 0) * noiseRandom.normal());
      for (const pod of pods[arm]) {
        const sticky = podLoads?.[podIndex++];
        const podTick = emptyPodTick();
        const errorRate = Math.min(
          1,
          armRate[arm] *
            armError *
            (sticky?.errorMultiplier ?? 1) *
            Math.exp(pod.errorOffset + pod.errorNoise.next()),
        );
        const latencyFactor = armLatency * Math.exp(pod.latencyOffset + pod.latencyNoise.next());
        const effect =
          arm === 'canary' && active
            ? scenario.latency
            : { multiplier: 1, tailFraction: 0, tailAddSeconds: 0 };
        const probabilities = bucketProbabilities(
          median * latencyFactor * effect.multiplier,
          background.latencySigma,
          effect.tailFraction,
          effect.tailAddSeconds,
        );
        const podRequests = sticky
          ? (requests / pods[arm].length) * sticky.load
          : requests * pod.trafficShare;
        const kept = draw.uniform() < background.counterResetProbability ? 1 - draw.between(0, 0.5) : 1;
        const k = scenario.extrapolation ?? 1;
        const count = (mean: number) => k * draw.poisson(mean / k);
        probabilities.forEach((q, b) => {
          const bad = Math.floor(count(podRequests * errorRate * q) * kept);
          const ok = Math.floor(count(podRequests * (1 - errorRate) * q) * kept);
          podTick.bad += bad;
          podTick.total += bad + ok;
          podTick.buckets[b] = (podTick.buckets[b] ?? 0) + bad + ok;
        });
        addTo(armTick, podTick);
        armTick.pods.push(podTick);
      }
      tick[arm] = armTick;
    }
    ticks.push(tick);
  }
  return { scenario, run, background, ticks };
}

/** The first `canaryPods` canary pods and `stablePods` stable pods run on the slow node. */
function placeOnSlowNode(scenario: Scenario, pods: Record<Arm, Pod[]>): void {
  const slow = scenario.slowNode;
  if (!slow) return;
  const shift = Math.log(slow.factor);
  pods.canary.slice(0, slow.canaryPods).forEach((pod) => (pod.latencyOffset += shift));
  pods.stable.slice(0, slow.stablePods).forEach((pod) => (pod.latencyOffset += shift));
}

function emptyPodTick(): PodTick {
  return { bad: 0, total: 0, buckets: PROMETHEUS_DEFAULT_BUCKETS.map(() => 0) };
}

function addTo(sum: PodTick, tick: PodTick): void {
  sum.bad += tick.bad;
  sum.total += tick.total;
  tick.buckets.forEach((c, b) => (sum.buckets[b] = (sum.buckets[b] ?? 0) + c));
}

function cumulativeBuckets(counts: number[]): Bucket[] {
  let running = 0;
  return PROMETHEUS_DEFAULT_BUCKETS.map((le, b) => {
    running += counts[b] ?? 0;
    return { le, count: running };
  });
}

function sumTicks(ticks: Tick[], arm: Arm): ArmTick {
  const sum: ArmTick = { ...emptyPodTick(), pods: [] };
  for (const tick of ticks) {
    addTo(sum, tick[arm]);
    tick[arm].pods.forEach((pod, i) => addTo((sum.pods[i] ??= emptyPodTick()), pod));
  }
  return sum;
}

/** The per-pod breakdown a `sum by (pod)` query returns, pods named `<arm>-<i>`. */
function podBreakdowns(arms: Record<Arm, ArmTick>): {
  counts: PodBreakdown<PodCounts>;
  buckets: PodBreakdown<PodBuckets>;
} {
  const counts: PodBreakdown<PodCounts> = {};
  const buckets: PodBreakdown<PodBuckets> = {};
  for (const arm of ARMS) {
    counts[arm] = arms[arm].pods.map((p, i) => ({ pod: `${arm}-${i}`, bad: p.bad, total: p.total }));
    buckets[arm] = arms[arm].pods.map((p, i) => ({
      pod: `${arm}-${i}`,
      buckets: cumulativeBuckets(p.buckets),
    }));
  }
  return { counts, buckets };
}

/**
 * The polls an analysis loop polling every `intervalSeconds` would see: counts are increases over
 * the poll window; a missing scrape returns no data for every metric of that poll.
 */
export function pollsFor(simulated: SimulatedRun, intervalSeconds: number, durationSeconds: number): Poll[] {
  const { background, scenario, run } = simulated;
  const ticksPerPoll = intervalSeconds / background.tickSeconds;
  if (!Number.isInteger(ticksPerPoll) || ticksPerPoll < 1) {
    throw new Error(`interval: ${intervalSeconds}s is not a multiple of the ${background.tickSeconds}s tick`);
  }
  const random = new Random(`${scenario.id}:${run}:scrape:${intervalSeconds}`);
  const polls: Poll[] = [];
  const pollCount = Math.floor(durationSeconds / intervalSeconds);
  for (let i = 0; i < pollCount; i++) {
    const t = (i + 1) * intervalSeconds;
    if (random.uniform() < background.missingScrapeProbability) {
      const nodata = { kind: 'nodata', reason: 'missing scrape' } as const;
      polls.push({ t, observations: { [ERRORS_METRIC]: nodata, [LATENCY_METRIC]: nodata } });
      continue;
    }
    const window = simulated.ticks.slice(i * ticksPerPoll, (i + 1) * ticksPerPoll);
    const canary = sumTicks(window, 'canary');
    const baseline = sumTicks(window, 'baseline');
    const pods = podBreakdowns({ canary, baseline, stable: sumTicks(window, 'stable') });
    polls.push({
      t,
      observations: {
        [ERRORS_METRIC]: {
          kind: 'ratio',
          canaryBad: canary.bad,
          canaryTotal: canary.total,
          baselineBad: baseline.bad,
          baselineTotal: baseline.total,
          pods: pods.counts,
        },
        [LATENCY_METRIC]: {
          kind: 'latency',
          canary: cumulativeBuckets(canary.buckets),
          baseline: cumulativeBuckets(baseline.buckets),
          pods: pods.buckets,
        },
      },
      traffic: { canary: canary.total, baseline: baseline.total },
    });
  }
  return polls;
}
