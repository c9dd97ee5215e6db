import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  manageTarget,
  rollbackLive
} from "./chunk-KOQTCZNH.js";
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

// src/cli/rollback.ts
async function execute(context) {
  const result = await rollbackLive(await manageTarget(context));
  context.platform.setOutput("outcome", result);
  return 0;
}
export {
  execute
};
