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

// src/util/durations.ts
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
var PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
function parseDuration(value, path) {
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigError(
      path,
      `expected a duration such as "30s", "2m" or "1h30m", got ${JSON.stringify(value)}`
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
  return total;
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
  parseDuration,
  formatDuration,
  abortReason,
  systemClock
};
