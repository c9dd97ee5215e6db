import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  defaultDurationMs
} from "./chunk-BZVD2643.js";
import {
  resolveImage,
  sourceFromEnv
} from "./chunk-NQDN36EP.js";
import {
  ConfigError,
  showValue
} from "./chunk-4WLXK7BF.js";

// src/pipeline/request.ts
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
var WORKLOAD_PATTERN = /^(deployment\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
function workloadName(value, source) {
  if (value === void 0) {
    throw new ConfigError("--workload", "is required: deployment/NAME (or the config key workload)");
  }
  const match = WORKLOAD_PATTERN.exec(value);
  if (!match?.[2] || match[2].length > 50) {
    throw new ConfigError(
      source,
      `expected deployment/NAME with a DNS-1123 name of at most 50 characters (room for "-baseline" and the pods' suffixes), got ${showValue(value)}`
    );
  }
  return match[2];
}
var NAMESPACE_PATTERN = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
function checkNamespace(value, source) {
  if (value === void 0 || NAMESPACE_PATTERN.test(value)) return value;
  throw new ConfigError(
    source,
    `expected a DNS-1123 label (1 to 63 lowercase letters, digits or "-", starting and ending with a letter or digit), got ${showValue(value)}${value.length > 80 ? ` (${value.length} characters)` : ""}`
  );
}
function kubeTarget(settings, config) {
  const namespace = settings.namespace !== void 0 ? checkNamespace(settings.namespace, "--namespace") : checkNamespace(config?.namespace, "namespace");
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
  workloadName,
  kubeTarget,
  runIdentity,
  lockHolderFor,
  lockWaitMs,
  releaseInputs
};
