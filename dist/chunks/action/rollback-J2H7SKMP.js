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

// src/cli/rollback.ts
async function execute(context) {
  const result = await rollbackLive(await manageTarget(context));
  context.platform.setOutput("outcome", result);
  return 0;
}
export {
  execute
};
