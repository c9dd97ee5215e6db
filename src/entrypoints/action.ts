import * as core from '@actions/core';
import { withOverrides } from '../cli/analyze.ts';
import { loadConfigFile } from '../config/load.ts';
import { runAnalyzeCommand } from '../pipeline/analyze-command.ts';
import { createGitHubPlatform } from '../platform/github.ts';
import { systemClock } from '../util/clock.ts';
import { CanaryError, ConfigError, exitCodeOf } from '../util/errors.ts';

/** GitHub Action main step. For now it runs the analysis engine (`mode: analyze`), like the CLI. */
async function run(): Promise<void> {
  const platform = createGitHubPlatform();
  try {
    const mode = core.getInput('mode') || 'analyze';
    if (mode !== 'analyze')
      throw new ConfigError('mode', `expected "analyze" (the only mode so far), got ${JSON.stringify(mode)}`);
    const configFile = core.getInput('config', { required: true });
    const config = withOverrides(await loadConfigFile(configFile, process.env), {
      namespace: core.getInput('namespace'),
      workload: core.getInput('workload'),
    });
    const report = core.getInput('report');
    const { exitCode, report: result } = await runAnalyzeCommand({
      config,
      platform,
      clock: systemClock,
      ...(report ? { reportFile: report } : {}),
    });
    if (exitCode !== 0)
      core.setFailed(`canary analysis ${result.outcome}: ${result.reason} (exit code ${exitCode})`);
  } catch (error) {
    const message = error instanceof CanaryError ? error.message : String(error);
    core.setFailed(`${message} (exit code ${exitCodeOf(error)})`);
  }
}

await run();
