import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  promoteLive
} from "./chunk-4255PDOG.js";
import "./chunk-ANJNSWBE.js";
import "./chunk-53FGFM4I.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-TKVXP2GW.js";
import "./chunk-CCP7YEU7.js";
import "./chunk-E6GYNBGC.js";
import "./chunk-GDRGBFJS.js";
import "./chunk-E75S7X5A.js";

// src/cli/promote.ts
async function execute(context) {
  const image = await promoteLive(await manageTarget(context));
  context.platform.setOutput("outcome", "promoted");
  context.platform.setOutput("image", image);
  return 0;
}
export {
  execute
};
