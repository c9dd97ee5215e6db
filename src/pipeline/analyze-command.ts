import { writeFile } from 'node:fs/promises';
import type { Config } from '../config/types.ts';
import { createProvider } from '../metrics/registry.ts';
import type { Platform } from '../platform/types.ts';
import { buildReport, type AnalysisReport } from '../report/json.ts';
import { progressLine } from '../report/progress.ts';
import type { Clock } from '../util/clock.ts';
import { formatDuration } from '../util/durations.ts';
import { analyze } from './analyze.ts';
import { trackContexts } from './tracks.ts';

export interface AnalyzeCommandOptions {
  config: Config;
  platform: Platform;
  clock: Clock;
  reportFile?: string;
  signal?: AbortSignal;
}

/** Every value in the config that could be a credential: the platform masks or redacts them. */
export function configSecrets(config: Config): string[] {
  const { provider } = config.analysis;
  return [
    ...config.secrets,
    ...Object.values(provider.headers),
    provider.bearerToken,
    provider.basicAuth?.password,
    provider.extra.token,
    provider.extra.apiKey,
    provider.extra.applicationKey,
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/** `canary-action analyze`: judge a canary and baseline that are already running; returns the exit code. */
export async function runAnalyzeCommand(
  options: AnalyzeCommandOptions,
): Promise<{ exitCode: number; report: AnalysisReport }> {
  const { config, platform, clock } = options;
  configSecrets(config).forEach((secret) => platform.addSecret(secret));
  const { analysis } = config;
  const provider = createProvider(analysis.provider.type, analysis.provider);
  const tracks = trackContexts(config, provider);
  platform.info(
    `Analysing with ${analysis.provider.type} at ${new URL(analysis.provider.url).origin}: ` +
      `${analysis.metrics.length} metric(s), interval ${formatDuration(analysis.intervalMs)}, ` +
      `max ${formatDuration(analysis.maxDurationMs)}, alpha ${analysis.alpha}`,
  );
  platform.info(`canary selector: ${tracks.canary.selector}`);
  platform.info(`baseline selector: ${tracks.baseline.selector}`);
  const run = await platform.group('Analysis', () =>
    analyze({
      analysis,
      provider,
      tracks,
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
      onWarmup: (ms) =>
        ms > 0 && platform.info(`warm-up: waiting ${formatDuration(ms)} before the first poll`),
      onPoll: (_poll, decision, elapsed) =>
        platform.info(progressLine(decision, elapsed, analysis.maxDurationMs)),
    }),
  );
  const report = buildReport(run, analysis.onInconclusive);
  const say =
    report.verdict === 'fail' ? platform.error : report.exitCode === 0 ? platform.info : platform.warning;
  say(`verdict: ${report.verdict} (${report.outcome}) — ${report.reason}`);
  if (options.reportFile) {
    await writeFile(options.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    platform.info(`report written to ${options.reportFile}`);
  }
  platform.setOutput('verdict', report.verdict);
  platform.setOutput('decided-at', report.decidedAt);
  if (options.reportFile) platform.setOutput('report', options.reportFile);
  return { exitCode: report.exitCode, report };
}
