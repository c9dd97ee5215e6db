import * as core from '@actions/core';
import { Redactor, defuseCommands } from '../util/redact.ts';
import type { Platform } from './types.ts';

/**
 * The GitHub runner: masked secrets, log groups, annotations and step outputs via @actions/core. The
 * runner's mask covers the log only, and only the exact value: the redactor covers every file and
 * every form, and no logged line can be read as a workflow command.
 */
export function createGitHubPlatform(): Platform {
  const redactor = new Redactor();
  const clean = (text: string) => defuseCommands(redactor.redact(text));
  return {
    name: 'github',
    addSecret: (value) => {
      if (value) core.setSecret(value);
      redactor.add(value);
    },
    redact: redactor.redact,
    info: (message) => core.info(clean(message)),
    warning: (message) => core.warning(clean(message)),
    error: (message) => core.error(clean(message)),
    group: (title, fn) => core.group(clean(title), fn),
    setOutput: (name, value) => core.setOutput(name, value),
  };
}

/** The run's page: GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID. */
export function githubRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}
