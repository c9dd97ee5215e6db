import * as core from '@actions/core';
import type { Platform } from './types.ts';

/** The GitHub runner: masked secrets, log groups, annotations and step outputs via @actions/core. */
export function createGitHubPlatform(): Platform {
  return {
    name: 'github',
    addSecret: (value) => {
      if (value) core.setSecret(value);
    },
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    error: (message) => core.error(message),
    group: (title, fn) => core.group(title, fn),
    setOutput: (name, value) => core.setOutput(name, value),
  };
}

/** The run's page: GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID. */
export function githubRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}
