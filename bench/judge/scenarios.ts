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
  /** Pods per track (default: BACKGROUND's podsPerArm for canary and baseline, stablePods for the stable fleet). */
  layout?: { canary: number; baseline: number; stable: number };
  /** Noise that hits each arm as a whole, independently per arm and per poll (overdispersion). */
  armNoise?: ArmNoise;
  /** Per-connection routing with keep-alive clients instead of independent per-request routing. */
  sticky?: Sticky;
  /**
   * Prometheus `increase()` over a window holding `extrapolation` scrapes' worth of samples: each pod's counts are
   * extrapolated from 1/extrapolation of the window, so they arrive as extrapolation × Poisson(mean/extrapolation).
   */
  extrapolation?: number;
  /** Pods on a slow node: their latency is multiplied by `factor` (placement, not the release). */
  slowNode?: { factor: number; canaryPods: number; stablePods: number };
  /** The canary's effect (errors and latency) starts this many seconds into the analysis (late onset). */
  onsetSeconds?: number;
}

export interface ArmNoise {
  /** Coefficient of variation of a Gamma factor on each arm's error rate, drawn per arm per tick. */
  errorCV: number;
  /** Log standard deviation of a factor on each arm's median latency, drawn per arm per tick. */
  latencyJitter: number;
}

export interface Sticky {
  /** Open client connections at any time, spread over all pods of the Service. */
  connections: number;
  /** Mean lifetime of a connection, in ticks (geometric). */
  meanTicks: number;
  /** Log standard deviation of a connection's load (heavy clients, light clients). */
  rateSd: number;
  /** Log standard deviation of a client's error propensity (its mix of requests). */
  errorSd: number;
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
/** The fleet of the noise scenarios: 2 pods per arm, 4 more stable pods. */
const SMALL_FLEET = { canary: 2, baseline: 2, stable: 4 };
const ARM_NOISE: ArmNoise = { errorCV: 0.3, latencyJitter: 0.05 };
/** 30 keep-alive connections over the Service's pods, living 2 minutes on average, heavy-tailed loads. */
const STICKY: Sticky = { connections: 30, meanTicks: 4, rateSd: 1, errorSd: 0.5 };

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
  // Real-world noise (issue 10): 2 pods per arm and 4 stable pods, as an independent audit simulated them.
  ...[20, 200, 1000].map((rps) =>
    scenario(
      `aa-overdispersed-${rps}`,
      'aa',
      `canary = baseline, ${rps} req/s per arm, per-arm noise (errors CV 30 %, median jitter 5 %)`,
      {
        requestsPerSecond: { canary: rps, baseline: rps },
        layout: SMALL_FLEET,
        armNoise: ARM_NOISE,
      },
    ),
  ),
  scenario(
    'aa-overdispersed-1000-cv50',
    'aa',
    'canary = baseline, 1,000 req/s per arm, per-arm noise (errors CV 50 %, median jitter 10 %)',
    {
      requestsPerSecond: { canary: 1000, baseline: 1000 },
      layout: SMALL_FLEET,
      armNoise: { errorCV: 0.5, latencyJitter: 0.1 },
    },
  ),
  scenario(
    'aa-sticky-10pct',
    'aa',
    'canary = baseline at a 10 % step (1 canary, 1 baseline, 8 stable pods), keep-alive clients pinned to pods',
    {
      layout: { canary: 1, baseline: 1, stable: 8 },
      sticky: STICKY,
    },
  ),
  scenario(
    'aa-sticky-1000',
    'aa',
    'canary = baseline, 1,000 req/s per arm, keep-alive clients pinned to pods and per-arm noise',
    {
      requestsPerSecond: { canary: 1000, baseline: 1000 },
      layout: SMALL_FLEET,
      sticky: STICKY,
      armNoise: ARM_NOISE,
    },
  ),
  scenario(
    'aa-extrapolated',
    'aa',
    'canary = baseline, counts from increase() extrapolated from half the window (15 s scrapes, 30 s polls)',
    {
      layout: SMALL_FLEET,
      extrapolation: 2,
    },
  ),
  scenario(
    'aa-slow-node',
    'aa',
    'canary = baseline, one of 2 canary pods and one of 4 stable pods on a node 20 % slower',
    {
      layout: SMALL_FLEET,
      slowNode: { factor: 1.2, canaryPods: 1, stablePods: 1 },
    },
  ),
  scenario(
    'aa-slow-node-canary-only',
    'aa',
    'canary = baseline, one of 2 canary pods on a node 20 % slower, no stable pod there (placement the stable image never shows)',
    {
      layout: SMALL_FLEET,
      slowNode: { factor: 1.2, canaryPods: 1, stablePods: 0 },
    },
  ),
  scenario('errors-x3-20rps', 'regression', 'canary error rate × 3 at 20 req/s per arm', {
    requestsPerSecond: { canary: 20, baseline: 20 },
    layout: SMALL_FLEET,
    errors: { type: 'multiply', factor: 3 },
  }),
  scenario(
    'errors-x2-overdispersed-200',
    'regression',
    'canary error rate × 2, 200 req/s per arm with per-arm noise',
    {
      requestsPerSecond: { canary: 200, baseline: 200 },
      layout: SMALL_FLEET,
      armNoise: ARM_NOISE,
      errors: { type: 'multiply', factor: 2 },
    },
  ),
  scenario(
    'latency-x1.15-overdispersed-200',
    'regression',
    'canary median latency + 15 %, 200 req/s per arm with per-arm noise',
    {
      requestsPerSecond: { canary: 200, baseline: 200 },
      layout: SMALL_FLEET,
      armNoise: ARM_NOISE,
      latency: { ...NO_LATENCY_EFFECT, multiplier: 1.15 },
    },
  ),
  scenario('errors-x3-late-onset', 'regression', 'canary error rate × 3 from the 5th minute on', {
    layout: SMALL_FLEET,
    errors: { type: 'multiply', factor: 3 },
    onsetSeconds: 300,
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
