import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  promoteLive
} from "./chunk-34T6MWNQ.js";
import "./chunk-PW32WSVX.js";
import "./chunk-DQLAC2NM.js";
import "./chunk-JHJMB6CR.js";
import "./chunk-5U54OCJT.js";
import "./chunk-XNNIZ74B.js";
import "./chunk-REKH45OT.js";
import "./chunk-23HQPC6F.js";
import "./chunk-NQDN36EP.js";
import "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";

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
