import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  startRelease
} from "./chunk-IPGKJ3JE.js";
import "./chunk-3MD5NO5N.js";
import "./chunk-Y45OXKJY.js";
import "./chunk-KDJWIV2D.js";
import "./chunk-UDIADZLT.js";
import "./chunk-CFAB7R4D.js";
import "./chunk-D3JXSWZ2.js";
import "./chunk-KEBDB26R.js";
import "./chunk-TCGMQ7EP.js";
import "./chunk-XHFENLCA.js";
import "./chunk-AGIF4WNE.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/deploy.ts
var execute = (context) => startRelease(context, true);
export {
  execute
};
