import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);

// src/report/view.ts
function notificationRows(report) {
  return (report.notifications ?? []).map((n) => [
    n.target,
    n.event,
    n.ok && !n.warning ? "\u2705 sent" : `\u26A0\uFE0F ${n.warning ?? "not delivered"}`
  ]);
}
var significant = (value) => String(Number(value.toPrecision(3)));
function formatNumber(value) {
  if (value === null) return "\u221E";
  if (value === void 0 || Number.isNaN(value)) return "\u2013";
  if (!Number.isFinite(value)) return value > 0 ? "\u221E" : "\u2212\u221E";
  return significant(value);
}
function formatCount(value) {
  if (!Number.isFinite(value)) return formatNumber(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 10 ? String(Math.round(value)) : String(Number(value.toPrecision(2)));
}
var formatPercent = (rate) => rate === void 0 || !Number.isFinite(rate) ? "\u2013" : `${significant(rate * 100)}%`;
var VERDICT_ICONS = {
  pass: "\u2705",
  passed: "\u2705",
  promoted: "\u2705",
  fail: "\u274C",
  failed: "\u274C",
  "rolled-back": "\u21A9\uFE0F",
  inconclusive: "\u26A0\uFE0F",
  held: "\u23F8\uFE0F",
  deployed: "\u{1F680}",
  planned: "\u{1F4DD}",
  running: "\u23F3",
  nodata: "\u2205"
};
var verdictIcon = (verdict) => verdict && VERDICT_ICONS[verdict] || "\u2022";
function headline(report) {
  const outcome = report.outcome ?? report.verdict ?? "unknown";
  const verdict = report.verdict && report.verdict !== outcome ? ` (verdict ${report.verdict})` : "";
  return `${outcome}${verdict}`;
}
function trackValue(metric, track) {
  const summary = metric[track];
  if (metric.type === "ratio" || metric.type === "latency") {
    if (summary.rate === void 0 && summary.total === void 0) return "\u2013";
    const counts = summary.total === void 0 ? "" : ` (${formatCount(summary.bad ?? 0)}/${formatCount(summary.total)})`;
    return `${formatPercent(summary.rate)}${counts}`;
  }
  if (metric.type === "threshold" && track === "baseline") return "\u2013";
  return formatNumber(summary.value);
}
function bothTracksHadData(metric) {
  if (metric.type === "gauge")
    return metric.canary.value !== void 0 && metric.baseline.value !== void 0;
  return metric.canary.rate !== void 0 && metric.baseline.rate !== void 0;
}
function ratioValue(metric) {
  if (metric.type === "threshold") return "\u2013";
  if (metric.estimate === null && (metric.samples === 0 || !bothTracksHadData(metric))) return "n/a";
  const estimate = formatNumber(metric.estimate);
  const bounds = metric.bounds ? ` [${formatNumber(metric.bounds[0])}, ${formatNumber(metric.bounds[1])}]` : "";
  return `\xD7${estimate}${bounds}`;
}
function evidenceValue(metric) {
  if (metric.type === "threshold")
    return `${metric.failures ?? 0} failed / limit ${formatNumber(metric.threshold)}`;
  return `${formatNumber(metric.evidence)} / ${formatNumber(metric.threshold)}`;
}
var METRIC_COLUMNS = [
  { key: "name", title: "Metric" },
  { key: "kind", title: "Kind" },
  { key: "canary", title: "Canary" },
  { key: "baseline", title: "Baseline" },
  { key: "ratio", title: "Ratio [bounds]" },
  { key: "evidence", title: "Evidence / threshold" },
  { key: "verdict", title: "Verdict" },
  { key: "reason", title: "Reason" }
];
function metricRow(metric) {
  return {
    name: metric.name,
    kind: `${metric.type}${metric.blocking ? "" : " (advisory)"}`,
    canary: trackValue(metric, "canary"),
    baseline: trackValue(metric, "baseline"),
    ratio: ratioValue(metric),
    evidence: evidenceValue(metric),
    verdict: `${verdictIcon(metric.verdict)} ${metric.verdict}`,
    reason: metric.reason
  };
}
function releaseFacts(report) {
  const facts = [
    ["Canary", report.canary],
    ["Image", report.image],
    ["Digest", report.digest ?? void 0],
    ["Revision", report.revision],
    ["Phase", report.phase],
    ["Run id", report.runId],
    ["Polls", report.polls === void 0 ? void 0 : String(report.polls)],
    ["Started", report.startedAt],
    ["Decided", report.decidedAt],
    ["Exit code", report.exitCode === void 0 ? void 0 : String(report.exitCode)]
  ];
  return facts.filter((fact) => fact[1] !== void 0 && fact[1] !== "");
}
function safeUrl(url) {
  if (!url) return void 0;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : void 0;
  } catch {
    return void 0;
  }
}

export {
  notificationRows,
  formatNumber,
  formatCount,
  formatPercent,
  verdictIcon,
  headline,
  METRIC_COLUMNS,
  metricRow,
  releaseFacts,
  safeUrl
};
