import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);

// src/report/json.ts
var REPORT_SCHEMA_VERSION = 1;
var finite = (value) => value === void 0 || !Number.isFinite(value) ? null : value;
function outcomeOf(verdict, policy) {
  if (verdict === "pass") return { outcome: "passed", exitCode: 0 };
  if (verdict === "fail") return { outcome: "failed", exitCode: 1 };
  if (policy === "pass") return { outcome: "passed", exitCode: 0 };
  if (policy === "hold") return { outcome: "held", exitCode: 0 };
  return { outcome: "inconclusive", exitCode: 3 };
}
function buildReport(run, policy) {
  const verdict = run.decision.verdict === "continue" ? "inconclusive" : run.decision.verdict;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict,
    reason: run.decision.reason,
    ...outcomeOf(verdict, policy),
    startedAt: run.startedAt.toISOString(),
    decidedAt: run.decidedAt.toISOString(),
    polls: run.polls.length,
    metrics: run.decision.metrics.map((m) => ({
      name: m.name,
      type: m.kind,
      blocking: m.blocking,
      verdict: m.verdict,
      reason: m.reason,
      canary: m.canary,
      baseline: m.baseline,
      estimate: finite(m.estimate),
      bounds: m.bounds ? [finite(m.bounds[0]), finite(m.bounds[1])] : null,
      evidence: m.evidence,
      threshold: m.threshold,
      minimumDetectableEffect: finite(m.minimumDetectableEffect),
      ...m.testedBounds ? { testedBounds: m.testedBounds } : {},
      ...m.failures === void 0 ? {} : { failures: m.failures },
      ...m.effectiveTolerance === void 0 ? {} : { effectiveTolerance: m.effectiveTolerance },
      ...m.podSpread ? { podSpread: m.podSpread } : {},
      ...m.dispersion === void 0 ? {} : { dispersion: m.dispersion },
      queries: run.queries[m.name] ?? {},
      samples: m.samples,
      noDataPolls: m.noDataPolls,
      trajectory: m.trajectory
    })),
    guards: run.decision.guards,
    alpha: run.decision.alpha
  };
}

export {
  REPORT_SCHEMA_VERSION,
  outcomeOf,
  buildReport
};
