import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

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

export {
  __require,
  __commonJS,
  __export,
  __toESM,
  ExitCode,
  CanaryError,
  ConfigError,
  PermissionError,
  BackendError,
  QueryError,
  RolloutError,
  exitCodeOf,
  showValue
};
