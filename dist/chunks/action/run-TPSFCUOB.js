import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  execute,
  loadReleaseConfig,
  startRelease
} from "./chunk-PVOHFT4U.js";
import "./chunk-4RY3IPQM.js";
import "./chunk-2NS5PUTQ.js";
import "./chunk-GMCBCUMK.js";
import "./chunk-SXFHXHZW.js";
import "./chunk-CNLDVEF4.js";
import "./chunk-IE5TYDEK.js";
import "./chunk-GMD6YTNY.js";
import "./chunk-RYWXF2ED.js";
import "./chunk-2LXHYMMV.js";
import "./chunk-FVRT7ML4.js";
import "./chunk-NKUH3JOU.js";
import "./chunk-CHZ5T6FE.js";
export {
  execute,
  loadReleaseConfig,
  startRelease
};
