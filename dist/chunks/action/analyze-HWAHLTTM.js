import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  runAnalyzeCommand
} from "./chunk-NAT6KU4O.js";
import "./chunk-GY34PAH4.js";
import {
  loadConfigFile
} from "./chunk-LT6UQWLU.js";
import "./chunk-JJK2X6HR.js";
import {
  parseFlags
} from "./chunk-XUJ662LO.js";
import {
  ANALYZE_OPTIONS,
  ConfigError
} from "./chunk-TIITUB7H.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/analyze.ts
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
  const { exitCode, report } = await runAnalyzeCommand({
    config,
    platform,
    clock,
    ...values.report ? { reportFile: values.report } : {},
    signal
  });
  publish(report);
  return exitCode;
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
