import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  liveStatus,
  manageTarget
} from "./chunk-KOQTCZNH.js";
import {
  leaseExpiresAt,
  lockName,
  renewDeadlineMs
} from "./chunk-P3A5YK2E.js";
import "./chunk-T3G5B2HR.js";
import "./chunk-KT432G5G.js";
import "./chunk-BZVD2643.js";
import "./chunk-XNNIZ74B.js";
import "./chunk-REKH45OT.js";
import "./chunk-23HQPC6F.js";
import "./chunk-NQDN36EP.js";
import "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";

// src/pipeline/lease-status.ts
import os from "node:os";
var ACTING = /* @__PURE__ */ new Set(["deploying", "analysing", "promoting", "rolling-back"]);
var seconds = (ms) => `${Math.max(0, Math.round(ms / 1e3))}s`;
function processAlive(holder) {
  const [host, pid] = holder.split("/").slice(-2);
  if (host !== os.hostname() || !/^\d+$/.test(pid ?? "")) return void 0;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function leaseStatus(cluster, workload, state, now) {
  const name = lockName(workload);
  const lease = await cluster.get({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", name });
  const spec = lease?.spec ?? {};
  const holder = spec.holderIdentity ?? "";
  const acting = state !== void 0 && ACTING.has(state.phase);
  const run = state ? `run ${state.runId} (phase ${state.phase})` : "the run holding it";
  const finish = `"canary-action rollback --workload deployment/${workload}" or the next run removes what it left`;
  if (!holder) {
    const line = `lock ${name}: not held`;
    return acting ? { runGone: true, line: `${line}: ${run} is gone (it stopped mid-release); ${finish}` } : { runGone: false, line };
  }
  const expiresAt = leaseExpiresAt(spec);
  const renewedAt = Date.parse(spec.renewTime ?? spec.acquireTime ?? "");
  const held = `lock ${name}: held by "${holder}"`;
  if (expiresAt <= now)
    return {
      runGone: true,
      line: `${held}, expired ${seconds(now - expiresAt)} ago: ${run} is gone (lease not renewed since ${spec.renewTime ?? "?"}); ${finish}`
    };
  const expires = `its lease expires in ${seconds(expiresAt - now)}`;
  if (processAlive(holder) === false)
    return {
      runGone: true,
      line: `${held}: ${run} is gone (its process is no longer running on this host); ${expires}, then ${finish}`
    };
  const deadline = renewDeadlineMs(spec.leaseDurationSeconds ?? 0);
  if (Number.isFinite(renewedAt) && now - renewedAt > deadline)
    return {
      runGone: true,
      line: `${held}, not renewed for ${seconds(now - renewedAt)}: ${run} has stopped acting (gone or cut off from the API); ${expires}`
    };
  return { runGone: false, line: `${held}, renewed ${seconds(now - renewedAt)} ago (${expires})` };
}

// src/cli/status.ts
async function execute(context) {
  const { cluster, workload } = await manageTarget(context);
  const { state, lines } = await liveStatus(cluster, workload);
  lines.forEach((line) => context.platform.info(line));
  const lease = await leaseStatus(cluster, workload, state, context.clock.now());
  context.platform.info(lease.line);
  context.platform.setOutput("phase", state?.phase ?? "none");
  return 0;
}
export {
  execute
};
