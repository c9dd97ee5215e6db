import { setMaxListeners } from 'node:events';
import { evaluate } from '../analysis/judge.ts';
import type { AnalysisRun } from '../analysis/run.ts';
import type { Decision, JudgeSpec, Observation, Poll } from '../analysis/types.ts';
import type { AnalysisConfig, MetricConfig } from '../config/types.ts';
import { measure, type Measurement, type Tracks } from '../metrics/collect.ts';
import type { MetricsProvider } from '../metrics/provider.ts';
import type { Clock } from '../util/clock.ts';
import { formatDuration } from '../util/durations.ts';
import { BackendError } from '../util/errors.ts';

export interface AnalyzeOptions {
  analysis: AnalysisConfig;
  provider: MetricsProvider;
  tracks: Tracks;
  clock: Clock;
  signal?: AbortSignal;
  /** Called after every poll with the judge's decision so far (progress lines, live reports). */
  onPoll?: (poll: Poll, decision: Decision, elapsedMs: number) => void;
  /** Called when a poll's queries could not be answered (the poll counts as no data). */
  onBackendError?: (message: string) => void;
  /** Called once when the warm-up starts. */
  onWarmup?: (warmupMs: number) => void;
  /**
   * Polls of the release's earlier steps: the judge keeps accumulating evidence over them (one e-process and
   * one alpha per release); this step's polls are numbered `step` and continue their clock.
   */
  history?: readonly Poll[];
  step?: number;
  /** Container restarts of the canary's and the baseline's pods so far, for the restarts guard. */
  restarts?: () => Promise<{ canary: number; baseline: number } | undefined>;
}

const stepSecondsOf = (analysis: AnalysisConfig) => analysis.intervalMs / 1000;

export function judgeSpec(analysis: AnalysisConfig): JudgeSpec {
  return {
    alpha: analysis.alpha,
    metrics: analysis.metrics.map((metric) => ({
      name: metric.name,
      kind: metric.type,
      blocking: metric.blocking,
      tolerance: metric.tolerance,
      direction: metric.direction,
      failureLimit: metric.failureLimit,
      ...(metric.min === undefined ? {} : { min: metric.min }),
      ...(metric.max === undefined ? {} : { max: metric.max }),
    })),
    minDurationSeconds: analysis.minDurationMs / 1000,
    maxDurationSeconds: analysis.maxDurationMs / 1000,
    onInconclusive: analysis.onInconclusive,
    ...(analysis.trafficShare ? { trafficShare: analysis.trafficShare } : {}),
  };
}

/**
 * Polls every interval after the warm-up, asks the judge after each poll and returns at its first
 * decision (the judge decides by maxDuration at the latest). Backend errors propagate: the caller
 * maps them to exit codes; a metric whose query returns nothing is "no data", not an error.
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalysisRun> {
  const { analysis, clock, signal } = options;
  const spec = judgeSpec(analysis);
  const startedAt = new Date(clock.now());
  // Every query once before the warm-up, so a typo is reported at once (the backend answered preflight).
  const now = Math.floor(clock.now() / 1000);
  const outage = outageTracker(options);
  const first = pollScope(signal);
  await Promise.all(
    analysis.metrics.map((metric) =>
      measure(metric, options.provider, options.tracks, now, stepSecondsOf(analysis), first.signal),
    ),
  )
    .catch((error: unknown) => outage.failed(error))
    .finally(first.done);
  options.onWarmup?.(analysis.warmupMs);
  await clock.sleep(analysis.warmupMs, signal);
  // Polls fall on multiples of the interval since the epoch: backends that bucket by time (InfluxQL
  // GROUP BY time, Datadog rollups) align their buckets the same way.
  const origin = Math.ceil(clock.now() / analysis.intervalMs) * analysis.intervalMs;
  const history = options.history ?? [];
  const polls: Poll[] = [...history];
  const step = options.step ?? 0;
  const offset = history.at(-1)?.t ?? 0;
  const queries: AnalysisRun['queries'] = {};
  const stepSeconds = stepSecondsOf(analysis);
  for (let k = 1; ; k++) {
    const due = origin + k * analysis.intervalMs;
    await clock.sleep(Math.max(0, due - clock.now()), signal);
    const at = Math.floor(due / 1000);
    const scope = pollScope(signal);
    const measured = await Promise.all(
      analysis.metrics.map((metric) =>
        measure(metric, options.provider, options.tracks, at, stepSeconds, scope.signal).catch(
          (error: unknown) => outage.failed(error),
        ),
      ),
    ).finally(scope.done);
    if (measured.some((m) => !m.unanswered)) outage.answered();
    const observations: Record<string, Observation> = {};
    measured.forEach((m, i) => {
      const metric = analysis.metrics[i] as MetricConfig;
      observations[metric.name] = m.observation;
      if (!m.unanswered) queries[metric.name] = m.queries;
    });
    const traffic = measured.find((m) => m.traffic)?.traffic;
    const restarts = await options.restarts?.();
    const elapsed = (k * analysis.intervalMs) / 1000;
    const poll: Poll = {
      t: offset + elapsed,
      ...(step > 0 ? { step, elapsed } : {}),
      observations,
      ...(traffic ? { traffic } : {}),
      ...(restarts ? { restarts } : {}),
    };
    polls.push(poll);
    const decision = evaluate(spec, polls);
    options.onPoll?.(poll, decision, k * analysis.intervalMs);
    if (decision.verdict !== 'continue') {
      return { decision, polls, queries, startedAt, decidedAt: new Date(clock.now()) };
    }
  }
}

/**
 * One signal for a poll's concurrent queries (each request listens on it): the run's signal gets one
 * listener per poll instead of one per query, which Node reports as a leak past ten.
 */
export function pollScope(signal: AbortSignal | undefined): { signal?: AbortSignal; done: () => void } {
  if (!signal) return { done: () => undefined };
  const scope = new AbortController();
  setMaxListeners(0, scope.signal); // bounded by the poll's queries, and dropped when the poll ends
  const onAbort = () => scope.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { signal: scope.signal, done: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * A poll the backend could not answer (BackendError after the provider's retry budget) is no data for
 * that poll; only an outage longer than `analysis.provider.outage` ends the analysis (exit 4).
 */
function outageTracker(options: AnalyzeOptions) {
  const { analysis, clock } = options;
  const limitMs = analysis.provider.outageMs ?? Infinity;
  let since: number | undefined;
  return {
    failed(error: unknown): Measurement {
      if (!(error instanceof BackendError) || options.signal?.aborted) throw error;
      since ??= clock.now();
      const lasted = clock.now() - since;
      if (lasted >= limitMs) {
        throw new BackendError(
          `the metrics backend has not answered for ${formatDuration(Math.round(lasted / 1000) * 1000)} (analysis.provider.outage ${formatDuration(limitMs)}): ${error.message}`,
          { cause: error },
        );
      }
      options.onBackendError?.(error.message);
      return {
        observation: { kind: 'nodata', reason: 'the backend did not answer' },
        queries: {},
        unanswered: true,
      };
    },
    answered() {
      since = undefined;
    },
  };
}
