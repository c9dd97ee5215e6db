import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  ConfigError
} from "./chunk-4WLXK7BF.js";

// src/image/revision.ts
var REVISION_PATTERN = /^[0-9a-f]{7,64}$/;
function sourceFromEnv(env) {
  const nonEmpty = (value) => value ? value : void 0;
  const github = {
    revision: nonEmpty(env.GITHUB_SHA),
    // On pull_request events GITHUB_REF_NAME is `123/merge`; the source branch is GITHUB_HEAD_REF.
    branch: nonEmpty(env.GITHUB_HEAD_REF) ?? nonEmpty(env.GITHUB_REF_NAME),
    sourceUrl: env.GITHUB_REPOSITORY && env.GITHUB_SERVER_URL ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : void 0
  };
  const gitlab = {
    revision: nonEmpty(env.CI_COMMIT_SHA),
    branch: nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME) ?? nonEmpty(env.CI_COMMIT_REF_NAME),
    sourceUrl: nonEmpty(env.CI_PROJECT_URL)
  };
  const pick = (key) => github[key] ?? gitlab[key];
  const result = {};
  const revision = pick("revision");
  const branch = pick("branch");
  const sourceUrl = pick("sourceUrl");
  if (revision) result.revision = revision;
  if (branch) result.branch = branch;
  if (sourceUrl) result.sourceUrl = sourceUrl;
  return result;
}
async function resolveSource(flags, env, runner, cwd) {
  const fromEnv = sourceFromEnv(env);
  const git = async (args) => {
    try {
      const result = await runner.run("git", args, { cwd });
      return result.code === 0 ? result.stdout.trim() : "";
    } catch {
      return "";
    }
  };
  const revision = (flags.revision ?? fromEnv.revision ?? await git(["rev-parse", "HEAD"])).toLowerCase();
  if (!revision) {
    throw new ConfigError(
      "--revision",
      "no commit found: not in a git checkout and neither GITHUB_SHA nor CI_COMMIT_SHA is set; pass --revision SHA"
    );
  }
  if (!REVISION_PATTERN.test(revision)) {
    throw new ConfigError(
      "--revision",
      `${JSON.stringify(revision)} is not a commit sha (expected 7 to 64 hex digits)`
    );
  }
  const branch = flags.branch ?? fromEnv.branch ?? await git(["branch", "--show-current"]);
  return { revision, branch, ...fromEnv.sourceUrl ? { sourceUrl: fromEnv.sourceUrl } : {} };
}

// src/image/reference.ts
var TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
function parseImageReference(text, field = "--image") {
  const fail = (why) => {
    throw new ConfigError(
      field,
      `${JSON.stringify(text)} is not an image reference: ${why} (expected [host[:port]/]path[:tag][@sha256:\u2026])`
    );
  };
  const [namePart = "", digest, ...extra] = text.split("@");
  if (extra.length > 0) fail('more than one "@"');
  if (digest !== void 0 && !DIGEST_PATTERN.test(digest))
    fail(`digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  const lastSlash = namePart.lastIndexOf("/");
  const lastColon = namePart.lastIndexOf(":");
  const hasTag = lastColon > lastSlash;
  const repository = hasTag ? namePart.slice(0, lastColon) : namePart;
  const tag = hasTag ? namePart.slice(lastColon + 1) : void 0;
  if (tag !== void 0 && !TAG_PATTERN.test(tag)) fail(`tag ${JSON.stringify(tag)} is not valid`);
  const components = repository.split("/");
  const first = components[0] ?? "";
  const hasHost = components.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasHost ? first : "docker.io";
  const pathComponents = hasHost ? components.slice(1) : components;
  if (hasHost && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(first))
    fail(`registry host ${JSON.stringify(first)} is not valid`);
  const bad = pathComponents.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== void 0)
    fail(`path component ${JSON.stringify(bad)} must be lower-case letters, digits and . _ -`);
  const path = registry === "docker.io" && pathComponents.length === 1 ? `library/${pathComponents[0]}` : pathComponents.join("/");
  return { registry, path, repository, ...tag !== void 0 ? { tag } : {}, ...digest ? { digest } : {} };
}
function taggedReference(repository, tag) {
  return `${repository}:${tag}`;
}
function digestReference(repository, digest) {
  return `${repository}@${digest}`;
}
function canonicalName(reference) {
  const registry = reference.registry === "index.docker.io" ? "docker.io" : reference.registry;
  const components = reference.path.split("/");
  const path = registry === "docker.io" && components.length === 1 ? `library/${reference.path}` : reference.path;
  return `${registry}/${path}`;
}
function repositoryOf(text) {
  try {
    return canonicalName(parseImageReference(text.trim(), "image"));
  } catch {
    return void 0;
  }
}
function versionOf(reference) {
  try {
    const parsed = parseImageReference(reference.trim(), "image");
    return parsed.tag ?? parsed.digest ?? reference;
  } catch {
    return reference;
  }
}
function resolveImage(image, digest) {
  const parsed = parseImageReference(image.trim(), "image");
  if (digest !== void 0 && !DIGEST_PATTERN.test(digest)) {
    throw new ConfigError("digest", `expected sha256:<64 hex>, got ${JSON.stringify(digest)}`);
  }
  if (parsed.digest) return { reference: image.trim(), digest: parsed.digest };
  if (digest) return { reference: `${image.trim().replace(/:[^/:]+$/, "")}@${digest}`, digest };
  if (parsed.tag === void 0) {
    throw new ConfigError(
      "image",
      `expected a tag or a digest in ${JSON.stringify(image)} (a bare repository needs the digest of a build step)`
    );
  }
  return { reference: image.trim() };
}

export {
  sourceFromEnv,
  resolveSource,
  TAG_PATTERN,
  parseImageReference,
  taggedReference,
  digestReference,
  repositoryOf,
  versionOf,
  resolveImage
};
