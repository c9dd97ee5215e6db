import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  execute,
  loadReleaseConfig,
  startRelease
} from "./chunk-AN2OC2Q7.js";
import "./chunk-Z3A647YD.js";
import "./chunk-XR4OTXVY.js";
import "./chunk-INWIV2ZY.js";
import "./chunk-XWXLI4FN.js";
import "./chunk-7R7F24LQ.js";
import "./chunk-WPOUD54Y.js";
import "./chunk-V7JSVTZ6.js";
import "./chunk-OEHGIPXO.js";
import "./chunk-FP2FTZDO.js";
import "./chunk-XNNIZ74B.js";
import "./chunk-REKH45OT.js";
import "./chunk-MIW2LUBL.js";
import "./chunk-NQDN36EP.js";
import "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";
export {
  execute,
  loadReleaseConfig,
  startRelease
};
