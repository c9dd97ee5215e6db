#!/usr/bin/env node
import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  ANALYZE_OPTIONS,
  ANALYZE_USAGE,
  BUILD_OPTIONS,
  BUILD_USAGE,
  CLEANUP_OPTIONS,
  CLEANUP_USAGE,
  MANAGE_OPTIONS,
  MANAGE_USAGE,
  RELEASE_OPTIONS,
  RELEASE_USAGE,
  TARGET_OPTIONS,
  TARGET_USAGE,
  flagValuesFromArgv,
  settingsFromArgv,
  settingsFromFlags
} from "./chunks/cli/chunk-OHU4OIGS.js";
import {
  currentLeftover,
  failedBeforeStart,
  writeReleaseReport
} from "./chunks/cli/chunk-POJ4RZCJ.js";
import "./chunks/cli/chunk-Z4JORDZS.js";
import {
  writeArtifact
} from "./chunks/cli/chunk-7DANWVT2.js";
import {
  METRIC_COLUMNS,
  headline,
  metricRow,
  notificationRows,
  releaseFacts,
  safeUrl,
  verdictIcon
} from "./chunks/cli/chunk-KAZJ6X2F.js";
import {
  Redactor,
  defuseCommands,
  formatDuration,
  redactStrings,
  systemClock
} from "./chunks/cli/chunk-QFWYWELG.js";
import {
  CanaryError,
  ConfigError,
  ExitCode,
  exitCodeOf
} from "./chunks/cli/chunk-XNWF4ENP.js";

// src/entrypoints/cli.ts
import { dirname } from "node:path";

// src/cli/commands.ts
var loaded = (load) => async (context) => (await load()).execute(context);
var COMMANDS = [
  {
    name: "build",
    summary: "Build, tag and push the image; print its digest (skips a revision already pushed).",
    options: BUILD_OPTIONS,
    usage: BUILD_USAGE,
    run: loaded(() => import("./chunks/cli/build-CCTQ7JLD.js"))
  },
  {
    name: "run",
    summary: "Deploy a canary and a baseline, judge them step by step, then promote or roll back.",
    options: RELEASE_OPTIONS,
    usage: `${RELEASE_USAGE}
  --hold                Leave a passing canary live (phase held) for a manual promote.`,
    run: loaded(() => import("./chunks/cli/run-FWVKKL5A.js"))
  },
  {
    name: "deploy",
    summary: "Start a canary and a baseline at the first traffic step and leave them live (phase deployed).",
    options: RELEASE_OPTIONS,
    usage: `  Same options as run (--hold does not apply): the canary is left for analyze, promote or rollback.`,
    run: loaded(() => import("./chunks/cli/deploy-5VOGXRNX.js"))
  },
  {
    name: "promote",
    summary: "Promote the live canary (held or deployed): the stable gets its images, canary and baseline go.",
    options: MANAGE_OPTIONS,
    usage: MANAGE_USAGE,
    run: loaded(() => import("./chunks/cli/promote-RXPP2J6R.js"))
  },
  {
    name: "rollback",
    summary: "Remove the live canary, baseline and clones; the stable is left exactly as it is.",
    options: MANAGE_OPTIONS,
    usage: MANAGE_USAGE,
    run: loaded(() => import("./chunks/cli/rollback-TFXCQJWQ.js"))
  },
  {
    name: "status",
    summary: "Show the live canary of a workload: phase, revision, image, readiness, run.",
    options: TARGET_OPTIONS,
    usage: TARGET_USAGE,
    run: loaded(() => import("./chunks/cli/status-INEO7BIE.js"))
  },
  {
    name: "cleanup",
    summary: "After a cancelled job: remove a canary left mid-run (held or deployed canaries are kept unless --all).",
    options: CLEANUP_OPTIONS,
    usage: CLEANUP_USAGE,
    run: loaded(() => import("./chunks/cli/cleanup-6FIFN2KN.js"))
  },
  {
    name: "analyze",
    summary: "Judge a running canary against its baseline with live metrics.",
    options: ANALYZE_OPTIONS,
    usage: ANALYZE_USAGE,
    run: loaded(() => import("./chunks/cli/analyze-SSIV4XMG.js"))
  }
];

// src/version.ts
var PACKAGE = true ? { name: "@canary-action/cli", version: "0.1.0" } : fromPackageJson();
var PACKAGE_SPECIFIER = `${PACKAGE.name}@${PACKAGE.version}`;

