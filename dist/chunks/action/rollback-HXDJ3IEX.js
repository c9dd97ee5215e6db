import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
} from "./chunk-7O6CII24.js";
import "./chunk-WPOUD54Y.js";
import "./chunk-V7JSVTZ6.js";
import "./chunk-OEHGIPXO.js";
import "./chunk-FP2FTZDO.js";
import "./chunk-XNNIZ74B.js";
import "./chunk-REKH45OT.js";
import "./chunk-MIW2LUBL.js";
import "./chunk-NQDN36EP.js";
import "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/rollback.ts
async function execute(context) {
  const result = await rollbackLive(await manageTarget(context));
  context.platform.setOutput("outcome", result);
  return 0;
}
export {
  execute
};
