import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  promoteLive
} from "./chunk-SSUIJ72F.js";
import "./chunk-TGCERFCC.js";
import "./chunk-36M6STH4.js";
import "./chunk-KAZJ6X2F.js";
import "./chunk-32VIYDKM.js";
import "./chunk-XMLM5S4J.js";
import "./chunk-QFWYWELG.js";
import "./chunk-K2APE3TQ.js";
import "./chunk-XNWF4ENP.js";

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
