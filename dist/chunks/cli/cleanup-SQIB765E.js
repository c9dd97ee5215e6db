import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
} from "./chunk-KWDABLW2.js";
import "./chunk-VANKI6YB.js";
import "./chunk-F74MRJL6.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-KICDSTC7.js";
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
