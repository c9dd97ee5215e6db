/**
 * Benchmark scenarios. Every scenario shares the same production-like background (see
 * `BACKGROUND`); only the arms' traffic, pod-to-pod noise and the canary's effect differ.
 */

export type ScenarioKind = 'aa' | 'regression' | 'improvement';

/** How the canary's error rate relates to the baseline's (after the shared drift is applied). */
export type ErrorEffect =
  { type: 'none' } | { type: 'multiply'; factor: number } | { type: 'add'; delta: number };

export interface LatencyEffect {
  /** Multiplies every canary request's latency. */
  multiplier: number;
  /** A fraction of canary requests gets `tailAddSeconds` added (a slow code path). */
  tailFraction: number;
  tailAddSeconds: number;
}

export interface Scenario {
  id: string;
  kind: ScenarioKind;
  description: string;
  /** Mean requests per second into each arm before load swings. */
  requestsPerSecond: { canary: number; baseline: number };
  /** Baseline error rate before the shared drift. */
  baselineErrorRate: number;
  errors: ErrorEffect;
  latency: LatencyEffect;
  /** Standard deviation of each pod's log multiplicative offset on its error rate and latency. */
  podNoise: number;
}

export interface Ar1 {
  /** Lag-one autocorrelation per tick. */
  phi: number;
  /** Stationary standard deviation. */
  sd: number;
}

export interface Background {
  podsPerArm: number;
  /** Pods of the stable Deployment besides the baseline (same image): only their per-pod breakdown is emitted. */
  stablePods: number;
  tickSeconds: number;
  baselineErrorRate: number;
  medianLatencySeconds: number;
  latencySigma: number;
  defaultPodNoise: number;
  podTrafficNoise: number;
  loadAmplitude: number;
  loadPeriodSeconds: number;
  burstProbability: number;
  burstMeanTicks: number;
  burstMultiplier: readonly [number, number];
  loadErrorElasticity: number;
  loadLatencyElasticity: number;
  sharedErrorDrift: Ar1;
  sharedLatencyDrift: Ar1;
  podErrorNoise: Ar1;
  podLatencyNoise: Ar1;
  missingScrapeProbability: number;
  counterResetProbability: number;
}

/** Parameters shared by all scenarios (documented in bench/README.md). */
export const BACKGROUND: Background = {
  podsPerArm: 3,
  stablePods: 10,
  tickSeconds: 30,
  baselineErrorRate: 0.005,
  medianLatencySeconds: 0.08,
  /** Log-normal shape: p99 = 0.08 s × e^(2.326 × 0.5) ≈ 0.26 s. */
  latencySigma: 0.5,
  defaultPodNoise: 0.01,
  /** Per-pod traffic weight noise (load-balancer imbalance), log sd. */
  podTrafficNoise: 0.05,
  /** Daily-like sinusoid compressed to a 2 h period, ±30 % of the mean load. */
  loadAmplitude: 0.3,
  loadPeriodSeconds: 7200,
  /** Bursts: probability one starts in a tick, its mean length in ticks, its load multiplier range. */
  burstProbability: 0.02,
  burstMeanTicks: 3,
  burstMultiplier: [1.5, 3],
  /** Load raises the shared error rate (∝ load^0.5) and latency (∝ load^0.1). */
  loadErrorElasticity: 0.5,
  loadLatencyElasticity: 0.1,
  /** Shared drift: AR(1) on the log error rate / log latency, per tick. */
  sharedErrorDrift: { phi: 0.98, sd: 0.2 },
  sharedLatencyDrift: { phi: 0.98, sd: 0.05 },
  /** Per-pod autocorrelated noise: AR(1) on each pod's log error rate / log latency, per tick. */
  podErrorNoise: { phi: 0.8, sd: 0.1 },
  podLatencyNoise: { phi: 0.8, sd: 0.02 },
  /** A poll whose query returns nothing. */
  missingScrapeProbability: 0.02,
  /** Per pod per tick; the tick's increase for that pod loses U(0, 0.5) of its counts. */
  counterResetProbability: 0.001,
};

const NO_LATENCY_EFFECT: LatencyEffect = { multiplier: 1, tailFraction: 0, tailAddSeconds: 0 };
const EQUAL_TRAFFIC = { canary: 50, baseline: 50 };

function scenario(
  id: string,
  kind: ScenarioKind,
  description: string,
  overrides: Partial<Scenario> = {},
): Scenario {
  return {
    id,
    kind,
    description,
    requestsPerSecond: EQUAL_TRAFFIC,
    baselineErrorRate: BACKGROUND.baselineErrorRate,
    errors: { type: 'none' },
    latency: NO_LATENCY_EFFECT,
    podNoise: BACKGROUND.defaultPodNoise,
    ...overrides,
  };
}

export const SCENARIOS: readonly Scenario[] = [
  scenario('aa', 'aa', 'canary = baseline, 50 req/s per arm'),
  scenario('aa-pod-noise-5pct', 'aa', 'canary = baseline, per-pod error/latency offsets with 5 % log sd', {
    podNoise: 0.05,
  }),
  scenario('aa-split-45-55', 'aa', 'canary = baseline, 100 req/s split 45/55', {
    requestsPerSecond: { canary: 45, baseline: 55 },
  }),
  scenario('aa-low-traffic', 'aa', 'canary = baseline, 2 req/s per arm', {
    requestsPerSecond: { canary: 2, baseline: 2 },
  }),
  scenario('errors-x1.5', 'regression', 'canary error rate × 1.5', {
    errors: { type: 'multiply', factor: 1.5 },
  }),
  scenario('errors-x2', 'regression', 'canary error rate × 2', { errors: { type: 'multiply', factor: 2 } }),
  scenario('errors-plus5pp', 'regression', 'canary error rate + 5 percentage points', {
    errors: { type: 'add', delta: 0.05 },
  }),
  scenario('errors-zero-to-0.5pct', 'regression', 'baseline has no errors, canary 0.5 %', {
    baselineErrorRate: 0,
    errors: { type: 'add', delta: 0.005 },
  }),
  scenario('latency-x1.1', 'regression', 'every canary request 10 % slower', {
    latency: { ...NO_LATENCY_EFFECT, multiplier: 1.1 },
  }),
  scenario('latency-x1.25', 'regression', 'every canary request 25 % slower', {
    latency: { ...NO_LATENCY_EFFECT, multiplier: 1.25 },
  }),
  scenario('latency-tail', 'regression', '1 % of canary requests +300 ms', {
    latency: { multiplier: 1, tailFraction: 0.01, tailAddSeconds: 0.3 },
  }),
  scenario('improvement', 'improvement', 'canary errors × 0.5 and latency × 0.9', {
    errors: { type: 'multiply', factor: 0.5 },
    latency: { ...NO_LATENCY_EFFECT, multiplier: 0.9 },
  }),
];

export function findScenario(id: string): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) {
    throw new Error(
      `--scenario: unknown scenario ${JSON.stringify(id)}, expected one of ${SCENARIOS.map((s) => s.id).join(', ')}`,
    );
  }
  return found;
}
