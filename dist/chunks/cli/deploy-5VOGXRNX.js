import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-HFKG2LBG.js";
import "./chunk-UI5OMXH7.js";
import "./chunk-POJ4RZCJ.js";
import "./chunk-Z4JORDZS.js";
import "./chunk-447IDTTB.js";
import "./chunk-7DANWVT2.js";
import "./chunk-TGCERFCC.js";
import "./chunk-36M6STH4.js";
import "./chunk-KAZJ6X2F.js";
import "./chunk-32VIYDKM.js";
import "./chunk-XMLM5S4J.js";
import "./chunk-QFWYWELG.js";
import "./chunk-K2APE3TQ.js";
import "./chunk-XNWF4ENP.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
