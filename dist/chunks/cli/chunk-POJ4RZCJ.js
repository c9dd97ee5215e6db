import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  REPORT_SCHEMA_VERSION,
  buildReport
} from "./chunk-Z4JORDZS.js";
import {
  writeJsonArtifact
} from "./chunk-7DANWVT2.js";

// src/util/shutdown.ts
var leftover;
function setLeftover(what) {
  leftover = what;
}
function currentLeftover() {
  return leftover;
}

// src/pipeline/release-report.ts
function releaseReport(options) {
  const analysis = options.lastAnalysis ? buildReport(options.lastAnalysis, options.policy) : void 0;
  const { outcome: analysisOutcome, exitCode: _analysisExit, reason: _reason, ...rest } = analysis ?? {};
  return {
    ...rest,
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...options.base,
    phase: options.phase,
    outcome: options.outcome,
    ...analysisOutcome ? { analysisOutcome } : {},
    exitCode: options.exitCode,
    reason: options.reason,
    ...options.left ? { left: options.left } : {},
    steps: options.steps
  };
}
function failedBeforeStart(exitCode, reason) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    phase: "deploying",
    outcome: "failed",
    exitCode,
    reason,
    steps: []
  };
}
async function writeReleaseReport(platform, file, report) {
  await writeJsonArtifact(platform, file, report);
}

export {
  setLeftover,
  currentLeftover,
  releaseReport,
  failedBeforeStart,
  writeReleaseReport
};
