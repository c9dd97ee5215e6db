import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  promoteLive
} from "./chunk-U2B2N2YU.js";
import "./chunk-EWYJJNDG.js";
import "./chunk-5S7DEC7X.js";
import "./chunk-2TOP4FST.js";
import "./chunk-AI333S6K.js";
import "./chunk-JJK2X6HR.js";
import {
  parseFlags
} from "./chunk-XUJ662LO.js";
import "./chunk-CCEMYYKX.js";
import {
  TARGET_OPTIONS
} from "./chunk-TIITUB7H.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/promote.ts
async function execute(context) {
  const { values } = parseFlags(context.argv, TARGET_OPTIONS);
  const options = await manageTarget(context, values);
  const image = await promoteLive(options);
  context.platform.setOutput("outcome", "promoted");
  context.platform.setOutput("image", image);
  return 0;
}
export {
  execute
};
