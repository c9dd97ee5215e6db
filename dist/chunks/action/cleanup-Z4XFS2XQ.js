import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
} from "./chunk-NMEWHPS2.js";
import "./chunk-SXFHXHZW.js";
import "./chunk-CNLDVEF4.js";
import "./chunk-IE5TYDEK.js";
import "./chunk-GMD6YTNY.js";
import "./chunk-RYWXF2ED.js";
import "./chunk-2LXHYMMV.js";
import "./chunk-FVRT7ML4.js";
import "./chunk-NKUH3JOU.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/cleanup.ts
async function execute(context) {
  const { runId, all } = context.settings;
  const options = await manageTarget(context);
  const result = await rollbackLive({
    ...options,
    ...runId ? { onlyRun: runId } : {},
    keepHeld: !all
  });
  context.platform.setOutput("outcome", result);
  return 0;
}
export {
  execute
};
