import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  createAnalysisDriver
} from "./chunk-ZVX3JFTD.js";
import {
  buildReport
} from "./chunk-INWIV2ZY.js";
import {
  writeJsonArtifact
} from "./chunk-7R7F24LQ.js";
import {
  loadCommandConfig
} from "./chunk-T3G5B2HR.js";
import "./chunk-BZVD2643.js";
import "./chunk-REKH45OT.js";
import "./chunk-23HQPC6F.js";
import {
  ConfigError,
  formatDuration
} from "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/analyze.ts
async function execute(context) {
  const { settings, platform, clock, signal, publish } = context;
  if (!settings.config) throw new ConfigError("--config", "is required: the path of the config file");
  const config = withOverrides(await loadCommandConfig(settings.config, context), settings);
  const { analysis } = config;
  const driver = createAnalysisDriver(config, platform, clock);
  platform.info(
    `Analysing with ${analysis.provider.type} at ${new URL(analysis.provider.url).origin}: ${analysis.metrics.length} metric(s), interval ${formatDuration(analysis.intervalMs)}, max ${formatDuration(analysis.maxDurationMs)}, alpha ${analysis.alpha}`
  );
  platform.info(`canary selector: ${driver.tracks.canary.selector}`);
  platform.info(`baseline selector: ${driver.tracks.baseline.selector}`);
  await driver.check(signal);
  const run = await platform.group("Analysis", () => driver.run({ signal }));
  const report = buildReport(run, analysis.onInconclusive);
  publish(report);
  const say = report.verdict === "fail" ? platform.error : report.exitCode === 0 ? platform.info : platform.warning;
  say(`verdict: ${report.verdict} (${report.outcome}) \u2014 ${report.reason}`);
  if (settings.report) {
    await writeJsonArtifact(platform, settings.report, report);
    platform.info(`report written to ${settings.report}`);
  }
  platform.setOutput("verdict", report.verdict);
  platform.setOutput("decided-at", report.decidedAt);
  if (settings.report) platform.setOutput("report", settings.report);
  return report.exitCode;
}
function withOverrides(config, values) {
  return Object.freeze({
    ...config,
    ...values.namespace ? { namespace: values.namespace } : {},
    ...values.workload ? { workload: values.workload.replace(/^deployment\//, "") } : {}
  });
}
export {
  execute,
  withOverrides
};
