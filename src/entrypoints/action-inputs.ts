/**
 * The action's input helper: inputs read (secret ones masked first), state saved for the post step, the
 * GitHub Deployment started from the inputs. What src/entrypoints/action.ts runs over.
 */
import * as core from '@actions/core';
import { inputNamed, type Mode } from '../config/inputs.ts';
import { startDeployment, type DeploymentTracker } from '../platform/github-deployments.ts';
import type { Platform } from '../platform/types.ts';

/** Reads an input; a secret one is masked before anything else can print it. */
const masked = new Set<string>();
export function readInput(name: string): string {
  const value = core.getInput(name);
  if (value && inputNamed(name).secret && !masked.has(value)) {
    masked.add(value);
    core.setSecret(value);
  }
  return value;
}

/**
 * core.saveState, and the same value as STATE_<name> in this process. The runner hands the state to the
 * post step, a new process, as STATE_* variables; @github/local-action runs the post step in this same
 * process and passes state only through its stub of @actions/core, which a bundled action does not load.
 */
export function saveState(name: string, value: string): void {
  core.saveState(name, value);
  process.env[`STATE_${name}`] = value;
}

const WITH_DEPLOYMENT: readonly Mode[] = ['run', 'deploy', 'promote'];

/** A GitHub Deployment for the `environment` input (run, deploy and promote with a `github_token`). */
export function startGitHubDeployment(
  mode: Mode,
  platform: Platform,
  runUrl?: string,
): Promise<DeploymentTracker> {
  const [owner = '', repo = ''] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const environmentUrl = readInput('environment_url');
  return startDeployment({
    token: WITH_DEPLOYMENT.includes(mode) ? readInput('github_token') : '',
    environment: readInput('environment'),
    owner,
    repo,
    sha: process.env.GITHUB_SHA ?? '',
    description: `canary-action ${mode}`,
    ...(runUrl ? { runUrl } : {}),
    ...(environmentUrl ? { environmentUrl } : {}),
    ...(process.env.GITHUB_API_URL ? { baseUrl: process.env.GITHUB_API_URL } : {}),
    onError: (message) => platform.warning(message),
  });
}
