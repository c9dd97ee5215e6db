import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-GHCOAGSF.js";
import "./chunk-ZVX3JFTD.js";
import "./chunk-XR4OTXVY.js";
import "./chunk-INWIV2ZY.js";
import "./chunk-ZJMD6HRB.js";
import "./chunk-7R7F24LQ.js";
import "./chunk-P3A5YK2E.js";
import "./chunk-T3G5B2HR.js";
import "./chunk-KT432G5G.js";
import "./chunk-BZVD2643.js";
import "./chunk-XNNIZ74B.js";
import "./chunk-REKH45OT.js";
import "./chunk-23HQPC6F.js";
import "./chunk-NQDN36EP.js";
import "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
