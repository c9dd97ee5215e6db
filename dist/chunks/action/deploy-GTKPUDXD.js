import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-G5OGBCGN.js";
import "./chunk-X4EAPGLQ.js";
import "./chunk-GCELOVMW.js";
import "./chunk-GY34PAH4.js";
import "./chunk-EWYJJNDG.js";
import "./chunk-4DCU73H3.js";
import "./chunk-AUPU76LM.js";
import "./chunk-JJK2X6HR.js";
import "./chunk-XUJ662LO.js";
import "./chunk-CCEMYYKX.js";
import "./chunk-TIITUB7H.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
