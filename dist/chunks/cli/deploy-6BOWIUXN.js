import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-EU2HGATB.js";
import "./chunk-LRPNFKTL.js";
import "./chunk-POJ4RZCJ.js";
import "./chunk-Z4JORDZS.js";
import "./chunk-447IDTTB.js";
import "./chunk-7DANWVT2.js";
import "./chunk-XMQ7FGIL.js";
import "./chunk-VQTS5DIS.js";
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
