import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  FILE_LIMITS,
  loadYamlChecked,
  readLimited
} from "./chunk-K2APE3TQ.js";
import {
  ConfigError
} from "./chunk-XNWF4ENP.js";

// src/platform/kubeconfig-input.ts
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
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
    return [readLimited(path.resolve(dir ?? ".", value), FILE_LIMITS.kubeconfig, key)];
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
  const exists = options.exists ?? existsSync;
  const isContent = value.includes("\n") || value.startsWith("{") || looksLikeKubeconfig(value);
  if (!isContent && exists(value)) {
    return {
      source: "path",
      path: value,
      secrets: kubeconfigSecrets(
        readLimited(value, FILE_LIMITS.kubeconfig, "kubeconfig"),
        path.dirname(value)
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
  const tempDir = await mkdtemp(path.join(options.tempRoot, "canary-kubeconfig-"));
  const file = path.join(tempDir, "kubeconfig");
  await writeFile(file, `${content.trim()}
`, { mode: 384 });
  await chmod(file, 384);
  return {
    source: "content",
    path: file,
    tempDir,
    secrets: [...kubeconfigSecrets(content, tempDir), ...content === value ? [] : [content]],
    cleanup: () => rm(tempDir, { recursive: true, force: true })
  };
}
export {
  kubeconfigSecrets,
  prepareKubeconfig
};
