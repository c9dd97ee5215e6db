import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  require_tunnel,
  require_undici
} from "./chunk-K564TZI5.js";
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
  TARGET_USAGE
} from "./chunk-S6IFWXHN.js";
import {
  currentLeftover,
  failedBeforeStart,
  writeReleaseReport
} from "./chunk-XR4OTXVY.js";
import {
  METRIC_COLUMNS,
  headline,
  metricRow,
  notificationRows,
  releaseFacts,
  safeUrl,
  verdictIcon
} from "./chunk-XNNIZ74B.js";
import {
  FILE_LIMITS,
  loadYamlChecked,
  readLimited
} from "./chunk-REKH45OT.js";
import {
  CanaryError,
  ConfigError,
  Redactor,
  defuseCommands,
  exitCodeOf,
  formatDuration,
  redactStrings,
  systemClock
} from "./chunk-4WLXK7BF.js";
import {
  __toESM
} from "./chunk-CHZ5T6FE.js";

// node_modules/@actions/core/lib/summary.js
import { EOL } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code2, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code2), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/http-client/lib/index.js
var tunnel = __toESM(require_tunnel(), 1);
var import_undici = __toESM(require_undici(), 1);
var HttpCodes;
(function(HttpCodes2) {
  HttpCodes2[HttpCodes2["OK"] = 200] = "OK";
  HttpCodes2[HttpCodes2["MultipleChoices"] = 300] = "MultipleChoices";
  HttpCodes2[HttpCodes2["MovedPermanently"] = 301] = "MovedPermanently";
  HttpCodes2[HttpCodes2["ResourceMoved"] = 302] = "ResourceMoved";
  HttpCodes2[HttpCodes2["SeeOther"] = 303] = "SeeOther";
  HttpCodes2[HttpCodes2["NotModified"] = 304] = "NotModified";
  HttpCodes2[HttpCodes2["UseProxy"] = 305] = "UseProxy";
  HttpCodes2[HttpCodes2["SwitchProxy"] = 306] = "SwitchProxy";
  HttpCodes2[HttpCodes2["TemporaryRedirect"] = 307] = "TemporaryRedirect";
  HttpCodes2[HttpCodes2["PermanentRedirect"] = 308] = "PermanentRedirect";
  HttpCodes2[HttpCodes2["BadRequest"] = 400] = "BadRequest";
  HttpCodes2[HttpCodes2["Unauthorized"] = 401] = "Unauthorized";
  HttpCodes2[HttpCodes2["PaymentRequired"] = 402] = "PaymentRequired";
  HttpCodes2[HttpCodes2["Forbidden"] = 403] = "Forbidden";
  HttpCodes2[HttpCodes2["NotFound"] = 404] = "NotFound";
  HttpCodes2[HttpCodes2["MethodNotAllowed"] = 405] = "MethodNotAllowed";
  HttpCodes2[HttpCodes2["NotAcceptable"] = 406] = "NotAcceptable";
  HttpCodes2[HttpCodes2["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
  HttpCodes2[HttpCodes2["RequestTimeout"] = 408] = "RequestTimeout";
  HttpCodes2[HttpCodes2["Conflict"] = 409] = "Conflict";
  HttpCodes2[HttpCodes2["Gone"] = 410] = "Gone";
  HttpCodes2[HttpCodes2["TooManyRequests"] = 429] = "TooManyRequests";
  HttpCodes2[HttpCodes2["InternalServerError"] = 500] = "InternalServerError";
  HttpCodes2[HttpCodes2["NotImplemented"] = 501] = "NotImplemented";
  HttpCodes2[HttpCodes2["BadGateway"] = 502] = "BadGateway";
  HttpCodes2[HttpCodes2["ServiceUnavailable"] = 503] = "ServiceUnavailable";
  HttpCodes2[HttpCodes2["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function(Headers2) {
  Headers2["Accept"] = "accept";
  Headers2["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function(MediaTypes2) {
  MediaTypes2["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
var HttpRedirectCodes = [
  HttpCodes.MovedPermanently,
  HttpCodes.ResourceMoved,
  HttpCodes.SeeOther,
  HttpCodes.TemporaryRedirect,
  HttpCodes.PermanentRedirect
];
var HttpResponseRetryCodes = [
  HttpCodes.BadGateway,
  HttpCodes.ServiceUnavailable,
  HttpCodes.GatewayTimeout
];

// node_modules/@actions/core/lib/platform.js
import os3 from "os";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}
function saveState(name, value) {
  const filePath = process.env["GITHUB_STATE"] || "";
  if (filePath) {
    return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
  }
  issueCommand("save-state", { name }, toCommandValue(value));
}
function getState(name) {
  return process.env[`STATE_${name}`] || "";
}

// src/version.ts
var PACKAGE = true ? { name: "@canary-action/cli", version: "0.1.0" } : fromPackageJson();
var PACKAGE_SPECIFIER = `${PACKAGE.name}@${PACKAGE.version}`;

// src/platform/action-state.ts
import path from "node:path";
var KEYS = {
  mode: "mode",
  runId: "run_id",
  config: "config",
  workload: "workload",
  namespace: "namespace",
  kubeContext: "kube_context",
  kubeconfigSource: "kubeconfig_source",
  kubeconfigPath: "kubeconfig_path",
  kubeconfigTempDir: "kubeconfig_temp_dir",
  canary: "canary"
};
function saveActionState(state, save) {
  for (const [key, value] of Object.entries(state)) {
    if (value !== void 0) save(KEYS[key], value);
  }
}
function readActionState(read) {
  const value = (key) => read(KEYS[key]);
  const source = value("kubeconfigSource");
  const canary = value("canary");
  return {
    mode: value("mode"),
    runId: value("runId"),
    config: value("config"),
    workload: value("workload"),
    namespace: value("namespace"),
    kubeContext: value("kubeContext"),
    kubeconfigSource: source === "content" || source === "path" ? source : "default",
    kubeconfigPath: value("kubeconfigPath"),
    kubeconfigTempDir: value("kubeconfigTempDir"),
    canary: canary === "started" || canary === "live" ? canary : "none"
  };
}
var leftLive = (outcome) => outcome === "held" || outcome === "deployed";
var canaryStateAfter = (outcome) => leftLive(outcome) ? "live" : outcome === "rollback-incomplete" ? "started" : "none";
var ROLL_BACK_ON = ["failure", "cancelled"];
function reasonToSkip(status, state) {
  if (!ROLL_BACK_ON.includes(status))
    return `job status is ${JSON.stringify(status || "(empty)")}: nothing to roll back (only on failure or cancelled)`;
  if (state.canary === "none")
    return `the job is ${status}, but this job left no canary live (mode ${state.mode || "unknown"}): nothing to roll back`;
  return void 0;
}
function cleanupFlags(state, kubeconfig, status = "") {
  const flags = [
    ["config", state.config],
    ["kubeconfig", kubeconfig],
    ["context", state.kubeContext],
    ["namespace", state.namespace],
    ["workload", state.workload],
    ["run-id", state.runId]
  ];
  const reason = status === "cancelled" ? "job cancelled" : "job failed";
  return { all: true, reason, ...Object.fromEntries(flags.filter(([, value]) => value)) };
}
var isOwnTempDir = (dir) => dir !== "" && path.basename(dir).startsWith("canary-kubeconfig-");

// src/platform/github.ts
function createGitHubPlatform() {
  const redactor = new Redactor();
  const clean = (text) => defuseCommands(redactor.redact(text));
  return {
    name: "github",
    addSecret: (value) => {
      if (value) setSecret(value);
      redactor.add(value);
    },
    redact: redactor.redact,
    info: (message) => info(clean(message)),
    warning: (message) => warning(clean(message)),
    error: (message) => error(clean(message)),
    group: (title, fn) => group(clean(title), fn),
    setOutput: (name, value) => setOutput(name, value)
  };
}
function githubRunUrl(env) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : void 0;
}

// src/platform/kubeconfig-input.ts
import { existsSync as existsSync2 } from "node:fs";
import { chmod as chmod2, mkdtemp, rm as rm2, writeFile as writeFile2 } from "node:fs/promises";
import path2 from "node:path";
var CREDENTIAL_KEYS = [
  "token",
  "password",
  "client-key-data",
  "access-token",
  "refresh-token",
  "id-token",
  "client-secret"
];
var CREDENTIAL_FILES = ["client-key", "tokenFile"];
var record = (value) => value !== null && typeof value === "object" ? value : {};
function kubeconfigSecrets(text, dir) {
  let parsed;
  try {
    parsed = loadYamlChecked(text, "kubeconfig", "kubeconfig");
  } catch {
    return [];
  }
  const found = [];
  const visit = (value) => {
    for (const [key, inner] of Object.entries(record(value))) {
      if (typeof inner === "string" && inner.length > 0) found.push(...credentialsAt(key, inner, dir));
      else if (typeof inner === "object") visit(inner);
    }
  };
  const users = record(parsed).users;
  for (const user of Array.isArray(users) ? users : []) {
    const { user: credentials } = record(user);
    visit(credentials);
    const env = record(record(credentials).exec).env;
    for (const variable of Array.isArray(env) ? env : []) {
      const { value } = record(variable);
      if (typeof value === "string" && value.length > 0) found.push(value);
    }
  }
  return [...new Set(found)];
}
function credentialsAt(key, value, dir) {
  if (key.endsWith("-data") && CREDENTIAL_KEYS.includes(key))
    return [value, Buffer.from(value, "base64").toString("utf8")];
  if (CREDENTIAL_KEYS.includes(key)) return [value];
  if (!CREDENTIAL_FILES.includes(key)) return [];
  try {
    return [readLimited(path2.resolve(dir ?? ".", value), FILE_LIMITS.kubeconfig, key)];
  } catch {
    return [];
  }
}
var looksLikeKubeconfig = (text) => /(^|\n)\s*"?(apiVersion|clusters|contexts)"?\s*:/.test(text);
function decodeBase64(value) {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return void 0;
  const text = Buffer.from(value, "base64").toString("utf8");
  return looksLikeKubeconfig(text) ? text : void 0;
}
var NONE = { source: "default", secrets: [], cleanup: async () => void 0 };
async function prepareKubeconfig(input, options) {
  const value = input.trim();
  if (value === "") return NONE;
  const exists2 = options.exists ?? existsSync2;
  const isContent = value.includes("\n") || value.startsWith("{") || looksLikeKubeconfig(value);
  if (!isContent && exists2(value)) {
    return {
      source: "path",
      path: value,
      secrets: kubeconfigSecrets(
        readLimited(value, FILE_LIMITS.kubeconfig, "kubeconfig"),
        path2.dirname(value)
      ),
      cleanup: async () => void 0
    };
  }
  const content = isContent ? value : decodeBase64(value);
  if (content === void 0) {
    throw new ConfigError(
      "kubeconfig",
      "expected the kubeconfig file content (YAML or JSON), its base64, or the path of an existing file; the value given is none of these (not printed)"
    );
  }
  const tempDir = await mkdtemp(path2.join(options.tempRoot, "canary-kubeconfig-"));
  const file = path2.join(tempDir, "kubeconfig");
  await writeFile2(file, `${content.trim()}
`, { mode: 384 });
  await chmod2(file, 384);
  return {
    source: "content",
    path: file,
    tempDir,
    secrets: [...kubeconfigSecrets(content, tempDir), ...content === value ? [] : [content]],
    cleanup: () => rm2(tempDir, { recursive: true, force: true })
  };
}

// src/cli/commands.ts
var loaded = (load) => async (context) => (await load()).execute(context);
var COMMANDS = [
  {
    name: "build",
    summary: "Build, tag and push the image; print its digest (skips a revision already pushed).",
    options: BUILD_OPTIONS,
    usage: BUILD_USAGE,
    run: loaded(() => import("./build-WCLE66NA.js"))
  },
  {
    name: "run",
    summary: "Deploy a canary and a baseline, judge them step by step, then promote or roll back.",
    options: RELEASE_OPTIONS,
    usage: `${RELEASE_USAGE}
  --hold                Leave a passing canary live (phase held) for a manual promote.`,
    run: loaded(() => import("./run-LU3DBEE6.js"))
  },
  {
    name: "deploy",
    summary: "Start a canary and a baseline at the first traffic step and leave them live (phase deployed).",
    options: RELEASE_OPTIONS,
    usage: `  Same options as run (--hold does not apply): the canary is left for analyze, promote or rollback.`,
    run: loaded(() => import("./deploy-IKSNJIUY.js"))
  },
  {
    name: "promote",
    summary: "Promote the live canary (held or deployed): the stable gets its images, canary and baseline go.",
    options: MANAGE_OPTIONS,
    usage: MANAGE_USAGE,
    run: loaded(() => import("./promote-5KMBDJCW.js"))
  },
  {
    name: "rollback",
    summary: "Remove the live canary, baseline and clones; the stable is left exactly as it is.",
    options: MANAGE_OPTIONS,
    usage: MANAGE_USAGE,
    run: loaded(() => import("./rollback-Y3GPVLC5.js"))
  },
  {
    name: "status",
    summary: "Show the live canary of a workload: phase, revision, image, readiness, run.",
    options: TARGET_OPTIONS,
    usage: TARGET_USAGE,
    run: loaded(() => import("./status-PBOYDNGA.js"))
  },
  {
    name: "cleanup",
    summary: "After a cancelled job: remove a canary left mid-run (held or deployed canaries are kept unless --all).",
    options: CLEANUP_OPTIONS,
    usage: CLEANUP_USAGE,
    run: loaded(() => import("./cleanup-TEWEK74C.js"))
  },
  {
    name: "analyze",
    summary: "Judge a running canary against its baseline with live metrics.",
    options: ANALYZE_OPTIONS,
    usage: ANALYZE_USAGE,
    run: loaded(() => import("./analyze-OGORNTWH.js"))
  }
];

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
function table(headers, rows) {
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
  return table(
    METRIC_COLUMNS.map((column) => column.title),
    rows
  );
}
function stepsTable(report) {
  if (!report.steps || report.steps.length === 0) return void 0;
  return table(
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
  return table(
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
  const sections = (report.metrics ?? []).flatMap(
    (metric) => Object.entries(metric.queries).map(
      ([key, query]) => `**${escapeMarkdown(metric.name)}** \xB7 ${escapeMarkdown(key)}

${fencedBlock(query)}`
    )
  );
  if (sections.length === 0) return void 0;
  return [
    "<details>",
    "<summary>Queries sent</summary>",
    "",
    ...sections.join("\n\n").split("\n"),
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

// src/platform/ci-outputs.ts
function recordingOutputs(platform2) {
  const outputs = {};
  return {
    outputs,
    platform: {
      ...platform2,
      setOutput: (name, value) => {
        const redacted = platform2.redact(value);
        outputs[name] = redacted;
        platform2.setOutput(name, redacted);
      }
    }
  };
}

// src/platform/output-paths.ts
import { constants as constants3 } from "node:fs";
import { access as access2, stat as stat2 } from "node:fs/promises";
import path3 from "node:path";
var ENV_FILES = ["CANARY_DOTENV", "CANARY_MARKDOWN_REPORT", "CANARY_HTML_REPORT"];
var GITHUB_FILES = ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"];
function outputPaths(report, env, platform2) {
  const named = [...ENV_FILES, ...platform2 === "github" ? GITHUB_FILES : []];
  return [
    ...report ? [{ name: "--report", path: report }] : [],
    ...named.flatMap((name) => env[name] ? [{ name, path: env[name] }] : [])
  ];
}
var code = (error2) => error2.code;
async function checkOutputPath({ name, path: file }) {
  const fail = (why) => new ConfigError(name, `cannot write ${JSON.stringify(file)}: ${why} \u2014 nothing was changed`);
  const existing = await stat2(file).catch((error2) => {
    if (code(error2) === "ENOENT" || code(error2) === "ENOTDIR") return void 0;
    throw fail(error2.message);
  });
  if (existing?.isDirectory()) throw fail("it is a directory, expected a file path");
  if (existing) {
    await access2(file, constants3.W_OK).catch(() => {
      throw fail("the file is not writable");
    });
    return;
  }
  const directory = path3.dirname(path3.resolve(file));
  const parent = await stat2(directory).catch(() => void 0);
  if (!parent) throw fail(`the directory ${directory} does not exist`);
  if (!parent.isDirectory()) throw fail(`${directory} is not a directory`);
  await access2(directory, constants3.W_OK | constants3.X_OK).catch(() => {
    throw fail(`the directory ${directory} is not writable`);
  });
}
async function checkOutputPaths(paths) {
  for (const output of paths) await checkOutputPath(output);
}

// src/entrypoints/execute.ts
var INTERRUPTED = 130;
var MAX_MESSAGE = 3e3;
function describeError(error2) {
  if (error2 instanceof CanaryError) {
    const reason = error2.cause instanceof Error ? error2.cause.message.split("\n")[0] ?? "" : "";
    const cause = reason && !error2.message.includes(reason) ? ` (${reason})` : "";
    return shorten(`${error2.message}${cause}`);
  }
  return `unexpected error: ${error2 instanceof Error ? error2.stack ?? error2.message : String(error2)}`;
}
function shorten(message) {
  if (message.length <= MAX_MESSAGE) return message;
  return `${message.slice(0, MAX_MESSAGE)}\u2026 (${message.length - MAX_MESSAGE} more characters cut)`;
}
async function executeCommand(name, settingsFor, context) {
  const { env, signal } = context;
  const { platform: platform2, outputs } = recordingOutputs(context.platform);
  let report;
  const publish = (made2) => {
    report = made2;
  };
  const { redact } = platform2;
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
    await checkOutputPaths(outputPaths(settings.report, env, platform2.name));
    const exitCode = await command.run({ settings, env, platform: platform2, clock: systemClock, signal, publish });
    return { exitCode, ...made() };
  } catch (error2) {
    const failure = signal.aborted ? { exitCode: INTERRUPTED, message: String(signal.reason.message) } : { exitCode: exitCodeOf(error2), message: redact(describeError(error2)) };
    if (reportFile && !report) await writeFailureReport(reportFile, failure, platform2);
    return { ...failure, ...made() };
  }
}
var RELEASING = ["run", "deploy"];
async function writeFailureReport(file, failure, platform2) {
  const writable = await checkOutputPaths([{ name: "--report", path: file }]).then(
    () => true,
    () => false
  );
  if (!writable) return;
  await writeReleaseReport(platform2, file, failedBeforeStart(failure.exitCode, failure.message)).catch(
    (error2) => platform2.warning(`could not write the report ${file}: ${error2.message}`)
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

// src/entrypoints/main-module.ts
import { realpathSync } from "node:fs";
import path4 from "node:path";
import { pathToFileURL } from "node:url";
function isMainModule(meta, argv1 = process.argv[1]) {
  if (typeof meta.main === "boolean") return meta.main;
  if (!argv1) return false;
  try {
    return pathToFileURL(realpathSync(path4.resolve(argv1))).href === meta.url;
  } catch {
    return false;
  }
}

export {
  summary,
  setSecret,
  getInput,
  setFailed,
  warning,
  info,
  saveState,
  getState,
  PACKAGE,
  PACKAGE_SPECIFIER,
  saveActionState,
  readActionState,
  canaryStateAfter,
  reasonToSkip,
  cleanupFlags,
  isOwnTempDir,
  escapeMarkdown,
  renderMarkdown,
  createGitHubPlatform,
  githubRunUrl,
  prepareKubeconfig,
  describeError,
  executeCommand,
  abortOnSignals,
  isMainModule
};
