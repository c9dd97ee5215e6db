import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  execute,
  loadReleaseConfig,
  startRelease
} from "./chunk-TLN4HGDD.js";
import "./chunk-L5GZAA7I.js";
import "./chunk-I3SF6A4J.js";
import "./chunk-GMCBCUMK.js";
import "./chunk-SXFHXHZW.js";
import "./chunk-ICFQXJS7.js";
import "./chunk-ZGSHLCES.js";
import "./chunk-GMD6YTNY.js";
import "./chunk-RYWXF2ED.js";
import "./chunk-2LXHYMMV.js";
import "./chunk-HRWRJILM.js";
import "./chunk-NKUH3JOU.js";
import "./chunk-CHZ5T6FE.js";
export {
  execute,
  loadReleaseConfig,
  startRelease
};
