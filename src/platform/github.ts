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
