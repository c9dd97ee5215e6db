import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  liveStatus,
  manageTarget
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

// src/cli/status.ts
async function execute(context) {
  const { cluster, workload } = await manageTarget(context);
  const { state, lines } = await liveStatus(cluster, workload);
  lines.forEach((line) => context.platform.info(line));
  context.platform.setOutput("phase", state?.phase ?? "none");
  return 0;
}
export {
  execute
};
