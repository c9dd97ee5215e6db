import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-23LVIGUO.js";
import "./chunk-GWFNLNYR.js";
import "./chunk-M4SGP7WW.js";
import "./chunk-C7QJNIJO.js";
import "./chunk-H6AYW76T.js";
import "./chunk-CZMUE7VN.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-DYK66RUA.js";
import "./chunk-LBRA2IQV.js";
import "./chunk-6EHFUPLB.js";
import "./chunk-3KCCGTWF.js";
import "./chunk-E75S7X5A.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
