import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  liveStatus,
  manageTarget
} from "./chunk-Q5RB3BNH.js";
import "./chunk-YFPG64YH.js";
import "./chunk-AEVBEP6B.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-EHAKX4XV.js";
import "./chunk-LBRA2IQV.js";
import {
  parseFlags
} from "./chunk-6EHFUPLB.js";
import {
  TARGET_OPTIONS
} from "./chunk-I225TCRF.js";
import "./chunk-E75S7X5A.js";

// src/cli/status.ts
async function execute(context) {
  const { values } = parseFlags(context.argv, TARGET_OPTIONS);
  const { cluster, workload } = await manageTarget(context, values);
  const { state, lines } = await liveStatus(cluster, workload);
  lines.forEach((line) => context.platform.info(line));
  context.platform.setOutput("phase", state?.phase ?? "none");
  return 0;
}
export {
  execute
};
