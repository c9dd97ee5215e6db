import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  TAG_PATTERN,
  digestReference,
  parseImageReference,
  resolveSource,
  taggedReference
} from "./chunk-32VIYDKM.js";
import {
  axios_default,
  backoffDelay,
  createRegistry
} from "./chunk-XMLM5S4J.js";
import {
  abortReason,
  systemClock
} from "./chunk-QFWYWELG.js";
import {
  BackendError,
  CanaryError,
  ConfigError
} from "./chunk-XNWF4ENP.js";

// src/image/labels.ts
var REVISION_LABEL = "org.opencontainers.image.revision";
function rfc3339(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
function ociLabels(source, firstTag, created, extra = {}) {
  return {
    [REVISION_LABEL]: source.revision,
    ...source.sourceUrl ? { "org.opencontainers.image.source": source.sourceUrl } : {},
    "org.opencontainers.image.created": rfc3339(created),
    "org.opencontainers.image.version": firstTag,
    ...source.branch ? { "org.opencontainers.image.ref.name": source.branch } : {},
    ...extra
  };
}
function parseKeyValues(values, field) {
  const result = {};
  for (const item of values) {
    const at = item.indexOf("=");
    const key = at > 0 ? item.slice(0, at) : "";
    if (!key || /\s/.test(key)) {
      throw new ConfigError(
        field,
        `${JSON.stringify(item)} is not KEY=VALUE (a non-empty key without spaces)`
      );
    }
    result[key] = item.slice(at + 1);
  }
  return result;
}

// src/image/run-build.ts
import { stat } from "node:fs/promises";
import path5 from "node:path";

// src/image/auth-file.ts
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
function authKey(registry) {
  return registry === "docker.io" ? "https://index.docker.io/v1/" : registry;
}
async function writeAuthFile(dir, registry, credentials) {
  const file = path.join(dir, "auth.json");
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  const auths = { [authKey(registry)]: { auth } };
  if (registry === "docker.io") auths["docker.io"] = { auth };
  await writeFile(file, JSON.stringify({ auths }), { mode: 384 });
  return file;
}
async function readStoredCredentials(registry, env) {
  const home = env.HOME ?? os.homedir();
  const files = [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, "containers/auth.json") : void 0,
    path.join(env.DOCKER_CONFIG ?? path.join(home, ".docker"), "config.json")
  ];
  for (const file of files) {
    if (!file) continue;
    let auths;
    try {
      auths = JSON.parse(await readFile(file, "utf8")).auths;
    } catch {
      continue;
    }
    const entry = auths?.[authKey(registry)] ?? auths?.[registry] ?? auths?.[`https://${registry}`];
    const decoded = entry?.auth ? Buffer.from(entry.auth, "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return void 0;
}

// src/image/buildah.ts
import { readFile as readFile2 } from "node:fs/promises";
import path3 from "node:path";

// src/image/deps.ts
import { mkdtemp, rm } from "node:fs/promises";
import os2 from "node:os";
import path2 from "node:path";

// src/image/runner.ts
import { spawn } from "node:child_process";
var OUTPUT_LIMIT = 64 * 1024;
function createProcessRunner(baseEnv = process.env) {
  return {
    run(command, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, [...args], {
          cwd: options.cwd,
          env: { ...baseEnv, ...options.env },
          stdio: ["pipe", "pipe", "pipe"],
          signal: options.signal,
          killSignal: "SIGTERM"
        });
        let stdout = "";
        let output = "";
        const lineBuffers = { out: "", err: "" };
        const take = (stream) => (chunk) => {
          const text = chunk.toString();
          if (stream === "out") stdout = (stdout + text).slice(-OUTPUT_LIMIT);
          output = (output + text).slice(-OUTPUT_LIMIT);
          if (!options.onLine) return;
          const lines = (lineBuffers[stream] + text).split(/\r?\n/);
          lineBuffers[stream] = lines.pop() ?? "";
          for (const line of lines) options.onLine(line);
        };
        child.stdout.on("data", take("out"));
        child.stderr.on("data", take("err"));
        child.stdin.on("error", () => void 0);
        child.stdin.end(options.stdin ?? "");
        child.once("error", (error) => {
          if (options.signal?.aborted) return reject(abortReason(options.signal));
          if (error.code === "ENOENT") {
            return reject(
              new BackendError(`${command} not found on PATH: install it or choose another --builder`)
            );
          }
          reject(new BackendError(`${command} could not be started: ${error.message}`, { cause: error }));
        });
        child.once("close", (code) => {
          for (const rest of [lineBuffers.out, lineBuffers.err])
            if (rest && options.onLine) options.onLine(rest);
          if (options.signal?.aborted) return reject(abortReason(options.signal));
          resolve({ code, stdout, output });
        });
      });
    }
  };
}
function formatCommand(command, args) {
  return [command, ...args].map((arg) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
}
function lastLines(output, count = 15) {
  return output.split(/\r?\n/).filter((line) => line.trim()).slice(-count).join("\n");
}

// src/image/deps.ts
async function withTempDir(fn) {
  const dir = await mkdtemp(path2.join(os2.tmpdir(), "canary-build-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
function runLogged(deps, command, args, options = {}) {
  deps.log.info(`$ ${formatCommand(command, args)}`);
  return deps.runner.run(command, args, { ...options, onLine: (line) => deps.log.info(line) });
}

// src/image/registry-client.ts
import { createHash } from "node:crypto";
import https from "node:https";
var MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json"
];
var RegistryAuthError = class extends ConfigError {
};
function parseChallenge(header) {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return void 0;
  const params = {};
  for (const param of (match[2] ?? "").matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(param[1] ?? "").toLowerCase()] = (param[2] ?? param[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return { scheme: (match[1] ?? "").toLowerCase(), params };
}
function apiHost(registry) {
  return registry === "docker.io" ? "registry-1.docker.io" : registry;
}
function createRegistryClient(options) {
  const baseUrl = `${options.insecure ? "http" : "https"}://${apiHost(options.registry)}`;
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const sleep = options.sleep ?? systemClock.sleep;
  const httpsAgent = options.insecure ? new https.Agent({ rejectUnauthorized: false }) : void 0;
  const instance = axios_default.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    httpsAgent,
    responseType: "arraybuffer",
    validateStatus: () => true,
    maxRedirects: 5
  });
  const basic = options.credentials ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString("base64")}` : void 0;
  const tokens = /* @__PURE__ */ new Map();
  async function send(config, signal) {
    const where = `${String(config.method ?? "GET").toUpperCase()} ${baseUrl}${config.url ?? ""}`;
    let lastCause = "";
    for (let attempt = 0; attempt <= retries; attempt++) {
      signal?.throwIfAborted();
      try {
        const response = await instance.request({ ...config, signal });
        if (response.status !== 429 && response.status < 500) return response;
        lastCause = `HTTP ${response.status}`;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!axios_default.isAxiosError(error) || error.response) throw error;
        lastCause = error.code ? `${error.code}: ${error.message}` : error.message;
      }
      if (attempt < retries)
        await sleep(backoffDelay(attempt, { baseMs: 250, maxMs: 4e3 }, Math.random), signal);
    }
    throw new BackendError(`registry ${where} failed after ${retries + 1} attempts: ${lastCause}`);
  }
  async function authorization(challengeHeader, signal) {
    const challenge = parseChallenge(challengeHeader);
    if (challenge?.scheme === "basic") return basic;
    if (challenge?.scheme !== "bearer" || !challenge.params.realm) return void 0;
    const { realm, service, scope } = challenge.params;
    const key = `${realm} ${service ?? ""} ${scope ?? ""}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const params = {};
    if (service) params.service = service;
    if (scope) params.scope = scope;
    const response = await send(
      { method: "GET", url: realm, baseURL: "", params, headers: basic ? { Authorization: basic } : {} },
      signal
    );
    if (response.status !== 200) {
      throw new RegistryAuthError(
        "--registry-username",
        `token service ${redactQuery(realm)} refused ${basic ? "the credentials" : "anonymous access"} for ${scope ?? "the registry"} (HTTP ${response.status})`
      );
    }
    const body = JSON.parse(Buffer.from(response.data).toString("utf8"));
    const token = body.token ?? body.access_token;
    if (!token) throw new BackendError(`token service ${redactQuery(realm)} answered without a token`);
    tokens.set(key, `Bearer ${token}`);
    return `Bearer ${token}`;
  }
  async function authorized(config, signal) {
    const first = await send(config, signal);
    if (first.status !== 401) return first;
    const header = headerValue(first, "www-authenticate");
    const auth = header ? await authorization(header, signal) : void 0;
    const second = auth ? await send({ ...config, headers: { ...config.headers, Authorization: auth } }, signal) : first;
    if (second.status === 401 || second.status === 403) {
      throw new RegistryAuthError(
        "--registry-username",
        `${baseUrl} refused ${auth ? "the credentials" : "anonymous access"} (HTTP ${second.status}) for ${config.url}; check --registry-username/--registry-password`
      );
    }
    return second;
  }
  const failure = (response, what) => new BackendError(`registry ${baseUrl} ${what} failed (HTTP ${response.status}): ${errorText(response)}`);
  return {
    baseUrl,
    async getManifest(path6, reference, signal) {
      const url = `/v2/${path6}/manifests/${reference}`;
      const response = await authorized(
        { method: "GET", url, headers: { Accept: MANIFEST_MEDIA_TYPES.join(", ") } },
        signal
      );
      if (response.status === 404) return void 0;
      if (response.status !== 200) throw failure(response, `GET ${url}`);
      const body = Buffer.from(response.data);
      const digest = headerValue(response, "docker-content-digest") ?? `sha256:${createHash("sha256").update(body).digest("hex")}`;
      const mediaType = (headerValue(response, "content-type") ?? "").split(";")[0] ?? "";
      return { digest, mediaType, body };
    },
    async getBlob(path6, digest, signal) {
      const url = `/v2/${path6}/blobs/${digest}`;
      const response = await authorized({ method: "GET", url }, signal);
      if (response.status !== 200) throw failure(response, `GET ${url}`);
      return Buffer.from(response.data);
    },
    async putManifest(path6, tag, manifest, signal) {
      const url = `/v2/${path6}/manifests/${tag}`;
      const response = await authorized(
        { method: "PUT", url, data: manifest.body, headers: { "Content-Type": manifest.mediaType } },
        signal
      );
      if (response.status !== 201 && response.status !== 200) throw failure(response, `PUT ${url}`);
    }
  };
}
function headerValue(response, name) {
  const value = response.headers[name];
  return typeof value === "string" && value ? value : void 0;
}
function errorText(response) {
  const text = Buffer.from(response.data ?? []).toString("utf8").trim().replace(/\s+/g, " ");
  return text.length > 300 ? `${text.slice(0, 300)}\u2026` : text || "(empty body)";
}
function redactQuery(url) {
  return url.split("?")[0] ?? url;
}

// src/image/failure.ts
var NETWORK = /dial tcp|connection refused|connection reset|i\/o timeout|no such host|TLS handshake|server misbehaving|pinging container registry|failed to do request|network is unreachable|50[234] (Bad Gateway|Service Unavailable|Gateway Timeout)/i;
var AUTH = /unauthorized|authentication required|requested access to the resource is denied|insufficient_scope|denied:/i;
var CONTAINERFILE = /building at STEP|Unknown instruction|dockerfile parse error|parse error on line|failed to parse|did not complete successfully|failed to compute cache key|failed to read dockerfile|no build stage|target stage .* could not be found|invalid reference format|error building at|COPY failed/i;
function builderFailure(tool, step, code, output) {
  const text = lastLines(output) || "(no output)";
  const message = `${tool} ${step} failed (${code === null ? "killed" : `exit ${code}`}):
${text}`;
  if (NETWORK.test(output)) return new BackendError(message);
  if (AUTH.test(output)) return new RegistryAuthError("--registry-username", message);
  if (step === "build" && CONTAINERFILE.test(output)) return new ConfigError("--file", message);
  return new BackendError(message);
}

// src/image/buildah.ts
var DEFAULT_BUILDAH_OPTIONS = { storageDriver: "vfs", isolation: "chroot" };
function buildahBuildArgs(request, options, files) {
  const args = ["build", "--storage-driver", options.storageDriver, "--isolation", options.isolation];
  args.push("-f", request.file);
  for (const tag of request.tags) args.push("-t", tag);
  for (const [key, value] of Object.entries(request.labels)) args.push("--label", `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push("--build-arg", `${key}=${value}`);
  if (request.target) args.push("--target", request.target);
  if (request.platform) args.push("--platform", request.platform);
  if (files.authFile) args.push("--authfile", files.authFile);
  if (request.insecureRegistry) args.push("--tls-verify=false");
  args.push("--iidfile", files.iidFile, request.context);
  return args;
}
function buildahPushArgs(tag, options, files) {
  const args = ["push", "--storage-driver", options.storageDriver, "--digestfile", files.digestFile];
  if (files.insecure) args.push("--tls-verify=false");
  if (files.authFile) args.push("--authfile", files.authFile);
  args.push(tag, `docker://${tag}`);
  return args;
}
function createBuildahBuilder(deps, options = DEFAULT_BUILDAH_OPTIONS) {
  return {
    name: "buildah",
    build: (request, signal) => withTempDir(async (dir) => {
      const authFile = request.credentials ? await writeAuthFile(dir, request.image.registry, request.credentials) : void 0;
      const iidFile = path3.join(dir, "iid");
      const build = await runLogged(
        deps,
        "buildah",
        buildahBuildArgs(request, options, { iidFile, authFile }),
        {
          signal
        }
      );
      if (build.code !== 0) throw builderFailure("buildah", "build", build.code, build.output);
      const imageId = normaliseDigest((await readFile2(iidFile, "utf8")).trim());
      const base = {
        image: request.image.repository,
        tags: request.tags,
        skipped: false,
        labels: request.labels
      };
      if (!request.push)
        return { ...base, digest: imageId, reference: request.tags[0] ?? "", pushed: false };
      const digests = /* @__PURE__ */ new Set();
      for (const [index, tag] of request.tags.entries()) {
        const digestFile = path3.join(dir, `digest-${index}`);
        const push = await runLogged(
          deps,
          "buildah",
          buildahPushArgs(tag, options, { digestFile, authFile, insecure: request.insecureRegistry }),
          { signal }
        );
        if (push.code !== 0) throw builderFailure("buildah", "push", push.code, push.output);
        digests.add(normaliseDigest((await readFile2(digestFile, "utf8")).trim()));
      }
      const [digest = "", ...others] = digests;
      if (others.length > 0) {
        throw new BackendError(
          `buildah pushed the tags of one image with different digests: ${[...digests].join(", ")}`
        );
      }
      return {
        ...base,
        digest,
        reference: digestReference(request.image.repository, digest),
        pushed: true
      };
    })
  };
}
function normaliseDigest(value) {
  return value.startsWith("sha256:") ? value : `sha256:${value}`;
}

// src/image/docker.ts
import { readFile as readFile3 } from "node:fs/promises";
import path4 from "node:path";
var DOCKER_CACHE_MODES = ["auto", "gha", "registry", "none"];
var DEFAULT_DOCKER_OPTIONS = { cache: "auto" };
function cacheArgs(mode, repository, env) {
  const onGitHub = env.GITHUB_ACTIONS === "true" && !!env.ACTIONS_RUNTIME_TOKEN;
  const effective = mode === "auto" ? onGitHub ? "gha" : "none" : mode;
  if (effective === "gha") return ["--cache-from", "type=gha", "--cache-to", "type=gha,mode=max"];
  if (effective === "registry") {
    const ref = `${repository}:buildcache`;
    return ["--cache-from", `type=registry,ref=${ref}`, "--cache-to", `type=registry,ref=${ref},mode=max`];
  }
  return [];
}
function dockerBuildArgs(request, options, env, metadataFile) {
  const args = ["buildx", "build", "--file", request.file];
  for (const tag of request.tags) args.push("--tag", tag);
  for (const [key, value] of Object.entries(request.labels)) args.push("--label", `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push("--build-arg", `${key}=${value}`);
  if (request.target) args.push("--target", request.target);
  if (request.platform) args.push("--platform", request.platform);
  args.push("--metadata-file", metadataFile);
  if (!request.push) args.push("--load");
  else if (request.insecureRegistry) {
    args.push("--output", `type=image,"name=${request.tags.join(",")}",push=true,registry.insecure=true`);
  } else args.push("--push");
  args.push(...cacheArgs(options.cache, request.image.repository, env));
  args.push(request.context);
  return args;
}
function dockerLoginArgs(registry, username) {
  return ["login", "--username", username, "--password-stdin", registry];
}
function createDockerBuilder(deps, options = DEFAULT_DOCKER_OPTIONS) {
  if (!DOCKER_CACHE_MODES.includes(options.cache)) {
    throw new ConfigError(
      "--cache",
      `${JSON.stringify(options.cache)} is not one of ${DOCKER_CACHE_MODES.join(", ")}`
    );
  }
  return {
    name: "docker",
    build: (request, signal) => withTempDir(async (dir) => {
      if (request.credentials && request.push) {
        const login = await runLogged(
          deps,
          "docker",
          dockerLoginArgs(request.image.registry, request.credentials.username),
          {
            signal,
            stdin: request.credentials.password
          }
        );
        if (login.code !== 0) throw builderFailure("docker", "push", login.code, login.output);
      }
      const metadataFile = path4.join(dir, "metadata.json");
      const build = await runLogged(
        deps,
        "docker",
        dockerBuildArgs(request, options, deps.env, metadataFile),
        {
          signal
        }
      );
      if (build.code !== 0) throw builderFailure("docker", "build", build.code, build.output);
      const digest = readDigest(await readFile3(metadataFile, "utf8"), request.push);
      const base = {
        image: request.image.repository,
        tags: request.tags,
        skipped: false,
        labels: request.labels
      };
      return request.push ? { ...base, digest, reference: digestReference(request.image.repository, digest), pushed: true } : { ...base, digest, reference: request.tags[0] ?? "", pushed: false };
    })
  };
}
function readDigest(metadataJson, pushed) {
  const metadata = JSON.parse(metadataJson);
  const digest = metadata["containerimage.digest"] ?? (pushed ? void 0 : metadata["containerimage.config.digest"]);
  if (typeof digest !== "string" || !digest.startsWith("sha256:")) {
    throw new BackendError(
      `docker buildx wrote no containerimage.digest in its metadata file: ${metadataJson.slice(0, 300)}`
    );
  }
  return digest;
}

// src/image/none.ts
function createNoneBuilder(deps, clientFactory = createRegistryClient) {
  return {
    name: "none",
    async build(request, signal) {
      const { image } = request;
      const tag = image.tag ?? (image.digest ? void 0 : "latest");
      const tags = tag ? [taggedReference(image.repository, tag)] : [];
      const result = (digest2) => ({
        image: image.repository,
        digest: digest2,
        tags,
        reference: digest2 ? digestReference(image.repository, digest2) : tags[0] ?? image.repository,
        skipped: true,
        pushed: true,
        labels: {}
      });
      if (image.digest) return result(image.digest);
      const digest = await resolveTag(
        clientFactory,
        image.registry,
        image.path,
        tag ?? "latest",
        request,
        signal
      ).catch((error) => {
        if (!(error instanceof CanaryError)) throw error;
        deps.log.warning(`could not resolve ${tags[0]} to a digest, deploying the tag: ${error.message}`);
        return "";
      });
      if (digest) deps.log.info(`${tags[0]} is ${digest}`);
      else if (digest === void 0)
        deps.log.warning(`${tags[0]} was not found in the registry; deploying the tag as given`);
      return result(digest ?? "");
    }
  };
}
async function resolveTag(clientFactory, registry, path6, tag, request, signal) {
  const client = clientFactory({
    registry,
    insecure: request.insecureRegistry,
    retries: 1,
    ...request.credentials ? { credentials: request.credentials } : {}
  });
  return (await client.getManifest(path6, tag, signal))?.digest;
}

// src/image/builders.ts
var BUILDERS = createRegistry("builder", {
  docker: (deps, settings) => createDockerBuilder(deps, { ...DEFAULT_DOCKER_OPTIONS, ...settings.docker }),
  buildah: (deps, settings) => createBuildahBuilder(deps, { ...DEFAULT_BUILDAH_OPTIONS, ...settings.buildah }),
  none: (deps) => createNoneBuilder(deps)
});
function createBuilder(name, deps, settings = {}) {
  return BUILDERS.get(name, "--builder")(deps, settings);
}

// src/image/existing.ts
var INDEX_TYPES = /* @__PURE__ */ new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json"
]);
async function labelsOf(client, path6, manifest, signal) {
  let current = manifest;
  const parsed = () => JSON.parse(current.body.toString("utf8"));
  if (INDEX_TYPES.has(current.mediaType) || Array.isArray(parsed().manifests)) {
    const first = parsed().manifests?.find(
      (m) => typeof m.digest === "string"
    );
    const child = first?.digest ? await client.getManifest(path6, first.digest, signal) : void 0;
    if (!child) return {};
    current = child;
  }
  const configDigest = parsed().config?.digest;
  if (typeof configDigest !== "string") return {};
  const config = JSON.parse((await client.getBlob(path6, configDigest, signal)).toString("utf8"));
  return config.config?.Labels ?? {};
}
async function findExistingImage(client, path6, tags, revision, signal) {
  const found = /* @__PURE__ */ new Map();
  for (const tag of tags) found.set(tag, await client.getManifest(path6, tag, signal));
  for (const manifest of found.values()) {
    if (!manifest) continue;
    const labels = await labelsOf(client, path6, manifest, signal);
    if (labels[REVISION_LABEL] !== revision) continue;
    const missingTags = tags.filter((tag) => found.get(tag)?.digest !== manifest.digest);
    return { manifest, labels, missingTags };
  }
  return void 0;
}

// src/image/tags.ts
var MAX_TAG_LENGTH = 128;
var SHORT_SHA_LENGTH = 7;
var TEMPLATE_VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
var TEMPLATE_VARIABLES = ["sha", "short_sha", "branch"];
var DEFAULT_TAG_TEMPLATES = ["{{sha}}", "{{branch}}-{{short_sha}}"];
function branchSlug(branch, maxLength = MAX_TAG_LENGTH) {
  const folded = branch.replace(/^refs\/(heads|tags)\//, "").normalize("NFKD").replace(new RegExp("\\p{M}", "gu"), "").toLowerCase();
  const slug = folded.replace(/[^a-z0-9._-]+/gu, "-");
  return trimEdges(trimEdges(slug).slice(0, maxLength));
}
function trimEdges(text) {
  return text.replace(/^[.-]+/, "").replace(/[.-]+$/, "");
}
function renderTag(template, variables, field = "--tag") {
  const used = [...template.matchAll(TEMPLATE_VARIABLE)].map((match) => match[1] ?? "");
  const unknown = used.find((name) => !TEMPLATE_VARIABLES.includes(name));
  if (unknown !== void 0) {
    throw new ConfigError(
      field,
      `unknown template variable {{${unknown}}} in ${JSON.stringify(template)}; expected {{sha}}, {{short_sha}} or {{branch}}`
    );
  }
  const branchUses = used.filter((name) => name === "branch").length;
  const fill = (branch) => template.replace(
    TEMPLATE_VARIABLE,
    (_match, name) => name === "sha" ? variables.sha : name === "short_sha" ? variables.sha.slice(0, SHORT_SHA_LENGTH) : branch
  );
  let tag = fill("");
  if (branchUses > 0) {
    const room = Math.floor((MAX_TAG_LENGTH - tag.length) / branchUses);
    const slug = branchSlug(variables.branch, Math.max(0, room));
    if (!slug) {
      throw new ConfigError(
        field,
        `${JSON.stringify(template)} uses {{branch}} but the branch ${JSON.stringify(variables.branch)} gives no usable tag; pass --branch or change the template`
      );
    }
    tag = fill(slug);
  }
  if (!TAG_PATTERN.test(tag)) {
    throw new ConfigError(
      field,
      `${JSON.stringify(template)} renders to ${JSON.stringify(tag)}, which is not a valid tag (expected [A-Za-z0-9_][A-Za-z0-9_.-]*, at most ${MAX_TAG_LENGTH} characters)`
    );
  }
  return tag;
}
function imageTags(templates, variables) {
  const chosen = templates.length > 0 ? templates : DEFAULT_TAG_TEMPLATES.filter((t) => !t.includes("{{branch}}") || branchSlug(variables.branch));
  return [...new Set(chosen.map((template) => renderTag(template, variables)))];
}

// src/image/run-build.ts
async function runBuild(options, platform, signal) {
  const credentials = explicitCredentials(options, platform);
  const cwd = options.cwd ?? process.cwd();
  const runner = options.runner ?? createProcessRunner();
  const deps = { runner, log: platform, env: options.env };
  const builder = createBuilder(options.builder, deps, options.settings);
  const image = parseImageReference(options.image);
  const base = { push: options.push ?? true, insecureRegistry: options.insecureRegistry ?? false };
  if (builder.name === "none") {
    const request2 = {
      image,
      tags: [],
      context: cwd,
      file: "",
      buildArgs: {},
      labels: {},
      ...base,
      ...credentials ? { credentials } : {}
    };
    return platform.group(`Image ${options.image} (no build)`, () => builder.build(request2, signal));
  }
  if (image.tag || image.digest) {
    throw new ConfigError(
      "--image",
      `${JSON.stringify(options.image)}: give the repository only; tags come from --tag`
    );
  }
  const context = path5.resolve(cwd, options.context ?? ".");
  await requireDirectory(context);
  const file = await containerfile(context, options.file ? path5.resolve(cwd, options.file) : void 0);
  const source = await resolveSource(options, options.env, runner, context);
  const tags = imageTags(options.tags ?? [], { sha: source.revision, branch: source.branch });
  const labels = ociLabels(
    source,
    tags[0] ?? source.revision,
    (options.now ?? (() => /* @__PURE__ */ new Date()))(),
    options.labels
  );
  const request = {
    image,
    tags: tags.map((tag) => taggedReference(image.repository, tag)),
    context,
    file,
    buildArgs: options.buildArgs ?? {},
    labels,
    ...base,
    ...options.target ? { target: options.target } : {},
    ...options.platform ? { platform: options.platform } : {},
    ...credentials ? { credentials } : {}
  };
  return platform.group(
    `Build ${image.repository} (${builder.name}, revision ${source.revision})`,
    async () => {
      if (request.push && !options.rebuild) {
        const lookup = credentials ?? await readStoredCredentials(image.registry, options.env);
        if (lookup) platform.addSecret(lookup.password);
        const client = (options.registryClient ?? createRegistryClient)({
          registry: image.registry,
          insecure: request.insecureRegistry,
          ...lookup ? { credentials: lookup } : {}
        });
        const existing = await existingBuild(client, image, tags, source.revision, platform, signal);
        if (existing) return existing;
      }
      const result = await builder.build(request, signal);
      platform.info(
        result.pushed ? `Built and pushed ${result.reference} as ${result.tags.join(", ")}` : `Built ${result.tags.join(", ")} (image ${result.digest}), not pushed (--no-push)`
      );
      return result;
    }
  );
}
async function existingBuild(client, image, tags, revision, platform, signal) {
  let existing;
  try {
    existing = await findExistingImage(client, image.path, tags, revision, signal);
  } catch (error) {
    if (!(error instanceof RegistryAuthError)) throw error;
    platform.warning(`cannot look for an existing image, building: ${error.message}`);
    return void 0;
  }
  if (!existing) return void 0;
  for (const tag of existing.missingTags)
    await client.putManifest(image.path, tag, existing.manifest, signal);
  const reference = digestReference(image.repository, existing.manifest.digest);
  platform.info(
    `Skipped the build: ${reference} is already built for revision ${revision}${existing.missingTags.length ? ` (tagged ${existing.missingTags.join(", ")})` : ""}; pass --rebuild to build it again`
  );
  return {
    image: image.repository,
    digest: existing.manifest.digest,
    tags: tags.map((tag) => taggedReference(image.repository, tag)),
    reference,
    skipped: true,
    pushed: true,
    labels: existing.labels
  };
}
function explicitCredentials(options, platform) {
  const { env } = options;
  let username = options.registryUsername ?? env.CANARY_REGISTRY_USERNAME;
  let password = options.registryPassword ?? env.CANARY_REGISTRY_PASSWORD;
  if (!username && !password && env.CI_REGISTRY && options.image.startsWith(`${env.CI_REGISTRY}/`)) {
    username = env.CI_REGISTRY_USER;
    password = env.CI_REGISTRY_PASSWORD;
  }
  if (password) {
    platform.addSecret(password);
    if (username) platform.addSecret(`${username}:${password}`);
  }
  if (!username && !password) return void 0;
  if (!username) throw new ConfigError("--registry-username", "is required with a registry password");
  if (!password) {
    throw new ConfigError(
      "--registry-password",
      `is required with --registry-username ${JSON.stringify(username)} (or set CANARY_REGISTRY_PASSWORD)`
    );
  }
  return { username, password };
}
async function requireDirectory(dir) {
  const info = await stat(dir).catch(() => void 0);
  if (!info?.isDirectory()) throw new ConfigError("--context", `${JSON.stringify(dir)} is not a directory`);
}
async function containerfile(context, given) {
  const candidates = given ? [given] : [path5.join(context, "Containerfile"), path5.join(context, "Dockerfile")];
  for (const candidate of candidates) {
    if ((await stat(candidate).catch(() => void 0))?.isFile()) return candidate;
  }
  throw new ConfigError(
    "--file",
    given ? `${JSON.stringify(given)} is not a file` : `no Containerfile or Dockerfile in ${JSON.stringify(context)}; pass --file`
  );
}

export {
  parseKeyValues,
  runBuild
};
