import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  execute,
  loadReleaseConfig,
  startRelease
} from "./chunk-6XRJEM5W.js";
import "./chunk-QF2JKOHV.js";
import "./chunk-FJFVGHF7.js";
import "./chunk-NBIO3P5L.js";
import "./chunk-ANJNSWBE.js";
import "./chunk-53FGFM4I.js";
import "./chunk-HEDPGTFN.js";
import "./chunk-TKVXP2GW.js";
import "./chunk-CCP7YEU7.js";
import "./chunk-E6GYNBGC.js";
import "./chunk-GDRGBFJS.js";
import "./chunk-E75S7X5A.js";
export {
  execute,
  loadReleaseConfig,
  startRelease
};
