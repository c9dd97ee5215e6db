import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
} from "./chunk-JBQT74VC.js";
import "./chunk-UDIADZLT.js";
import "./chunk-CFAB7R4D.js";
import "./chunk-D3JXSWZ2.js";
import "./chunk-KEBDB26R.js";
import {
  parseFlags
} from "./chunk-TCGMQ7EP.js";
import "./chunk-XHFENLCA.js";
import {
  TARGET_OPTIONS
} from "./chunk-AGIF4WNE.js";
import "./chunk-CHZ5T6FE.js";

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
