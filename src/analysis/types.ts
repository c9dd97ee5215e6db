/**
 * The judge's contract. Everything here is plain data: the judge is a pure function of a
 * JudgeSpec and the polls seen so far (DESIGN.md §3), so it is deterministic and testable
 * without a network or a clock.
 */

export type MetricKind = 'ratio' | 'latency' | 'gauge' | 'threshold';
export type InconclusivePolicy = 'fail' | 'pass' | 'hold';

export interface MetricSpec {
  name: string;
  kind: MetricKind;
  /** ratio/latency: largest acceptable canary÷baseline rate ratio (e.g. 1.5). gauge: largest acceptable canary÷baseline mean. */
  tolerance?: number;
  /** Blocking metrics decide the verdict; the others are reported only. */
  blocking: boolean;
  /** gauge: which direction is harmful (default 'increase'). */
  direction?: 'increase' | 'decrease';
  /** threshold: bounds on the canary's value. */
  min?: number;
  max?: number;
  /** threshold: number of failed measurements that fails the metric (a measurement fails when out of bounds). */
  failureLimit?: number;
}

export interface JudgeSpec {
  /** False-alarm budget for the whole canary, shared across blocking metrics and guards. */
  alpha: number;
  metrics: MetricSpec[];
  /** Seconds from the first poll before an early pass is allowed. */
  minDurationSeconds: number;
  /** Seconds from the first poll at which the analysis must decide. */
  maxDurationSeconds: number;
  onInconclusive: InconclusivePolicy;
  /**
   * Traffic-share guard: expected canary share of canary+baseline requests and allowed deviation. Advisory
   * (reported, never failing the canary, taking no share of alpha) unless `blocking`.
   */
  trafficShare?: { expected: number; tolerance: number; blocking?: boolean };
}

/** One histogram bucket: cumulative count of observations ≤ `le` (Infinity for +Inf) in the poll window. */
export interface Bucket {
  le: number;
  count: number;
}

/** One pod's bad and total events in the poll window (same queries as the track's, `sum by (pod)`). */
export interface PodCounts {
  pod: string;
  bad: number;
  total: number;
}

/** One pod's cumulative histogram buckets in the poll window (`sum by (pod, le)`). */
export interface PodBuckets {
  pod: string;
  buckets: Bucket[];
}

/**
 * Optional per-pod breakdown of an observation. The judge measures pod-to-pod noise on the stable image
 * (baseline pods, plus the stable Deployment's pods when given) and never tolerates less than what pod
 * placement alone can produce. The canary's own pods are never used: a bad canary cannot loosen its own test.
 */
export interface PodBreakdown<T> {
  canary?: T[];
  baseline?: T[];
  stable?: T[];
}

/** What one poll saw for one metric (counts are increases within the poll window). */
export type Observation =
  | {
      kind: 'ratio';
      canaryBad: number;
      canaryTotal: number;
      baselineBad: number;
      baselineTotal: number;
      pods?: PodBreakdown<PodCounts>;
    }
  | { kind: 'latency'; canary: Bucket[]; baseline: Bucket[]; pods?: PodBreakdown<PodBuckets> }
  | { kind: 'gauge'; canary: number; baseline: number }
  | { kind: 'threshold'; value: number }
  | { kind: 'nodata'; reason: string };

export interface Poll {
  /** Seconds since the analysis started (after warmup); across release steps, since the first step's start. */
  t: number;
  /**
   * Release step the poll belongs to (default 0). Evidence accumulates over every step: one e-process and one
   * alpha per release. minDuration and maxDuration count per step, from `elapsed`.
   */
  step?: number;
  /** Seconds since this step's analysis started (default `t`). */
  elapsed?: number;
  /** Keyed by metric name; a metric missing from a poll counts as no data for that poll. */
  observations: Record<string, Observation>;
  /** Requests per track in this poll window, for the traffic-share guard (optional). */
  traffic?: { canary: number; baseline: number };
  /** Container restarts (incl. OOMKills) per track seen so far (cumulative, optional). */
  restarts?: { canary: number; baseline: number };
}

export type MetricVerdict = 'pass' | 'fail' | 'running' | 'inconclusive' | 'nodata';

export interface TrackSummary {
  /** ratio/latency: bad events and totals accumulated; gauge/threshold: last or mean value. */
  bad?: number;
  total?: number;
  rate?: number;
  /** ratio: anytime-valid upper bound on the track's rate (at the metric's share of alpha). */
  rateUpper?: number;
  value?: number;
}

export interface MetricResult {
  name: string;
  kind: MetricKind;
  blocking: boolean;
  verdict: MetricVerdict;
  canary: TrackSummary;
  baseline: TrackSummary;
  /** ratio/latency/gauge: estimate of canary÷baseline; threshold: the last value. */
  estimate?: number;
  /** Anytime-valid confidence bounds on `estimate` at this metric's share of alpha. */
  bounds?: [number, number];
  /** Current e-value against "canary within tolerance" (fail when ≥ threshold). */
  evidence: number;
  /** 1/alpha for this metric. */
  threshold: number;
  /** Evidence after each poll with data (`dispersion`: what the poll's evidence was divided by, when above 1). */
  trajectory: Array<{ t: number; evidence: number; canary?: number; baseline?: number; dispersion?: number }>;
  /** Smallest canary÷baseline ratio the traffic seen would detect with 80 % power (at maxDuration). */
  minimumDetectableEffect?: number;
  /** ratio/latency: extra-binomial dispersion the last poll's evidence was divided by (1: plain binomial). */
  dispersion?: number;
  /** Polls with data, polls without. */
  samples: number;
  noDataPolls: number;
  /** threshold: failed measurements so far. */
  failures?: number;
  /** latency: the bucket bounds (seconds) tested. */
  testedBounds?: number[];
  /**
   * ratio/latency: the tolerance actually tested after the pod-noise floor (largest over latency bounds);
   * present only when a per-pod breakdown was given.
   */
  effectiveTolerance?: number;
  /** ratio/latency: pod-to-pod spread measured on the stable image (log rate, or probit units for latency). */
  podSpread?: { sd: number; pods: number };
  reason: string;
}

export interface GuardResult {
  name: 'traffic-share' | 'restarts';
  tripped: boolean;
  /** A tripped blocking guard fails the canary; an advisory one is reported only. */
  blocking: boolean;
  evidence?: number;
  reason: string;
}

/** How the false-alarm budget was spent: one alpha for the whole release, whatever its steps. */
export interface AlphaSpending {
  total: number;
  /** Each test's share: alpha ÷ the number of tests. */
  perTest: number;
  /** The blocking statistical metrics and guards that share it. */
  tests: string[];
  /** Release steps the evidence has accumulated over (one e-process per test across them). */
  steps: number;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface Decision {
  /** `continue` while the analysis should keep polling. */
  verdict: Verdict | 'continue';
  reason: string;
  metrics: MetricResult[];
  guards: GuardResult[];
  alpha: AlphaSpending;
}