// src/config/inputs.ts
var MODES = ["run", "build", "deploy", "analyze", "promote", "rollback", "cleanup"];
var TARGET = ["run", "deploy", "promote", "rollback", "cleanup"];
var WITH_CONFIG = ["run", "deploy", "analyze", "promote", "rollback", "cleanup"];
var RELEASE = ["run", "deploy"];
var BUILD = ["build"];
var BUILDING = ["build", "run", "deploy"];
var prefixed = (flag) => ({ run: flag, deploy: flag });
var INPUTS = [
  {
    name: "mode",
    type: "choice",
    options: MODES,
    default: "run",
    description: "What to do: `run` (deploy a canary, judge it, promote or roll back), `build`, `deploy` (start a canary and leave it), `analyze`, `promote`, `rollback` or `cleanup` (act on the live canary)."
  },
  {
    name: "config",
    type: "string",
    default: "",
    description: "Path of the config file (YAML, `apiVersion: canary-action/v1`). Required by run, deploy and analyze.",
    cli: { flag: "config", commands: WITH_CONFIG }
  },
  {
    name: "kubeconfig",
    type: "string",
    secret: true,
    description: "Kubeconfig: its content (written 0600 to a temporary file, removed afterwards) or a path. Empty: $KUBECONFIG, ~/.kube/config or in-cluster.",
    cli: { flag: "kubeconfig", commands: TARGET }
  },
  {
    name: "kube_context",
    type: "string",
    default: "",
    description: "Kubeconfig context (default: the kubeconfig's current context).",
    cli: { flag: "context", commands: TARGET }
  },
  {
    name: "namespace",
    type: "string",
    default: "",
    description: "Namespace of the workload (default: the config's `namespace`, else the context's).",
    cli: { flag: "namespace", commands: WITH_CONFIG }
  },
  {
    name: "workload",
    type: "string",
    default: "",
    description: "The stable Deployment, `deployment/NAME` (default: the config's `workload`).",
    cli: { flag: "workload", commands: WITH_CONFIG }
  },
  {
    name: "manifests",
    type: "string",
    default: "",
    description: "Files or directories of multi-document YAML with the new Deployment, one per line.",
    cli: { flag: "manifests", commands: RELEASE, perLine: true }
  },
  {
    name: "image",
    type: "string",
    default: "",
    description: "The new image (`registry/name:tag` or `name@sha256:\u2026`), or the repository to build and push to.",
    cli: { flag: "image", commands: ["build", "run", "deploy"] }
  },
  {
    name: "digest",
    type: "string",
    default: "",
    description: "The digest a separate build step pushed, when `image` is a repository.",
    cli: { flag: "digest", commands: RELEASE }
  },
  {
    name: "builder",
    type: "string",
    default: "",
    description: "Image builder: `buildah` (the default of `mode: build`), `docker` or `none` (use `image` as given, resolving its digest). With `mode: run` or `deploy`, setting it builds and pushes `image` first and deploys it by digest.",
    cli: { flag: "builder", commands: BUILDING }
  },
  {
    name: "context",
    type: "string",
    default: "",
    description: "Build context directory (default `.`).",
    cli: { flag: "context", commands: BUILDING, flagFor: prefixed("build-context") }
  },
  {
    name: "file",
    type: "string",
    default: "",
    description: "Containerfile (default: `Containerfile`, else `Dockerfile`, in the context).",
    cli: { flag: "file", commands: BUILDING, flagFor: prefixed("build-file") }
  },
  {
    name: "build_args",
    type: "string",
    default: "",
    description: "Build arguments, `KEY=VALUE`, one per line.",
    cli: { flag: "build-arg", commands: BUILDING, perLine: true }
  },
  {
    name: "target",
    type: "string",
    default: "",
    description: "Stage of a multi-stage Containerfile to build.",
    cli: { flag: "target", commands: BUILDING, flagFor: prefixed("build-target") }
  },
  {
    name: "platform",
    type: "string",
    default: "",
    description: "Target platform of the build, e.g. `linux/amd64`.",
    cli: { flag: "platform", commands: BUILDING, flagFor: prefixed("build-platform") }
  },
  {
    name: "labels",
    type: "string",
    default: "",
    description: "Extra image labels, `KEY=VALUE`, one per line (they win over the OCI labels).",
    cli: { flag: "label", commands: BUILDING, perLine: true }
  },
  {
    name: "tags",
    type: "string",
    default: "",
    description: "Tag templates with `{{sha}}`, `{{short_sha}}`, `{{branch}}`, one per line (default: `{{sha}}` and `{{branch}}-{{short_sha}}`).",
    cli: { flag: "tag", commands: BUILDING, perLine: true }
  },
  {
    name: "push",
    type: "boolean",
    default: true,
    description: "Push the built image to the registry (false: build only).",
    cli: { flag: "push", commands: BUILD, negation: "no-push" }
  },
  {
    name: "insecure_registry",
    type: "boolean",
    default: false,
    description: "Talk plain HTTP to the registry.",
    cli: { flag: "insecure-registry", commands: BUILDING }
  },
  {
    name: "registry_username",
    type: "string",
    default: "",
    description: "Registry login user.",
    cli: { flag: "registry-username", commands: BUILDING }
  },
  {
    name: "registry_password",
    type: "string",
    secret: true,
    description: "Registry password or token.",
    cli: { flag: "registry-password", commands: BUILDING }
  },
  {
    name: "rebuild",
    type: "boolean",
    default: false,
    description: "Build even when the registry already has an image for this revision.",
    cli: { flag: "rebuild", commands: BUILDING }
  },
  {
    name: "branch",
    type: "string",
    default: "",
    description: "The branch, for the `{{branch}}` tag and the `ref.name` label (default: the CI branch, else `git branch --show-current`).",
    cli: { flag: "branch", commands: BUILDING }
  },
  {
    name: "revision",
    type: "string",
    default: "",
    description: "The commit (default: the CI commit, else `git rev-parse HEAD`).",
    cli: { flag: "revision", commands: ["build", "run", "deploy"] }
  },
  {
    name: "report",
    type: "string",
    default: "canary-report.json",
    description: "Path where the JSON report is written (empty: none).",
    cli: { flag: "report", commands: ["build", "run", "deploy", "analyze"] }
  },
  {
    name: "dry_run",
    type: "boolean",
    default: false,
    description: "Print the planned objects and changes; change nothing.",
    cli: { flag: "dry-run", commands: RELEASE }
  },
  {
    name: "hold",
    type: "boolean",
    default: false,
    description: "Leave a passing canary live (phase `held`) for a manual `promote`.",
    cli: { flag: "hold", commands: ["run"] }
  },
  {
    name: "aa",
    type: "boolean",
    default: false,
    description: "A/A run: canary and baseline both run the stable's template and nothing is promoted, to measure false alarms on your cluster.",
    cli: { flag: "aa", commands: ["run"] }
  },
  {
    name: "notify_deadline",
    type: "string",
    default: "",
    description: "How long one notification event may take over all the config's `notify:` targets, e.g. `10s` (default: the config's `notifyDeadline`, 15s). A notification never changes the outcome.",
    cli: { flag: "notify-deadline", commands: ["run", "deploy", "promote", "rollback", "cleanup"] }
  },
  {
    name: "environment",
    type: "string",
    default: "",
    gitlabDefault: "production",
    description: "Deployment environment. GitHub: with `github_token`, a Deployment with statuses is created for it; leave empty when the job sets `environment:` itself. GitLab: the job's `environment:` and `resource_group`."
  },
  {
    name: "environment_url",
    type: "string",
    default: "",
    description: "URL where the environment's users reach the workload (the Service the canary serves behind). GitHub: the Deployment's environment URL; GitLab: the job's `environment:url`."
  },
  {
    name: "github_token",
    type: "string",
    secret: true,
    surfaces: ["github"],
    description: "Token with `deployments: write`, used only to create the GitHub Deployment for `environment` (the workflow's `github.token` will do)."
  },
  {
    name: "status",
    type: "string",
    default: "${{ job.status }}",
    surfaces: ["github"],
    description: "Job status seen by the post step: on `failure` or `cancelled` it rolls back a canary this job left live. Leave the default."
  },
  {
    name: "stage",
    type: "string",
    default: "deploy",
    surfaces: ["gitlab"],
    description: "Stage of the canary job."
  },
  {
    name: "node_image",
    type: "string",
    default: "node:24-bookworm-slim",
    surfaces: ["gitlab"],
    description: "Container image the job runs in (needs Node.js 20 or 24)."
  },
  {
    name: "package",
    type: "string",
    // Exactly this release, from package.json (src/version.ts).
    default: PACKAGE_SPECIFIER,
    surfaces: ["gitlab"],
    description: "The npm package that provides the CLI, for `npx --yes --package <package> canary-action` (default: exactly this release); a private registry's copy, a tarball URL or path work too."
  },
  {
    name: "cli",
    type: "string",
    default: "",
    surfaces: ["gitlab"],
    description: "Command that runs the CLI instead of npx, e.g. `canary-action` when the `node_image` has it installed (no npm registry needed)."
  }
];
var cliFlagFor = (cli, mode) => cli.flagFor?.[mode] ?? cli.flag;

