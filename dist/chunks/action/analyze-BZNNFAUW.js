import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  buildReport,
  configSecrets,
  createAnalysisDriver
} from "./chunk-4RY3IPQM.js";
import "./chunk-GMCBCUMK.js";
import {
  loadConfigFile
} from "./chunk-CNLDVEF4.js";
import "./chunk-GMD6YTNY.js";
import "./chunk-RYWXF2ED.js";
import "./chunk-2LXHYMMV.js";
import {
  ConfigError,
  formatDuration
} from "./chunk-NKUH3JOU.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/analyze.ts
import { writeFile } from "node:fs/promises";
async function execute(context) {
  const { settings, env, platform, clock, signal, publish } = context;
  if (!settings.config) throw new ConfigError("--config", "is required: the path of the config file");
  const config = withOverrides(await loadConfigFile(settings.config, env), settings);
  configSecrets(config).forEach((secret) => platform.addSecret(secret));
  const { analysis } = config;
  const driver = createAnalysisDriver(config, platform, clock);
  platform.info(
    `Analysing with ${analysis.provider.type} at ${new URL(analysis.provider.url).origin}: ${analysis.metrics.length} metric(s), interval ${formatDuration(analysis.intervalMs)}, max ${formatDuration(analysis.maxDurationMs)}, alpha ${analysis.alpha}`
  );
  platform.info(`canary selector: ${driver.tracks.canary.selector}`);
  platform.info(`baseline selector: ${driver.tracks.baseline.selector}`);
  const run = await platform.group("Analysis", () => driver.run({ signal }));
  const report = buildReport(run, analysis.onInconclusive);
  publish(report);
  const say = report.verdict === "fail" ? platform.error : report.exitCode === 0 ? platform.info : platform.warning;
  say(`verdict: ${report.verdict} (${report.outcome}) \u2014 ${report.reason}`);
  if (settings.report) {
    await writeFile(settings.report, `${JSON.stringify(report, null, 2)}
`);
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
