import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  runAnalyzeCommand
} from "./chunk-364ITABV.js";
import "./chunk-I7BUFXQZ.js";
import {
  loadConfigFile
} from "./chunk-CMMT4WPD.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-DYK66RUA.js";
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