// src/config/inputs-settings.ts
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
function parseMode(value) {
  const mode = value.trim() || "run";
  if (!MODES.includes(mode)) {
    throw new ConfigError("mode", `expected one of ${MODES.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return mode;
}
function flagValue(input, raw, mode) {
  const cli = input.cli;
  if (!cli) return void 0;
  const flag = cliFlagFor(cli, mode);
  const value = raw.trim();
  if (input.type === "boolean") {
    if (value === "") return void 0;
    if (TRUE.includes(value)) return [flag, true];
    if (FALSE.includes(value)) return cli.negation ? [cli.negation, true] : void 0;
    throw new ConfigError(input.name, `expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (value === "") return void 0;
  if (input.type === "number" && !Number.isFinite(Number(value))) {
    throw new ConfigError(input.name, `expected a number, got ${JSON.stringify(raw)}`);
  }
  if (input.type === "choice" && !input.options?.includes(value)) {
    throw new ConfigError(
      input.name,
      `expected one of ${input.options?.join(", ")}, got ${JSON.stringify(raw)}`
    );
  }
  if (cli.perLine) {
    const lines = value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
    return [flag, lines];
  }
  return [flag, input.secret ? raw : value];
}
function flagValuesFromInputs(mode, read) {
  const values = {};
  for (const input of INPUTS.filter((candidate) => candidate.cli?.commands.includes(mode))) {
    const entry = flagValue(input, read(input.name), mode);
    if (entry) values[entry[0]] = entry[1];
  }
  return values;
}
function mergeFlagValues(first, then) {
  const merged = { ...first };
  for (const [flag, value] of Object.entries(then)) {
    const before = merged[flag];
    merged[flag] = Array.isArray(before) && Array.isArray(value) ? [...before, ...value] : value;
  }
  return merged;
}

// src/report/mermaid.ts
var MAX_CHART_POINTS = 60;
var charted = (metric) => metric.type === "ratio" || metric.type === "latency";
function rateSeries(metric) {
  if (!charted(metric)) return void 0;
  const points = metric.trajectory.filter(
    (point) => Number.isFinite(point.canary) && Number.isFinite(point.baseline)
  );
  if (points.length === 0) return void 0;
  const stride = Math.ceil(points.length / MAX_CHART_POINTS);
  const kept = points.filter((_, index) => (points.length - 1 - index) % stride === 0);
  const percent = (rate) => Number(((rate ?? 0) * 100).toPrecision(4));
  return {
    metric: metric.name,
    labels: kept.map((point) => formatDuration(Math.round(point.t * 1e3))),
    canary: kept.map((point) => percent(point.canary)),
    baseline: kept.map((point) => percent(point.baseline))
  };
}
var plain = (text) => text.replace(/[^\p{L}\p{N} _.:/%()-]/gu, " ").slice(0, 80);
function mermaidRateChart(series) {
  const labels = series.labels.map((label) => `"${plain(label)}"`).join(", ");
  const top = Math.max(...series.canary, ...series.baseline);
  const yMax = top > 0 ? Number((top * 1.1).toPrecision(2)) : 1;
  return [
    "xychart-beta",
    `  title "${plain(series.metric)}: rate per poll (%)"`,
    `  x-axis "elapsed" [${labels}]`,
    `  y-axis "rate (%)" 0 --> ${yMax}`,
    `  line [${series.canary.join(", ")}]`,
    `  line [${series.baseline.join(", ")}]`
  ].join("\n");
}

// src/report/html.ts
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
var STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:80rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.facts{color:#57606a}figure{margin:1rem 0}figcaption{font-weight:600}
.canary{stroke:#cf222e;fill:none;stroke-width:2}.baseline{stroke:#0969da;fill:none;stroke-width:2}
.axis{stroke:#8c959f}.legend-canary{color:#cf222e}.legend-baseline{color:#0969da}`;
var CHART = { width: 640, height: 220, padLeft: 48, padBottom: 28, padTop: 10, padRight: 10 };
function svgChart(series) {
  const { width, height, padLeft, padBottom, padTop, padRight } = CHART;
  const top = Math.max(...series.canary, ...series.baseline) || 1;
  const innerWidth = width - padLeft - padRight;
  const innerHeight = height - padTop - padBottom;
  const x = (index) => padLeft + (series.labels.length === 1 ? innerWidth / 2 : index * innerWidth / (series.labels.length - 1));
  const y = (value) => padTop + innerHeight - value / top * innerHeight;
  const line = (values, cls) => `<polyline class="${cls}" points="${values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`;
  const first = series.labels[0] ?? "";
  const last = series.labels.at(-1) ?? "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(series.metric)} rate per poll">`,
    `<line class="axis" x1="${padLeft}" y1="${padTop}" x2="${padLeft}" y2="${padTop + innerHeight}"/>`,
    `<line class="axis" x1="${padLeft}" y1="${padTop + innerHeight}" x2="${width - padRight}" y2="${padTop + innerHeight}"/>`,
    `<text x="4" y="${padTop + 10}" font-size="11">${escapeHtml(Number(top.toPrecision(3)).toString())}%</text>`,
    `<text x="4" y="${padTop + innerHeight}" font-size="11">0%</text>`,
    `<text x="${padLeft}" y="${height - 8}" font-size="11">${escapeHtml(first)}</text>`,
    `<text x="${width - padRight}" y="${height - 8}" font-size="11" text-anchor="end">${escapeHtml(last)}</text>`,
    line(series.baseline, "baseline"),
    line(series.canary, "canary"),
    "</svg>"
  ].join("");
}
function table(headers, rows) {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join("");
  const body = rows.map(
    (cells) => `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}
function linkList(links2) {
  const items = [];
  const run = safeUrl(links2.runUrl);
  if (run) items.push(`<a href="${escapeHtml(run)}">Run</a>`);
  const reportUrl = safeUrl(links2.reportUrl);
  if (reportUrl) items.push(`<a href="${escapeHtml(reportUrl)}">Report</a>`);
  else if (links2.reportPath) items.push(`Report: <code>${escapeHtml(links2.reportPath)}</code>`);
  return items.length > 0 ? `<p>${items.join(" \xB7 ")}</p>` : "";
}
function sections(report) {
  const metrics = report.metrics ?? [];
  const out = [];
  if (report.steps && report.steps.length > 0) {
    out.push("<h2>Traffic steps</h2>");
    out.push(
      table(
        ["Traffic step", "Verdict", "Reason"],
        report.steps.map((step) => [
          `${step.weight}%`,
          `${verdictIcon(step.verdict)} ${step.verdict}`,
          step.reason
        ])
      )
    );
  }
  if (metrics.length > 0) {
    out.push("<h2>Metrics</h2>");
    out.push(
      table(
        METRIC_COLUMNS.map((column) => column.title),
        metrics.map((metric) => {
          const row = metricRow(metric);
          return METRIC_COLUMNS.map(({ key }) => row[key]);
        })
      )
    );
  }
  const guards = report.guards ?? [];
  if (guards.length > 0) {
    out.push("<h2>Guards</h2>");
    out.push(
      table(
        ["Guard", "State", "Reason"],
        guards.map((guard) => [guard.name, guard.tripped ? "\u274C tripped" : "\u2705 ok", guard.reason])
      )
    );
  }
  const notifications = notificationRows(report);
  if (notifications.length > 0) {
    out.push("<h2>Notifications</h2>");
    out.push(table(["Notification", "Event", "Result"], notifications));
  }
  const charts2 = metrics.flatMap((metric) => {
    const series = rateSeries(metric);
    return series ? [
      `<figure><figcaption>${escapeHtml(series.metric)}: rate per poll</figcaption>${svgChart(series)}</figure>`
    ] : [];
  });
  if (charts2.length > 0) {
    out.push("<h2>Canary vs baseline per poll</h2>");
    out.push(
      '<p><span class="legend-canary">\u2501 canary</span> \xB7 <span class="legend-baseline">\u2501 baseline</span></p>'
    );
    out.push(...charts2);
  }
  const queries2 = metrics.flatMap(
    (metric) => Object.entries(metric.queries).map(
      ([key, query]) => `<h3>${escapeHtml(metric.name)} \xB7 ${escapeHtml(key)}</h3><pre><code>${escapeHtml(query)}</code></pre>`
    )
  );
  if (queries2.length > 0) out.push(`<details><summary>Queries sent</summary>${queries2.join("")}</details>`);
  return out;
}
function renderHtml(report, links2 = {}) {
  const title = `Canary ${headline(report)}`;
  const facts = releaseFacts(report).map(([name, value]) => `<strong>${escapeHtml(name)}:</strong> ${escapeHtml(value)}`).join(" \xB7 ");
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${verdictIcon(report.outcome ?? report.verdict)} ${escapeHtml(title)}</h1>`,
    `<p><strong>Reason:</strong> ${escapeHtml(report.reason)}</p>`,
    facts ? `<p class="facts">${facts}</p>` : "",
    linkList(links2),
    ...sections(report),
    "</body></html>",
    ""
  ].join("\n");
}

// src/report/markdown.ts
function escapeMarkdown(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\\`*_{}[\]()#+!|~]/g, (character) => `\\${character}`).replace(/\r?\n|\r/g, " ");
}
function fencedBlock(content, language = "") {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}
${content}
${fence}`;
}
function table2(headers, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}
function metricsTable(report) {
  const metrics = report.metrics ?? [];
  if (metrics.length === 0) return void 0;
  const rows = metrics.map((metric) => {
    const row = metricRow(metric);
    return METRIC_COLUMNS.map(({ key }) => escapeMarkdown(row[key]));
  });
  return table2(
    METRIC_COLUMNS.map((column) => column.title),
    rows
  );
}
function stepsTable(report) {
  if (!report.steps || report.steps.length === 0) return void 0;
  return table2(
    ["Traffic step", "Verdict", "Reason"],
    report.steps.map((step) => [
      `${step.weight}%`,
      `${verdictIcon(step.verdict)} ${escapeMarkdown(step.verdict)}`,
      escapeMarkdown(step.reason)
    ])
  );
}
function notificationsTable(report) {
  const rows = notificationRows(report);
  if (rows.length === 0) return void 0;
  return table2(
    ["Notification", "Event", "Result"],
    rows.map((row) => row.map(escapeMarkdown))
  );
}
function guardsList(report) {
  const guards = report.guards ?? [];
  if (guards.length === 0) return void 0;
  const lines = guards.map(
    (guard) => `- ${guard.tripped ? "\u274C tripped" : "\u2705 ok"}: **${escapeMarkdown(guard.name)}** \u2014 ${escapeMarkdown(guard.reason)}`
  );
  return ["**Guards**", "", ...lines].join("\n");
}
function charts(report) {
  const blocks = (report.metrics ?? []).flatMap((metric) => {
    const series = rateSeries(metric);
    return series ? [fencedBlock(mermaidRateChart(series), "mermaid")] : [];
  });
  if (blocks.length === 0) return void 0;
  return ["### Canary vs baseline per poll", "_First line: canary; second line: baseline._", ...blocks].join(
    "\n\n"
  );
}
function links(links2) {
  const parts = [];
  const link = (title, url) => `[${title}](<${url}>)`;
  const run = safeUrl(links2.runUrl);
  if (run) parts.push(link("Run", run));
  const reportUrl = safeUrl(links2.reportUrl);
  if (reportUrl) parts.push(link("Report", reportUrl));
  else if (links2.reportPath) parts.push(`Report: ${fencedInline(links2.reportPath)}`);
  return parts.length > 0 ? parts.join(" \xB7 ") : void 0;
}
function fencedInline(text) {
  const single = text.replace(/\r?\n|\r/g, " ");
  const longestRun = Math.max(0, ...(single.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence} ${single} ${fence}`;
}
function queries(report) {
  const sections2 = (report.metrics ?? []).flatMap(
    (metric) => Object.entries(metric.queries).map(
      ([key, query]) => `**${escapeMarkdown(metric.name)}** \xB7 ${escapeMarkdown(key)}

${fencedBlock(query)}`
    )
  );
  if (sections2.length === 0) return void 0;
  return [
    "<details>",
    "<summary>Queries sent</summary>",
    "",
    ...sections2.join("\n\n").split("\n"),
    "",
    "</details>"
  ].join("\n");
}
function renderMarkdown(report, reportLinks = {}) {
  const icon = verdictIcon(report.outcome ?? report.verdict);
  const facts = releaseFacts(report).map(([name, value]) => `**${name}:** ${escapeMarkdown(value)}`);
  const parts = [
    `## ${icon} Canary ${escapeMarkdown(headline(report))}`,
    `**Reason:** ${escapeMarkdown(report.reason)}`,
    facts.length > 0 ? facts.join(" \xB7 ") : void 0,
    links(reportLinks),
    stepsTable(report),
    metricsTable(report),
    guardsList(report),
    notificationsTable(report),
    charts(report),
    queries(report)
  ];
  return `${parts.filter((part) => part !== void 0).join("\n\n")}
`;
}

// src/platform/outputs.ts
var DOTENV_MAX_BYTES = 5 * 1024;
function dotenvKey(name) {
  const key = name.replace(/-/g, "_").toUpperCase();
  if (!/^[A-Z0-9_]+$/.test(key)) {
    throw new ConfigError(
      `output ${JSON.stringify(name)}`,
      "expected letters, digits, `_` or `-` in an output name"
    );
  }
  return key;
}
function dotenvValue(name, value) {
  const text = typeof value === "string" ? value : value.join(",");
  if (/[\r\n]/.test(text)) {
    throw new ConfigError(
      `output ${name}`,
      `a dotenv value must be one line (GitLab does not support multi-line values), got ${JSON.stringify(text)}`
    );
  }
  if (text !== text.trim()) {
    throw new ConfigError(
      `output ${name}`,
      `leading or trailing whitespace would be stripped by GitLab's dotenv parser, got ${JSON.stringify(text)}`
    );
  }
  return text.replace(/\$/g, "$$$$");
}
function formatDotenv(outputs) {
  const lines = [];
  const seen = /* @__PURE__ */ new Map();
  for (const [name, value] of Object.entries(outputs)) {
    if (value === void 0) continue;
    const key = dotenvKey(name);
    const earlier = seen.get(key);
    if (earlier !== void 0) {
      throw new ConfigError(`output ${name}`, `becomes ${key}, the same variable as output ${earlier}`);
    }
    seen.set(key, name);
    lines.push(`${key}=${dotenvValue(name, value)}`);
  }
  const text = lines.length > 0 ? `${lines.join("\n")}
` : "";
  if (Buffer.byteLength(text) >= DOTENV_MAX_BYTES) {
    throw new ConfigError(
      "dotenv",
      `the outputs take ${Buffer.byteLength(text)} bytes; GitLab accepts dotenv files under ${DOTENV_MAX_BYTES} bytes`
    );
  }
  return text;
}

// src/platform/ci-outputs.ts
function recordingOutputs(platform) {
  const outputs = {};
  return {
    outputs,
    platform: {
      ...platform,
      setOutput: (name, value) => {
        const redacted = platform.redact(value);
        outputs[name] = redacted;
        platform.setOutput(name, redacted);
      }
    }
  };
}
var dotenvOutputs = (outputs) => Object.fromEntries(
  Object.entries(outputs).map(([name, value]) => {
    const lines = value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
    return [name, lines.length > 1 ? lines : lines[0] ?? ""];
  })
);
async function writeCiArtifacts(options) {
  const { outputs, env, platform } = options;
  const write = async (name, file, text) => {
    try {
      await writeArtifact(platform, file, text());
      return true;
    } catch (error) {
      platform.warning(`could not write ${name} ${file}: ${error.message}`);
      return false;
    }
  };
  if (env.CANARY_DOTENV && await write("CANARY_DOTENV", env.CANARY_DOTENV, () => formatDotenv(dotenvOutputs(outputs))))
    platform.info(`outputs written to ${env.CANARY_DOTENV}`);
  if (!outputs.report || !options.report) return;
  const report = redactStrings(options.report, platform.redact);
  const links2 = { ...options.links, ...outputs.report ? { reportPath: outputs.report } : {} };
  if (env.CANARY_MARKDOWN_REPORT)
    await write("CANARY_MARKDOWN_REPORT", env.CANARY_MARKDOWN_REPORT, () => renderMarkdown(report, links2));
  if (env.CANARY_HTML_REPORT)
    await write("CANARY_HTML_REPORT", env.CANARY_HTML_REPORT, () => renderHtml(report, links2));
}

// src/platform/local.ts
var processStreams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text)
};
function createLocalPlatform(streams = processStreams) {
  const redactor = new Redactor();
  const write = (to, text) => streams[to](`${defuseCommands(redactor.redact(text))}
`);
  return {
    name: "local",
    addSecret: (value) => redactor.add(value),
    redact: redactor.redact,
    info: (message) => write("out", message),
    warning: (message) => write("err", `warning: ${message}`),
    error: (message) => write("err", `error: ${message}`),
    group: async (title, fn) => {
      write("out", `== ${title}`);
      return fn();
    },
    setOutput: () => void 0
  };
}
function createGitLabPlatform(streams = processStreams, now = () => Date.now()) {
  const local = createLocalPlatform(streams);
  let section = 0;
  return {
    ...local,
    name: "gitlab",
    group: async (title, fn) => {
      const id = `canary_${++section}`;
      const stamp = () => Math.floor(now() / 1e3);
      streams.out(
        `\x1B[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1B[0K${local.redact(title).replace(/[\r\n]/g, " ")}
`
      );
      try {
        return await fn();
      } finally {
        streams.out(`\x1B[0Ksection_end:${stamp()}:${id}\r\x1B[0K
`);
      }
    }
  };
}

// src/platform/output-paths.ts
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";
var ENV_FILES = ["CANARY_DOTENV", "CANARY_MARKDOWN_REPORT", "CANARY_HTML_REPORT"];
var GITHUB_FILES = ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"];
function outputPaths(report, env, platform) {
  const named = [...ENV_FILES, ...platform === "github" ? GITHUB_FILES : []];
  return [
    ...report ? [{ name: "--report", path: report }] : [],
    ...named.flatMap((name) => env[name] ? [{ name, path: env[name] }] : [])
  ];
}
var code = (error) => error.code;
async function checkOutputPath({ name, path: file }) {
  const fail = (why) => new ConfigError(name, `cannot write ${JSON.stringify(file)}: ${why} \u2014 nothing was changed`);
  const existing = await stat(file).catch((error) => {
    if (code(error) === "ENOENT" || code(error) === "ENOTDIR") return void 0;
    throw fail(error.message);
  });
  if (existing?.isDirectory()) throw fail("it is a directory, expected a file path");
  if (existing) {
    await access(file, constants.W_OK).catch(() => {
      throw fail("the file is not writable");
    });
    return;
  }
  const directory = path.dirname(path.resolve(file));
  const parent = await stat(directory).catch(() => void 0);
  if (!parent) throw fail(`the directory ${directory} does not exist`);
  if (!parent.isDirectory()) throw fail(`${directory} is not a directory`);
  await access(directory, constants.W_OK | constants.X_OK).catch(() => {
    throw fail(`the directory ${directory} is not writable`);
  });
}
async function checkOutputPaths(paths) {
  for (const output of paths) await checkOutputPath(output);
}

// src/entrypoints/execute.ts
var INTERRUPTED = 130;
var MAX_MESSAGE = 3e3;
function describeError(error) {
  if (error instanceof CanaryError) {
    const reason = error.cause instanceof Error ? error.cause.message.split("\n")[0] ?? "" : "";
    const cause = reason && !error.message.includes(reason) ? ` (${reason})` : "";
    return shorten(`${error.message}${cause}`);
  }
  return `unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
}
function shorten(message) {
  if (message.length <= MAX_MESSAGE) return message;
  return `${message.slice(0, MAX_MESSAGE)}\u2026 (${message.length - MAX_MESSAGE} more characters cut)`;
}
async function executeCommand(name, settingsFor, context) {
  const { env, signal } = context;
  const { platform, outputs } = recordingOutputs(context.platform);
  let report;
  const publish = (made2) => {
    report = made2;
  };
  const { redact } = platform;
  const made = () => ({ outputs, ...report ? { report: redactStrings(report, redact) } : {} });
  let reportFile;
  try {
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) {
      const valid = COMMANDS.map((candidate) => candidate.name).join(", ");
      throw new ConfigError("command", `unknown command ${JSON.stringify(name)} (valid: ${valid}, help)`);
    }
    const settings = settingsFor(command);
    if (RELEASING.includes(command.name)) reportFile = settings.report;
    await context.beforeRun?.(settings);
    await checkOutputPaths(outputPaths(settings.report, env, platform.name));
    const exitCode = await command.run({ settings, env, platform, clock: systemClock, signal, publish });
    return { exitCode, ...made() };
  } catch (error) {
    const failure = signal.aborted ? { exitCode: INTERRUPTED, message: String(signal.reason.message) } : { exitCode: exitCodeOf(error), message: redact(describeError(error)) };
    if (reportFile && !report) await writeFailureReport(reportFile, failure, platform);
    return { ...failure, ...made() };
  }
}
var RELEASING = ["run", "deploy"];
async function writeFailureReport(file, failure, platform) {
  const writable = await checkOutputPaths([{ name: "--report", path: file }]).then(
    () => true,
    () => false
  );
  if (!writable) return;
  await writeReleaseReport(platform, file, failedBeforeStart(failure.exitCode, failure.message)).catch(
    (error) => platform.warning(`could not write the report ${file}: ${error.message}`)
  );
}
function abortOnSignals(say = (line) => process.stderr.write(`${line}
`), exit = (code2) => process.exit(code2)) {
  const abort = new AbortController();
  let received = 0;
  const left = () => currentLeftover() ?? "nothing of this run";
  const onSignal = (signal) => {
    received += 1;
    if (received === 1) return abort.abort(new Error(`interrupted by ${signal}`));
    if (received === 2) {
      say(
        `received ${signal} again: ignored until the rollback or restore under way finishes (a third signal exits at once, leaving ${left()})`
      );
      return;
    }
    say(`received ${signal} a third time: exiting now; left in the cluster: ${left()}`);
    exit(INTERRUPTED);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  };
}

// src/entrypoints/cli.ts
var EXIT_CODES = "Exit codes: 0 pass, 1 regression, 2 invalid input, 3 inconclusive (onInconclusive: fail), 4 infrastructure failure, 130 interrupted.";
var FROM_INPUTS = `from-inputs [MODE] [options]
  Runs MODE (default: $CANARY_INPUT_MODE) with the flags the inputs table maps from the variables
  CANARY_INPUT_<INPUT NAME> (how the GitLab component calls the CLI); further options are appended.
Files written when these variables name a path (any command): CANARY_DOTENV (outputs, GitLab dotenv),
CANARY_MARKDOWN_REPORT and CANARY_HTML_REPORT (the JSON report rendered).`;
function usage() {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`).join("\n");
  const details = COMMANDS.map((c) => `${c.name} options:
${c.usage}`).join("\n\n");
  return `Usage: canary-action <command> [options]

Commands:
${list}

${details}

${FROM_INPUTS}

  -h, --help      Show this help.
  -v, --version   Print the version (${PACKAGE.name}).

${EXIT_CODES}`;
}
function invocation(argv, env) {
  const [name, ...rest] = argv;
  if (name !== "from-inputs") return { name, settingsFor: (command) => settingsFromArgv(command, rest) };
  const [first, ...others] = rest;
  const explicit = first !== void 0 && !first.startsWith("-");
  const mode = parseMode(explicit ? first : env.CANARY_INPUT_MODE ?? "");
  const fromTable = flagValuesFromInputs(mode, (input) => env[`CANARY_INPUT_${input.toUpperCase()}`] ?? "");
  const further = explicit ? others : rest;
  return {
    name: mode,
    settingsFor: (command) => {
      const { values, positionals } = flagValuesFromArgv(command, further);
      return settingsFromFlags(command.name, mergeFlagValues(fromTable, values), positionals);
    }
  };
}
async function registerSecrets(platform, settings, env) {
  const { kubeconfigSecrets } = await import("./chunks/cli/kubeconfig-input-UM2VDMBC.js");
  const { FILE_LIMITS, readLimited } = await import("./chunks/cli/yaml-VFYO636W.js");
  const files = settings.kubeconfig ? [settings.kubeconfig] : (env.KUBECONFIG ?? "").split(":").filter((file) => file !== "");
  for (const file of files) {
    try {
      kubeconfigSecrets(readLimited(file, FILE_LIMITS.kubeconfig, "--kubeconfig"), dirname(file)).forEach(
        (secret) => platform.addSecret(secret)
      );
    } catch {
    }
  }
  for (const name of ["CANARY_REGISTRY_PASSWORD", "CI_REGISTRY_PASSWORD", "CI_JOB_TOKEN"]) {
    if (env[name]) platform.addSecret(env[name]);
  }
}
async function main(argv, env) {
  const platform = env.GITLAB_CI === "true" ? createGitLabPlatform() : createLocalPlatform();
  const signals = abortOnSignals((line) => platform.warning(line));
  try {
    const [name, ...rest] = argv;
    if (name === void 0 || name === "help" || name === "--help" || name === "-h") {
      platform.info(usage());
      return name === void 0 ? ExitCode.InvalidInput : ExitCode.Ok;
    }
    if (name === "--version" || name === "-v" || name === "version") {
      platform.info(PACKAGE.version);
      return ExitCode.Ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command && (rest.includes("--help") || rest.includes("-h"))) {
      platform.info(
        `Usage: canary-action ${command.name} [options]

${command.summary}

${command.usage}

${EXIT_CODES}`
      );
      return ExitCode.Ok;
    }
    if (name === "from-inputs") platform.info(`canary-action ${PACKAGE.version} (Node ${process.version})`);
    const { name: commandName, settingsFor } = invocation(argv, env);
    const { exitCode, message, outputs, report } = await executeCommand(commandName, settingsFor, {
      env,
      platform,
      signal: signals.signal,
      beforeRun: (settings) => registerSecrets(platform, settings, env)
    });
    if (message) platform.error(message);
    await writeCiArtifacts({
      outputs,
      ...report ? { report } : {},
      env,
      platform,
      links: env.CI_JOB_URL ? { runUrl: env.CI_JOB_URL } : {}
    });
    return exitCode;
  } catch (error) {
    platform.error(describeError(error));
    return exitCodeOf(error);
  } finally {
    signals.dispose();
  }
}
process.exitCode = await main(process.argv.slice(2), process.env);
export {
  main
};
