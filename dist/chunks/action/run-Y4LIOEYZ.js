import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  execute,
  loadReleaseConfig,
  startRelease
} from "./chunk-2PVSNWDP.js";
import "./chunk-D7G3JP3Y.js";
import "./chunk-GCELOVMW.js";
import "./chunk-GY34PAH4.js";
import "./chunk-EWYJJNDG.js";
import "./chunk-5S7DEC7X.js";
import "./chunk-2TOP4FST.js";
import "./chunk-AI333S6K.js";
import "./chunk-JJK2X6HR.js";
import "./chunk-XUJ662LO.js";
import "./chunk-CCEMYYKX.js";
import "./chunk-TIITUB7H.js";
import "./chunk-CHZ5T6FE.js";
export {
  execute,
  loadReleaseConfig,
  startRelease
};
