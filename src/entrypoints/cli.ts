#!/usr/bin/env node
import { dirname } from 'node:path';
import { COMMANDS } from '../cli/commands.ts';
import type { Command } from '../cli/command.ts';
import { flagValuesFromArgv, settingsFromArgv, settingsFromFlags } from '../cli/settings.ts';
import { flagValuesFromInputs, mergeFlagValues, parseMode } from '../config/inputs-settings.ts';
import type { Settings } from '../config/settings.ts';
import { writeCiArtifacts } from '../platform/ci-outputs.ts';
import { createGitLabPlatform, createLocalPlatform } from '../platform/local.ts';
import type { Platform } from '../platform/types.ts';
import { ExitCode, exitCodeOf } from '../util/errors.ts';
import { PACKAGE } from '../version.ts';
import { abortOnSignals, describeError, executeCommand } from './execute.ts';

const EXIT_CODES =
  'Exit codes: 0 pass, 1 regression, 2 invalid input, 3 inconclusive (onInconclusive: fail), 4 infrastructure failure, 130 interrupted.';

const FROM_INPUTS = `from-inputs [MODE] [options]
  Runs MODE (default: $CANARY_INPUT_MODE) with the flags the inputs table maps from the variables
  CANARY_INPUT_<INPUT NAME> (how the GitLab component calls the CLI); further options are appended.
Files written when these variables name a path (any command): CANARY_DOTENV (outputs, GitLab dotenv),
CANARY_MARKDOWN_REPORT and CANARY_HTML_REPORT (the JSON report rendered).`;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`).join('\n');
  const details = COMMANDS.map((c) => `${c.name} options:\n${c.usage}`).join('\n\n');
  return `Usage: canary-action <command> [options]\n\nCommands:\n${list}\n\n${details}\n\n${FROM_INPUTS}\n\n  -h, --help      Show this help.\n  -v, --version   Print the version (${PACKAGE.name}).\n\n${EXIT_CODES}`;
}

interface Invocation {
  name: string | undefined;
  settingsFor: (command: Command) => Settings;
}

/**
 * The command and its settings: its own flags, or (`from-inputs [MODE] …`) the CANARY_INPUT_* variables
 * through the inputs table, with any further flags on top.
 */
function invocation(argv: readonly string[], env: NodeJS.ProcessEnv): Invocation {
  const [name, ...rest] = argv;
  if (name !== 'from-inputs') return { name, settingsFor: (command) => settingsFromArgv(command, rest) };
  const [first, ...others] = rest;
  const explicit = first !== undefined && !first.startsWith('-');
  const mode = parseMode(explicit ? first : (env.CANARY_INPUT_MODE ?? ''));
  const fromTable = flagValuesFromInputs(mode, (input) => env[`CANARY_INPUT_${input.toUpperCase()}`] ?? '');
  const further = explicit ? others : rest;
  return {
    name: mode,
    settingsFor: (command) => {
      const { values, positionals } = flagValuesFromArgv(command, further);
      return settingsFromFlags(command.name, mergeFlagValues(fromTable, values), positionals);
    },
  };
}

/** Credentials the run may hold: redacted from every line (GitLab has no mask command). */
async function registerSecrets(
  platform: Platform,
  settings: Settings,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  // Loaded here, not for --help: the kubeconfig is YAML.
  const { kubeconfigSecrets } = await import('../platform/kubeconfig-input.ts');
  const { FILE_LIMITS, readLimited } = await import('../util/yaml.ts');
  // The kubeconfig files the command will read: --kubeconfig, else $KUBECONFIG (a list).
  const files = settings.kubeconfig
    ? [settings.kubeconfig]
    : (env.KUBECONFIG ?? '').split(':').filter((file) => file !== '');
  for (const file of files) {
    try {
      kubeconfigSecrets(readLimited(file, FILE_LIMITS.kubeconfig, '--kubeconfig'), dirname(file)).forEach(
        (secret) => platform.addSecret(secret),
      );
    } catch {
      // An unreadable kubeconfig is reported by the command that loads it.
    }
  }
  for (const name of ['CANARY_REGISTRY_PASSWORD', 'CI_REGISTRY_PASSWORD', 'CI_JOB_TOKEN']) {
    if (env[name]) platform.addSecret(env[name]);
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const platform: Platform = env.GITLAB_CI === 'true' ? createGitLabPlatform() : createLocalPlatform();
  const signals = abortOnSignals((line) => platform.warning(line));
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      platform.info(usage());
      return name === undefined ? ExitCode.InvalidInput : ExitCode.Ok;
    }
    if (name === '--version' || name === '-v' || name === 'version') {
      platform.info(PACKAGE.version);
      return ExitCode.Ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command && (rest.includes('--help') || rest.includes('-h'))) {
      platform.info(
        `Usage: canary-action ${command.name} [options]\n\n${command.summary}\n\n${command.usage}\n\n${EXIT_CODES}`,
      );
      return ExitCode.Ok;
    }
    // The component's jobs call from-inputs: their log says which release and which Node ran.
    if (name === 'from-inputs') platform.info(`canary-action ${PACKAGE.version} (Node ${process.version})`);
    const { name: commandName, settingsFor } = invocation(argv, env);
    const { exitCode, message, outputs, report } = await executeCommand(commandName, settingsFor, {
      env,
      platform,
      signal: signals.signal,
      beforeRun: (settings) => registerSecrets(platform, settings, env),
    });
    if (message) platform.error(message);
    await writeCiArtifacts({
      outputs,
      ...(report ? { report } : {}),
      env,
      platform,
      links: env.CI_JOB_URL ? { runUrl: env.CI_JOB_URL } : {},
    });
    return exitCode;
  } catch (error) {
    platform.error(describeError(error));
    return exitCodeOf(error);
  } finally {
    signals.dispose();
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
