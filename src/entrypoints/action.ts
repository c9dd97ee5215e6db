/**
 * GitHub Action main step: the inputs become the settings of `mode`'s command (src/config/inputs-settings.ts),
 * run in-process by the same Command objects as the CLI, on the GitHub platform (masked secrets, log
 * groups, annotations, step outputs); then the job summary, the Deployment status and the state the post
 * step needs to roll back a canary this job left live. Exports `run()`, as GitHub's action template does
 * (what `@github/local-action` calls); run as a script (the runner: `node dist/action.js`), it runs it.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import * as core from '@actions/core';
import { settingsFromFlags } from '../cli/settings.ts';
import { describeCommandLine, flagValuesFromInputs, parseMode } from '../config/inputs-settings.ts';
import type { Mode } from '../config/inputs.ts';
import { runIdentity } from '../pipeline/request.ts';
import { canaryStateAfter, saveActionState } from '../platform/action-state.ts';
import { deploymentStateFor, type DeploymentTracker } from '../platform/github-deployments.ts';
import { jobSummary } from '../platform/github-summary.ts';
import { createGitHubPlatform, githubRunUrl } from '../platform/github.ts';
import { prepareKubeconfig, type PreparedKubeconfig } from '../platform/kubeconfig-input.ts';
import type { Platform } from '../platform/types.ts';
import type { Command } from '../cli/command.ts';
import { PACKAGE } from '../version.ts';
import { readInput, saveState, startGitHubDeployment } from './action-inputs.ts';
import { abortOnSignals, describeError, executeCommand, type Execution } from './execute.ts';
import { isMainModule } from './main-module.ts';

const RELEASING: readonly Mode[] = ['run', 'deploy'];

/** Reads the inputs, prepares the kubeconfig, saves the post step's state and runs the mode's command. */
async function execute(
  platform: Platform,
  signal: AbortSignal,
): Promise<{ mode: Mode; execution: Execution; deployment?: DeploymentTracker }> {
  let mode: Mode = 'run';
  let kubeconfig: PreparedKubeconfig | undefined;
  let deployment: DeploymentTracker | undefined;
  try {
    // Every secret input is read (and so masked) before anything is logged.
    for (const name of ['kubeconfig', 'registry_password', 'github_token']) readInput(name);
    mode = parseMode(readInput('mode'));
    kubeconfig = await prepareKubeconfig(readInput('kubeconfig'), {
      tempRoot: process.env.RUNNER_TEMP || os.tmpdir(),
    });
    kubeconfig.secrets.forEach((secret) => platform.addSecret(secret));
    const identity = runIdentity(process.env);
    saveActionState(
      {
        mode,
        runId: identity.runId,
        config: readInput('config'),
        workload: readInput('workload'),
        namespace: readInput('namespace'),
        kubeContext: readInput('kube_context'),
        kubeconfigSource: kubeconfig.source,
        kubeconfigPath: kubeconfig.source === 'path' ? (kubeconfig.path ?? '') : '',
        kubeconfigTempDir: kubeconfig.tempDir ?? '',
        canary: 'none',
      },
      saveState,
    );
    const path = kubeconfig.path;
    const flags = flagValuesFromInputs(mode, (name) =>
      name === 'kubeconfig' ? (path ?? '') : readInput(name),
    );
    const releasing = RELEASING.includes(mode) && flags['dry-run'] !== true;
    // Without GITHUB_RUN_ID the CLI would make up a run id: pass ours, so the post step finds the canary.
    if (RELEASING.includes(mode) && !process.env.GITHUB_RUN_ID) flags['run-id'] = identity.runId;
    const reportPath = readInput('report');
    if (reportPath && flags.report !== undefined) await rm(reportPath, { force: true });
    if (releasing) saveState('canary', 'started');
    deployment = await startGitHubDeployment(mode, platform, githubRunUrl(process.env));
    platform.info(describeCommandLine(mode, flags));
    const settingsFor = (command: Command) => settingsFromFlags(command.name, flags);
    const execution = await executeCommand(mode, settingsFor, { env: process.env, platform, signal });
    const { outcome } = execution.outputs;
    if (releasing && execution.exitCode !== 130 && outcome) saveState('canary', canaryStateAfter(outcome));
    return { mode, execution, ...(deployment ? { deployment } : {}) };
  } catch (error) {
    const execution = { exitCode: 2, message: platform.redact(describeError(error)), outputs: {} };
    return { mode, execution, ...(deployment ? { deployment } : {}) };
  } finally {
    await kubeconfig?.cleanup();
  }
}

/** The job summary, the Deployment's final status and the step's failure, from what the command returned. */
async function conclude(
  platform: Platform,
  mode: Mode,
  execution: Execution,
  deployment?: DeploymentTracker,
): Promise<void> {
  const { exitCode, message, outputs, report } = execution;
  const runUrl = githubRunUrl(process.env);
  const summary = jobSummary({
    mode,
    exitCode,
    ...(message ? { message } : {}),
    outputs,
    ...(report ? { report } : {}),
    links: { ...(runUrl ? { runUrl } : {}), ...(outputs.report ? { reportPath: outputs.report } : {}) },
  });
  await core.summary
    .addRaw(platform.redact(summary))
    .write()
    .catch((error: Error) => core.warning(`could not write the job summary: ${error.message}`));
  await deployment?.setStatus(
    deploymentStateFor(exitCode),
    platform.redact(report?.reason ?? message ?? `canary-action ${mode}`),
  );
  if (exitCode !== 0) {
    const reason = message ?? report?.reason ?? `canary-action ${mode} failed`;
    core.setFailed(platform.redact(`${reason} (exit code ${exitCode})`));
  }
}

export async function run(): Promise<void> {
  core.info(`canary-action ${PACKAGE.version} on Node ${process.version}`);
  const signals = abortOnSignals();
  const platform = createGitHubPlatform();
  const { mode, execution, deployment } = await execute(platform, signals.signal).finally(() =>
    signals.dispose(),
  );
  await conclude(platform, mode, execution, deployment);
}

if (isMainModule(import.meta)) await run();
