import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-C7HFQSXS.js";
import "./chunk-LGH63YCO.js";
import "./chunk-FJFVGHF7.js";
import "./chunk-NBIO3P5L.js";
import "./chunk-VANKI6YB.js";
import "./chunk-F74MRJL6.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-KICDSTC7.js";
import "./chunk-CCP7YEU7.js";
import "./chunk-E6GYNBGC.js";
import "./chunk-GDRGBFJS.js";
import "./chunk-E75S7X5A.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
