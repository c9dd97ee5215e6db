import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  defaultDurationMs
} from "./chunk-GMD6YTNY.js";
import {
  sourceFromEnv
} from "./chunk-HRWRJILM.js";
import {
  ConfigError
} from "./chunk-NKUH3JOU.js";

// src/pipeline/request.ts
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";

// src/pipeline/image.ts
var DIGEST = /^sha256:[a-f0-9]{64}$/;
function parseImage(reference) {
  const [name = "", digest, ...rest] = reference.trim().split("@");
  if (!name || rest.length > 0 || digest !== void 0 && !DIGEST.test(digest)) {
    throw new ConfigError(
      "image",
      `expected an image reference such as registry/name:tag or name@sha256:<64 hex>, got ${JSON.stringify(reference)}`
    );
  }
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : void 0;
  if (!/^[a-z0-9]+([._/:-][a-z0-9]+|__[a-z0-9]+)*$/i.test(repository) || tag !== void 0 && !/^[\w][\w.-]{0,127}$/.test(tag)) {
    throw new ConfigError(
      "image",
      `expected an image reference such as registry/name:tag or name@sha256:<64 hex>, got ${JSON.stringify(reference)}`
    );
  }
  return {
    repository: normaliseRepository(repository),
    ...tag === void 0 ? {} : { tag },
    ...digest === void 0 ? {} : { digest }
  };
}
function normaliseRepository(repository) {
  const [first = "", ...path] = repository.split("/");
  const isRegistry = path.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (isRegistry)
    return repository.toLowerCase().startsWith("index.docker.io/") ? `docker.io/${path.join("/")}` : repository;
  return path.length === 0 ? `docker.io/library/${first}` : `docker.io/${repository}`;
}
function sameRepository(a, b) {
  try {
    return parseImage(a).repository === parseImage(b).repository;
  } catch {
    return false;
  }
}
function resolveImage(image, digest) {
  const parsed = parseImage(image);
  if (digest !== void 0 && !DIGEST.test(digest)) {
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
function versionOf(reference) {
  try {
    const parsed = parseImage(reference);
    return parsed.tag ?? parsed.digest ?? reference;
  } catch {
    return reference;
  }
}

// src/pipeline/request.ts
var WORKLOAD_PATTERN = /^(deployment\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
function workloadName(value, source) {
  if (value === void 0) {
    throw new ConfigError("--workload", "is required: deployment/NAME (or the config key workload)");
  }
  const match = WORKLOAD_PATTERN.exec(value);
  if (!match?.[2] || match[2].length > 50) {
    throw new ConfigError(
      source,
      `expected deployment/NAME with a DNS-1123 name of at most 50 characters, got ${JSON.stringify(value)}`
    );
  }
  return match[2];
}
function kubeTarget(settings, config) {
  const namespace = settings.namespace ?? config?.namespace;
  return {
    ...settings.kubeconfig ? { kubeconfig: settings.kubeconfig } : {},
    ...settings.kubeContext ? { context: settings.kubeContext } : {},
    ...namespace ? { namespace } : {}
  };
}
function resolveRevision(flag, env, git = gitHead) {
  const revision = flag ?? sourceFromEnv(env).revision ?? git();
  if (!revision) {
    throw new ConfigError(
      "--revision",
      "is required outside a git checkout and CI (GITHUB_SHA, CI_COMMIT_SHA not set)"
    );
  }
  if (!/^[\w.\-/]{1,128}$/.test(revision)) {
    throw new ConfigError(
      "--revision",
      `expected a commit id or version (letters, digits, ".", "-", "_", "/"), got ${JSON.stringify(revision)}`
    );
  }
  return revision;
}
function gitHead() {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"]
    }).trim();
  } catch {
    return void 0;
  }
}
function runIdentity(env, flag) {
  if (flag) return { runId: flag };
  if (env.GITHUB_RUN_ID) {
    const url = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : void 0;
    return {
      runId: `github-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
      ...url ? { runUrl: url } : {}
    };
  }
  if (env.CI_JOB_ID) {
    return { runId: `gitlab-${env.CI_JOB_ID}`, ...env.CI_JOB_URL ? { runUrl: env.CI_JOB_URL } : {} };
  }
  return { runId: `local-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}` };
}
var lockHolderFor = (runId) => `${runId}/${os.hostname()}/${process.pid}`;
function lockWaitMs(settings, config) {
  return settings.lockWaitMs ?? config?.lockWaitMs ?? defaultDurationMs("lockWait");
}
function releaseInputs(settings, config, env, now) {
  const aa = settings.aa ?? config.analysis.aa;
  const imageInput = settings.image ?? config.image;
  if (!imageInput && !aa)
    throw new ConfigError("--image", "is required (or the config key image): the new image reference");
  const { reference, digest } = imageInput && !aa ? resolveImage(imageInput, settings.digest) : { reference: "", digest: void 0 };
  const manifestPaths = settings.manifests;
  const paths = aa ? [] : manifestPaths.length > 0 ? manifestPaths : [...config.manifests ?? []];
  if (paths.length === 0 && !aa) {
    throw new ConfigError(
      "--manifests",
      "is required (or the config key manifests): files or directories of YAML"
    );
  }
  const identity = runIdentity(env, settings.runId);
  return {
    image: reference,
    manifestPaths: paths,
    aa,
    run: {
      ...identity,
      revision: resolveRevision(settings.revision, env),
      ...digest ? { digest } : {},
      startedAt: new Date(now).toISOString()
    }
  };
}

export {
  sameRepository,
  versionOf,
  workloadName,
  kubeTarget,
  runIdentity,
  lockHolderFor,
  lockWaitMs,
  releaseInputs
};
