import type { AnalysisRun } from '../analysis/run.ts';
import type { Poll } from '../analysis/types.ts';
import type { Config } from '../config/types.ts';
import type { Tracks } from '../metrics/collect.ts';
import { measure } from '../metrics/collect.ts';
import { createProvider } from '../metrics/registry.ts';
import type { Platform } from '../platform/types.ts';
import { progressLine } from '../report/progress.ts';
import type { Clock } from '../util/clock.ts';
import { formatDuration } from '../util/durations.ts';
import { analyze, pollScope } from './analyze.ts';
import type { AnalyseStep } from './context.ts';
import type { RestartProbe } from './restarts.ts';
import { trackContexts } from './tracks.ts';

/** The one analysis driver: the config's provider and tracks, and a run that logs its warm-up and polls. */
export interface AnalysisDriver {
  tracks: Tracks;
  run(options: { signal?: AbortSignal; history?: readonly Poll[]; step?: number }): Promise<AnalysisRun>;
  /**
   * Before any change: the URL answers as the configured backend (exit 2 otherwise), it is reachable
   * (exit 4 otherwise) and every metric's queries are accepted (exit 2 naming the query). No data is
   * fine here: the canary does not exist yet.
   */
  check: (signal?: AbortSignal) => Promise<void>;
}

/**
 * Builds the provider and the track selectors (checking the config before any change); `analyze`
 * (the command) and every step of a release run the analysis through it.
 */
export function createAnalysisDriver(
  config: Config,
  platform: Platform,
  clock: Clock,
  restarts?: RestartProbe,
): AnalysisDriver {
  const { analysis } = config;
  const provider = createProvider(analysis.provider.type, analysis.provider);
  const tracks = trackContexts(config, provider);
  return {
    tracks,
    check: async (signal) => {
      await provider.identify?.(signal);
      const now = Math.floor(clock.now() / 1000);
      const scope = pollScope(signal);
      await Promise.all(
        analysis.metrics.map((metric) =>
          measure(metric, provider, tracks, now, analysis.intervalMs / 1000, scope.signal),
        ),
      ).finally(scope.done);
    },
    run: ({ signal, history, step }) =>
      analyze({
        analysis,
        provider,
        tracks,
        clock,
        ...(signal ? { signal } : {}),
        ...(history ? { history } : {}),
        ...(step === undefined ? {} : { step }),
        ...(restarts ? { restarts } : {}),
        onWarmup: (ms) =>
          ms > 0 && platform.info(`warm-up: waiting ${formatDuration(ms)} before the first poll`),
        onBackendError: (message) => platform.warning(`this poll counts as no data: ${message}`),
        onPoll: (_poll, decision, elapsed) =>
          platform.info(progressLine(decision, elapsed, analysis.maxDurationMs)),
      }),
  };
}

/**
 * The analysis of a release's steps: track selectors default to the canary's and baseline's pods; the
 * evidence of earlier steps carries over. Built (and its config checked) before any change.
 */
export function createAnalyseStep(config: Config, platform: Platform, driver: AnalysisDriver): AnalyseStep {
  const { analysis } = config;
  const { tracks } = driver;
  return async ({ index, weight, signal, history }) => {
    platform.info(
      `analysis of step ${index + 1} (${weight}%): ${analysis.provider.type} at ${new URL(analysis.provider.url).origin}, ` +
        `${analysis.metrics.length} metric(s), interval ${formatDuration(analysis.intervalMs)}, max ${formatDuration(analysis.maxDurationMs)}`,
    );
    platform.info(
      `canary selector: ${tracks.canary.selector}; baseline selector: ${tracks.baseline.selector}`,
    );
    if (history.length > 0)
      platform.info(
        `evidence carries over from ${history.length} earlier poll(s): one e-process and one alpha (${analysis.alpha}) for the release`,
      );
    return driver.run({ signal, history, step: index });
  };
}
