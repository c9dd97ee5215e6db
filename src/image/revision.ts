/** Which commit and branch is being built: flags, else CI variables (GitHub, GitLab), else git. */
import { ConfigError } from '../util/errors.ts';
import type { CommandRunner } from './runner.ts';

export interface SourceInfo {
  /** Full commit sha, lower-case. */
  revision: string;
  /** Branch name as the CI or git reports it; '' when unknown (detached HEAD). */
  branch: string;
  /** Repository web URL for `org.opencontainers.image.source`, when known. */
  sourceUrl?: string;
}

export interface SourceFlags {
  revision?: string;
  branch?: string;
}

const REVISION_PATTERN = /^[0-9a-f]{7,64}$/;

/** CI variables only: GitHub first, then GitLab. Undefined fields were not set. */
export function sourceFromEnv(env: NodeJS.ProcessEnv): Partial<SourceInfo> {
  const nonEmpty = (value: string | undefined) => (value ? value : undefined);
  const github = {
    revision: nonEmpty(env.GITHUB_SHA),
    // On pull_request events GITHUB_REF_NAME is `123/merge`; the source branch is GITHUB_HEAD_REF.
    branch: nonEmpty(env.GITHUB_HEAD_REF) ?? nonEmpty(env.GITHUB_REF_NAME),
    sourceUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_SERVER_URL
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`
        : undefined,
  };
  const gitlab = {
    revision: nonEmpty(env.CI_COMMIT_SHA),
    branch: nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME) ?? nonEmpty(env.CI_COMMIT_REF_NAME),
    sourceUrl: nonEmpty(env.CI_PROJECT_URL),
  };
  const pick = <K extends keyof typeof github>(key: K) => github[key] ?? gitlab[key];
  const result: Partial<SourceInfo> = {};
  const revision = pick('revision');
  const branch = pick('branch');
  const sourceUrl = pick('sourceUrl');
  if (revision) result.revision = revision;
  if (branch) result.branch = branch;
  if (sourceUrl) result.sourceUrl = sourceUrl;
  return result;
}

/** Flags win over CI variables, which win over `git rev-parse HEAD` / `git branch --show-current` in `cwd`. */
export async function resolveSource(
  flags: SourceFlags,
  env: NodeJS.ProcessEnv,
  runner: CommandRunner,
  cwd: string,
): Promise<SourceInfo> {
  const fromEnv = sourceFromEnv(env);
  const git = async (args: string[]) => {
    try {
      const result = await runner.run('git', args, { cwd });
      return result.code === 0 ? result.stdout.trim() : '';
    } catch {
      return '';
    }
  };
  const revision = (flags.revision ?? fromEnv.revision ?? (await git(['rev-parse', 'HEAD']))).toLowerCase();
  if (!revision) {
    throw new ConfigError(
      '--revision',
      'no commit found: not in a git checkout and neither GITHUB_SHA nor CI_COMMIT_SHA is set; pass --revision SHA',
    );
  }
  if (!REVISION_PATTERN.test(revision)) {
    throw new ConfigError(
      '--revision',
      `${JSON.stringify(revision)} is not a commit sha (expected 7 to 64 hex digits)`,
    );
  }
  const branch = flags.branch ?? fromEnv.branch ?? (await git(['branch', '--show-current']));
  return { revision, branch, ...(fromEnv.sourceUrl ? { sourceUrl: fromEnv.sourceUrl } : {}) };
}
