import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  promoteLive
} from "./chunk-KWDABLW2.js";
import "./chunk-VANKI6YB.js";
import "./chunk-F74MRJL6.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-KICDSTC7.js";
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
