import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);

// src/util/errors.ts
var ExitCode = {
  Ok: 0,
  Regression: 1,
  InvalidInput: 2,
  Inconclusive: 3,
  Infrastructure: 4
};
var CanaryError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
};
var ConfigError = class extends CanaryError {
  constructor(path, message, options) {
    super(path ? `${path}: ${message}` : message, options);
    this.path = path;
  }
  path;
  exitCode = ExitCode.InvalidInput;
};
var PermissionError = class extends CanaryError {
  exitCode = ExitCode.InvalidInput;
};
var BackendError = class extends CanaryError {
  exitCode = ExitCode.Infrastructure;
};
var QueryError = class extends CanaryError {
  constructor(query, message, options) {
    super(`${message}
  query: ${query}`, options);
    this.query = query;
  }
  query;
  exitCode = ExitCode.InvalidInput;
};
var RolloutError = class extends CanaryError {
  exitCode = ExitCode.Regression;
};
function exitCodeOf(error) {
  return error instanceof CanaryError ? error.exitCode : ExitCode.Infrastructure;
}
function showValue(value, max = 80) {
  const text = value === void 0 ? "nothing" : JSON.stringify(value) ?? typeof value;
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

// src/util/durations.ts
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
var PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
var MAX_DURATION_MS = 2 ** 31 - 1;
function parseDuration(value, path, bounds = {}) {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) {
    throw new ConfigError(
      path,
      `expected a duration such as "30s", "2m" or "1h30m", got ${showValue(value)}`
    );
  }
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(value); match; match = PART.exec(value)) {
    total += Number(match[1]) * (UNITS[match[2] ?? ""] ?? 0);
    consumed = PART.lastIndex;
  }
  if (consumed !== value.length || total <= 0) {
    throw new ConfigError(
      path,
      `expected a duration such as "30s", "2m" or "1h30m", got ${JSON.stringify(value)}`
    );
  }
  const minMs = bounds.minMs ?? 1;
  if (total < minMs) {
    throw new ConfigError(path, `expected at least ${formatDuration(minMs)}, got ${JSON.stringify(value)}`);
  }
  if (total > MAX_DURATION_MS) {
    throw new ConfigError(
      path,
      `expected at most 596h31m (2^31-1 ms, the longest a timer can wait), got ${JSON.stringify(value)}`
    );
  }
  return Math.round(total);
}
function formatDuration(ms) {
  if (ms % 1e3 !== 0) return `${ms}ms`;
  let seconds = ms / 1e3;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const out = `${hours ? `${hours}h` : ""}${minutes ? `${minutes}m` : ""}${seconds ? `${seconds}s` : ""}`;
  return out || "0s";
}

// src/util/redact.ts
var Redactor = class {
  secrets = /* @__PURE__ */ new Set();
  longestFirst = [];
  add(value) {
    if (value.length < 4) return;
    const forms = [
      value,
      encodeURIComponent(value),
      Buffer.from(value).toString("base64"),
      JSON.stringify(value).slice(1, -1),
      escapeHtml(value),
      ...value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length >= 16 && !/^-----(BEGIN|END) /.test(line))
    ];
    for (const form of forms) this.secrets.add(form);
    this.longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
  }
  redact = (text) => {
    let out = text;
    for (const secret of this.longestFirst) out = out.split(secret).join("***");
    return out;
  };
};
var escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`);
function redactStrings(value, redact) {
  const walk = (node) => {
    if (typeof node === "string") return redact(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [redact(key), walk(child)]));
    }
    return node;
  };
  return walk(value);
}
function defuseCommands(text) {
  return text.replace(/\r\n?/g, "\n").replace(/^(\s*)::/gm, "$1> ::").replace(/##\[/g, "## [");
}

// src/util/clock.ts
var abortReason = (signal) => signal.reason;
var systemClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal ? abortReason(signal) : void 0);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  })
};

export {
  ExitCode,
  CanaryError,
  ConfigError,
  PermissionError,
  BackendError,
  QueryError,
  RolloutError,
  exitCodeOf,
  showValue,
  parseDuration,
  formatDuration,
  Redactor,
  redactStrings,
  defuseCommands,
  abortReason,
  systemClock
};
