/**
 * The notification contract: what every notifier renders (ReleaseEvent), how a target is configured
 * (NotifyTarget), what a delivery reports (NotifyResult) and what a notifier is (Notifier). Plain data only:
 * the pipeline builds a ReleaseEvent with one call (src/notify/event.ts) and hands it to notifyAll
 * (src/notify/dispatch.ts), which never throws and never outlives its deadline.
 */
import type { MetricKind, MetricVerdict, TrackSummary, Verdict } from '../analysis/types.ts';

/**
 * When a notification goes out. Every release sends `started`, a `step` per traffic step that passed, and
 * exactly one decision: `promoted`, `failed` (the judge failed the canary, or the run failed before changing
 * anything), `inconclusive` (rolled back because the analysis could not decide), `held` (left live for a
 * manual decision) or `rolled-back` (rolled back for any other reason: an error, a cancelled job, an A/A run).
 */
export const NOTIFY_EVENTS = [
  'started',
  'step',
  'failed',
  'rolled-back',
  'promoted',
  'held',
  'inconclusive',
] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

/** The events that end a release (or pause it, `held`): a Grafana region closes at each of them. */
export const DECISION_EVENTS: readonly NotifyEventName[] = [
  'failed',
  'rolled-back',
  'promoted',
  'held',
  'inconclusive',
];

export const NOTIFY_TYPES = ['slack', 'teams', 'webhook', 'grafana'] as const;
export type NotifyType = (typeof NOTIFY_TYPES)[number];

/** One metric as a notification shows it: observed values, the ratio with its bounds, and what it is held to. */
export interface MetricOutcome {
  name: string;
  type: MetricKind;
  blocking: boolean;
  verdict: MetricVerdict;
  reason: string;
  /** Observed on each track: rates (ratio, latency: bad/total) or values (gauge, threshold). */
  canary: TrackSummary;
  baseline: TrackSummary;
  /** canary ÷ baseline (threshold: the last value); null when not computed or unbounded. */
  estimate: number | null;
  /** Anytime-valid confidence bounds on `estimate`; null for an unbounded side. */
  bounds: [number | null, number | null] | null;
  /** ratio/latency/gauge: the configured tolerance (largest acceptable canary ÷ baseline). */
  tolerance: number | null;
  /** ratio/latency: the tolerance actually tested after the pod-noise floor, when per-pod data was available. */
  effectiveTolerance: number | null;
  /** threshold: the configured bounds on the canary's value. */
  min: number | null;
  max: number | null;
}

export interface ReleaseStep {
  weight: number;
  verdict: string;
  reason: string;
}

/** Everything a notifier renders. JSON-safe: ISO 8601 times, null for what is not known. */
export interface ReleaseEvent {
  event: NotifyEventName;
  runId: string;
  /** The stable Deployment's name (without `deployment/`). */
  workload: string;
  namespace: string;
  revision: string;
  image: string;
  /** `sha256:…` when known. */
  digest: string | null;
  /** Where the release is: deploying, analysing, held, deployed, promoting, rolling-back, promoted, rolled-back. */
  phase: string;
  /** The judge's verdict (of the last step analysed); null before any analysis. */
  verdict: Verdict | null;
  /** Why: the judge's reason, the error, or e.g. "job cancelled". */
  reason: string;
  /** `step`: the step that just passed (1-based, of `count` when known). */
  step: { number: number; count: number | null; weight: number } | null;
  /** Every traffic step analysed so far. */
  steps: ReleaseStep[];
  /** The last analysis, one entry per metric (empty before any analysis). */
  metrics: MetricOutcome[];
  /** When the release started. */
  startedAt: string;
  /** When this event happened. */
  time: string;
  /** When the decision was taken (a decision event, or the analysis of a `step`); null otherwise. */
  decidedAt: string | null;
  links: { job: string | null; report: string | null };
}

interface TargetBase {
  /** Position in `notify:` (0-based), for messages: `notify[2]`. */
  index: number;
  /** Optional label shown in warnings instead of the position alone. */
  name?: string;
  /** A credential for slack, teams and webhook targets: never printed. */
  url: string;
  events: readonly NotifyEventName[];
  /** Extra HTTP headers; their values are treated as secrets. */
  headers: Readonly<Record<string, string>>;
  /** Timeout of one HTTP request. */
  timeoutMs: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries: number;
}

export interface SlackTarget extends TargetBase {
  type: 'slack';
}

export interface TeamsTarget extends TargetBase {
  type: 'teams';
}

export interface WebhookTarget extends TargetBase {
  type: 'webhook';
  /** When set, the body is signed: `X-Canary-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
  secret?: string;
}

export interface GrafanaTarget extends TargetBase {
  type: 'grafana';
  /** Service account token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Added to the annotation's own tags. */
  tags: readonly string[];
  dashboardUID?: string;
  panelId?: number;
}

export type NotifyTarget = SlackTarget | TeamsTarget | WebhookTarget | GrafanaTarget;

/** What one delivery to one target came to. Holds no URL, token, secret or header value. */
export interface NotifyResult {
  /** The target, safe to print: `notify[1] slack` or `notify[1] slack "deploys"`. */
  target: string;
  type: NotifyType;
  event: NotifyEventName;
  ok: boolean;
  /** HTTP attempts made (a Grafana update may take several requests). */
  attempts: number;
  /** Why it was not delivered (or delivered only in part), for the log and the report. */
  warning?: string;
}

/**
 * What a run must remember between events and between processes (the post step runs in another one): the
 * Grafana annotation id per target. The caller persists it (JSON, see encodeNotifyState) and passes it back.
 */
export interface NotifyState {
  grafana: Record<string, number>;
}

/** What a notifier gets besides the event. */
export interface NotifyContext {
  /** Aborted at the dispatch deadline: stop at once. */
  signal: AbortSignal;
  /** The run's state; a notifier records what it creates here (its own key only). */
  state: NotifyState;
  /** Called before every HTTP attempt (the dispatcher counts them for requests cut off by the deadline). */
  onAttempt?: () => void;
  /** Injected by tests; default: the system clock and Math.random. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** A configured target that can deliver events. `send` never throws: failures come back as a warning. */
export interface Notifier {
  readonly target: NotifyTarget;
  send(event: ReleaseEvent, context: NotifyContext): Promise<NotifyResult>;
}

export type NotifierFactory = (target: NotifyTarget) => Notifier;
