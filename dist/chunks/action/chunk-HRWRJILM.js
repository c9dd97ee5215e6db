import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  ConfigError
} from "./chunk-NKUH3JOU.js";

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

export {
  sourceFromEnv,
  resolveSource
};
