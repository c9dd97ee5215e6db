import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
} from "./chunk-4255PDOG.js";
import "./chunk-ANJNSWBE.js";
import "./chunk-53FGFM4I.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-TKVXP2GW.js";
import "./chunk-CCP7YEU7.js";
import "./chunk-E6GYNBGC.js";
import "./chunk-GDRGBFJS.js";
import "./chunk-E75S7X5A.js";

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
