import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  createAnalysisDriver
} from "./chunk-UI5OMXH7.js";
import {
  buildReport
} from "./chunk-Z4JORDZS.js";
import {
  writeJsonArtifact
} from "./chunk-7DANWVT2.js";
import {
  loadCommandConfig
} from "./chunk-36M6STH4.js";
import "./chunk-XMLM5S4J.js";
import {
  formatDuration
} from "./chunk-QFWYWELG.js";
import "./chunk-K2APE3TQ.js";
import {
  ConfigError
} from "./chunk-XNWF4ENP.js";

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
