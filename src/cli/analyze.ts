import type { Config } from '../config/types.ts';
import { createAnalysisDriver } from '../pipeline/analysis-driver.ts';
import { writeJsonArtifact } from '../platform/artifacts.ts';
import { buildReport } from '../report/json.ts';
import { formatDuration } from '../util/durations.ts';
import { ConfigError } from '../util/errors.ts';
import type { CommandContext } from './command.ts';
import { loadCommandConfig } from './config-file.ts';

/** `canary-action analyze`: judge a canary and baseline that are already running. */
export async function execute(context: CommandContext): Promise<number> {
  const { settings, platform, clock, signal, publish } = context;
  if (!settings.config) throw new ConfigError('--config', 'is required: the path of the config file');
  const config = withOverrides(await loadCommandConfig(settings.config, context), settings);
  const { analysis } = config;
  const driver = createAnalysisDriver(config, platform, clock);
  platform.info(
    `Analysing with ${analysis.provider.type} at ${new URL(analysis.provider.url).origin}: ` +
      `${analysis.metrics.length} metric(s), interval ${formatDuration(analysis.intervalMs)}, ` +
      `max ${formatDuration(analysis.maxDurationMs)}, alpha ${analysis.alpha}`,
  );
  platform.info(`canary selector: ${driver.tracks.canary.selector}`);
  platform.info(`baseline selector: ${driver.tracks.baseline.selector}`);
  // Before the warm-up: a wrong URL, a rejected query or an unreachable backend ends it at once.
  await driver.check(signal);
  const run = await platform.group('Analysis', () => driver.run({ signal }));
  const report = buildReport(run, analysis.onInconclusive);
  publish(report);
  const say =
    report.verdict === 'fail' ? platform.error : report.exitCode === 0 ? platform.info : platform.warning;
  say(`verdict: ${report.verdict} (${report.outcome}) — ${report.reason}`);
  if (settings.report) {
    await writeJsonArtifact(platform, settings.report, report);
    platform.info(`report written to ${settings.report}`);
  }
  platform.setOutput('verdict', report.verdict);
  platform.setOutput('decided-at', report.decidedAt);
  if (settings.report) platform.setOutput('report', settings.report);
  return report.exitCode;
}

/** Flags win over the config file's top-level keys. */
export function withOverrides(config: Config, values: { namespace?: string; workload?: string }): Config {
  return Object.freeze({
    ...config,
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values.workload ? { workload: values.workload.replace(/^deployment\//, '') } : {}),
  });
}
