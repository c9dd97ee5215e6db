import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  buildReport,
  configSecrets,
  createAnalysisDriver
} from "./chunk-2PTTQBAT.js";
import "./chunk-I7BUFXQZ.js";
import {
  loadConfigFile
} from "./chunk-AEVBEP6B.js";
import "./chunk-HEDPGTFN.js";
import {
  formatDuration
} from "./chunk-EHAKX4XV.js";
import {
  parseFlags
} from "./chunk-6EHFUPLB.js";
import {
  ANALYZE_OPTIONS
} from "./chunk-I225TCRF.js";
import {
  ConfigError
} from "./chunk-E75S7X5A.js";

// src/cli/analyze.ts
import { writeFile } from "node:fs/promises";
async function execute({
  argv,
  env,
  platform,
  clock,
  signal,
  publish
}) {
  const { values, positionals } = parseFlags(argv, ANALYZE_OPTIONS);
  if (positionals.length > 0)
    throw new ConfigError("arguments", `unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.config) throw new ConfigError("--config", "is required: the path of the config file");
  const config = withOverrides(await loadConfigFile(values.config, env), values);
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
  if (values.report) {
    await writeFile(values.report, `${JSON.stringify(report, null, 2)}
`);
    platform.info(`report written to ${values.report}`);
  }
  platform.setOutput("verdict", report.verdict);
  platform.setOutput("decided-at", report.decidedAt);
  if (values.report) platform.setOutput("report", values.report);
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
