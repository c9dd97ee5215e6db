import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  liveStatus,
  manageTarget
} from "./chunk-4255PDOG.js";
import "./chunk-ANJNSWBE.js";
import "./chunk-53FGFM4I.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-TKVXP2GW.js";
import "./chunk-CCP7YEU7.js";
import "./chunk-E6GYNBGC.js";
import "./chunk-GDRGBFJS.js";
import "./chunk-E75S7X5A.js";

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
