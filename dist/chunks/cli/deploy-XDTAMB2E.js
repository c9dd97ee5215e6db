import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-NJL2MIQ3.js";
import "./chunk-LSZNEOKR.js";
import "./chunk-4HBZIOEW.js";
import "./chunk-I7BUFXQZ.js";
import "./chunk-FDWEBISX.js";
import "./chunk-2DN5WIZU.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-EHAKX4XV.js";
import "./chunk-LBRA2IQV.js";
import "./chunk-6EHFUPLB.js";
import "./chunk-I225TCRF.js";
import "./chunk-E75S7X5A.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
