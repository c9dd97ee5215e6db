import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  execute,
  loadReleaseConfig,
  startRelease
} from "./chunk-2TC5P3OU.js";
import "./chunk-MUZMJROL.js";
import "./chunk-XR4OTXVY.js";
import "./chunk-INWIV2ZY.js";
import "./chunk-ZJMD6HRB.js";
import "./chunk-7R7F24LQ.js";
import "./chunk-PW32WSVX.js";
import "./chunk-DQLAC2NM.js";
import "./chunk-JHJMB6CR.js";
import "./chunk-5U54OCJT.js";
import "./chunk-XNNIZ74B.js";
import "./chunk-REKH45OT.js";
import "./chunk-23HQPC6F.js";
import "./chunk-NQDN36EP.js";
import "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";
export {
  execute,
  loadReleaseConfig,
  startRelease
};
