import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-JCAYMQOX.js";
import "./chunk-VQLUCPWK.js";
import "./chunk-POJ4RZCJ.js";
import "./chunk-Z4JORDZS.js";
import "./chunk-TIOCGLBO.js";
import "./chunk-7DANWVT2.js";
import "./chunk-X63HJCJC.js";
import "./chunk-KVS3C7JL.js";
import "./chunk-KAZJ6X2F.js";
import "./chunk-32VIYDKM.js";
import "./chunk-5JXSW2AE.js";
import "./chunk-QFWYWELG.js";
import "./chunk-K2APE3TQ.js";
import "./chunk-XNWF4ENP.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
