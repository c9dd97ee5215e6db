/**
 * GitHub Action post step: when the job failed or was cancelled (input `status`, default
 * `${{ job.status }}`) and the main step left a canary live, roll it back with the same code as
 * `canary-action cleanup --all --run-id <this run>` (the rollback of this run's canary only); otherwise do
 * nothing and say why. Always removes the kubeconfig file the main step wrote. Exports `run()` like the
 * main step (dist/action.js).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import * as core from '@actions/core';
import { settingsFromFlags } from '../cli/settings.ts';
import { cleanupFlags, readActionState, reasonToSkip, isOwnTempDir } from '../platform/action-state.ts';
import { createGitHubPlatform } from '../platform/github.ts';
import { prepareKubeconfig, type PreparedKubeconfig } from '../platform/kubeconfig-input.ts';
import { PACKAGE } from '../version.ts';
import { abortOnSignals, describeError, executeCommand } from './execute.ts';
import { isMainModule } from './main-module.ts';

export async function run(): Promise<void> {
  core.info(`canary-action ${PACKAGE.version} post step on Node ${process.version}`);
  const state = readActionState(core.getState);
  const status = core.getInput('status');
  const platform = createGitHubPlatform();
  let kubeconfig: PreparedKubeconfig | undefined;
  try {
    const skip = reasonToSkip(status, state);
    if (skip) {
      platform.info(`canary-action post step: ${skip}.`);
      return;
    }
    const input = core.getInput('kubeconfig');
    if (input) platform.addSecret(input);
    kubeconfig =
      state.kubeconfigSource === 'content'
        ? await prepareKubeconfig(input, { tempRoot: process.env.RUNNER_TEMP || os.tmpdir() })
        : undefined;
    kubeconfig?.secrets.forEach((secret) => platform.addSecret(secret));
    const path = kubeconfig?.path ?? (state.kubeconfigSource === 'path' ? state.kubeconfigPath : undefined);
    platform.info(
      `canary-action post step: the job is ${status}; rolling back the canary of run ${state.runId}.`,
    );
    const signals = abortOnSignals();
    const execution = await platform
      .group('Roll back (post step)', () =>
        executeCommand('cleanup', () => settingsFromFlags('cleanup', cleanupFlags(state, path, status)), {
          env: process.env,
          platform,
          signal: signals.signal,
        }),
      )
      .finally(() => signals.dispose());
    if (execution.exitCode !== 0)
      core.setFailed(
        `rolling back the canary failed: ${execution.message ?? 'see the log'} (exit code ${execution.exitCode})`,
      );
  } catch (error) {
    core.setFailed(platform.redact(`rolling back the canary failed: ${describeError(error)}`));
  } finally {
    await kubeconfig?.cleanup();
    // The main step removes its file itself, unless it was killed first (a cancelled job).
    if (isOwnTempDir(state.kubeconfigTempDir) && existsSync(state.kubeconfigTempDir)) {
      await rm(state.kubeconfigTempDir, { recursive: true, force: true });
      core.info('removed the kubeconfig file the main step left behind');
    }
  }
}

if (isMainModule(import.meta)) await run();
