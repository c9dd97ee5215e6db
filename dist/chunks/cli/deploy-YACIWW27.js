import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-VVZ442TK.js";
import "./chunk-I5JKW7JC.js";
import "./chunk-POJ4RZCJ.js";
import "./chunk-Z4JORDZS.js";
import "./chunk-TIOCGLBO.js";
import "./chunk-7DANWVT2.js";
import "./chunk-JXDVBLMQ.js";
import "./chunk-R5V6OLTR.js";
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
