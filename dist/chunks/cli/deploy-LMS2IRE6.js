import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-DRK57HX5.js";
import "./chunk-364ITABV.js";
import "./chunk-4HBZIOEW.js";
import "./chunk-I7BUFXQZ.js";
import "./chunk-EYJBJP6H.js";
import "./chunk-CMMT4WPD.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-DYK66RUA.js";
import "./chunk-LBRA2IQV.js";
import "./chunk-6EHFUPLB.js";
import "./chunk-I225TCRF.js";
import "./chunk-E75S7X5A.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
