import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
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

// src/cli/rollback.ts
async function execute(context) {
  const { values } = parseFlags(context.argv, TARGET_OPTIONS);
  const result = await rollbackLive(await manageTarget(context, values));
  context.platform.setOutput("outcome", result);
  return 0;
}
export {
  execute
};
