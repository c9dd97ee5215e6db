import type { Config } from '../config/types.ts';
import { createProvider } from '../metrics/registry.ts';
import type { Platform } from '../platform/types.ts';
import { progressLine } from '../report/progress.ts';
import type { Clock } from '../util/clock.ts';
import { formatDuration } from '../util/durations.ts';
import { analyze } from './analyze.ts';
import type { AnalyseStep } from './context.ts';
import type { RestartProbe } from './restarts.ts';
import { trackContexts } from './tracks.ts';

/**
 * The analysis engine bound to a release: track selectors default to the canary's and baseline's
 * pods. Built (and its config checked) before any change.
 */
export function createAnalyseStep(
  config: Config,
  platform: Platform,
  clock: Clock,
  restarts?: RestartProbe,
): AnalyseStep {
  const { analysis } = config;
  const provider = createProvider(analysis.provider.type, analysis.provider);
  const tracks = trackContexts(config, provider);
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
    return analyze({
      analysis,
      provider,
      tracks,
      clock,
      signal,
      history,
      step: index,
      ...(restarts ? { restarts } : {}),
      onWarmup: (ms) =>
        ms > 0 && platform.info(`warm-up: waiting ${formatDuration(ms)} before the first poll`),
      onPoll: (_poll, decision, elapsed) =>
        platform.info(progressLine(decision, elapsed, analysis.maxDurationMs)),
    });
  };
}
