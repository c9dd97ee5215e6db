#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../cli/commands.ts';
import { argvFromInputs, parseMode } from '../config/inputs-argv.ts';
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

/** `from-inputs [MODE] …` → the command line the inputs table gives for CANARY_INPUT_* variables. */
function fromInputs(rest: string[], env: NodeJS.ProcessEnv): string[] {
  const [first, ...others] = rest;
  const explicit = first !== undefined && !first.startsWith('-');
  const mode = parseMode(explicit ? first : (env.CANARY_INPUT_MODE ?? ''));
  const read = (name: string) => env[`CANARY_INPUT_${name.toUpperCase()}`] ?? '';
  return [...argvFromInputs(mode, read), ...(explicit ? others : rest)];
}

/** The kubeconfig files the command will read: --kubeconfig, else $KUBECONFIG (a list). */
function kubeconfigFiles(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const index = argv.findIndex((arg) => arg === '--kubeconfig' || arg.startsWith('--kubeconfig='));
  const flag = index < 0 ? undefined : (argv[index]!.split('=')[1] ?? argv[index + 1]);
  if (flag) return [flag];
  return (env.KUBECONFIG ?? '').split(':').filter((file) => file !== '');
}

/** Credentials the run may hold: redacted from every line (GitLab has no mask command). */
async function registerSecrets(
  platform: Platform,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  // Loaded here, not for --help: the kubeconfig is YAML.
  const { kubeconfigSecrets } = await import('../platform/kubeconfig-input.ts');
  for (const file of kubeconfigFiles(argv, env)) {
    try {
      kubeconfigSecrets(readFileSync(file, 'utf8')).forEach((secret) => platform.addSecret(secret));
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
  const signals = abortOnSignals();
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
    const full = name === 'from-inputs' ? fromInputs(rest, env) : argv;
    await registerSecrets(platform, full, env);
    const { exitCode, message, outputs, report } = await executeCommand(full, {
      env,
      platform,
      signal: signals.signal,
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
