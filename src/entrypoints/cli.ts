#!/usr/bin/env node
import { COMMANDS } from '../cli/commands.ts';
import { createGitLabPlatform, createLocalPlatform } from '../platform/local.ts';
import type { Platform } from '../platform/types.ts';
import { systemClock } from '../util/clock.ts';
import { CanaryError, ConfigError, ExitCode, exitCodeOf } from '../util/errors.ts';

const EXIT_CODES =
  'Exit codes: 0 pass, 1 regression, 2 invalid input, 3 inconclusive (onInconclusive: fail), 4 infrastructure failure, 130 interrupted.';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`).join('\n');
  const details = COMMANDS.map((c) => `${c.name} options:\n${c.usage}`).join('\n\n');
  return `Usage: canary-action <command> [options]\n\nCommands:\n${list}\n\n${details}\n\n  -h, --help   Show this help.\n\n${EXIT_CODES}`;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const platform: Platform = env.GITLAB_CI === 'true' ? createGitLabPlatform() : createLocalPlatform();
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => abort.abort(new Error(`interrupted by ${signal}`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      platform.info(usage());
      return name === undefined ? ExitCode.InvalidInput : ExitCode.Ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const valid = COMMANDS.map((c) => c.name).join(', ');
      throw new ConfigError('command', `unknown command ${JSON.stringify(name)} (valid: ${valid}, help)`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      platform.info(
        `Usage: canary-action ${command.name} [options]\n\n${command.summary}\n\n${command.usage}\n\n${EXIT_CODES}`,
      );
      return ExitCode.Ok;
    }
    return await command.run({ argv: rest, env, platform, clock: systemClock, signal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) {
      platform.error(String((abort.signal.reason as Error).message));
      return 130;
    }
    platform.error(describeError(error));
    return exitCodeOf(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function describeError(error: unknown): string {
  if (error instanceof CanaryError) {
    const cause =
      error.cause instanceof Error && !error.message.includes(error.cause.message)
        ? ` (${error.cause.message})`
        : '';
    return `${error.message}${cause}`;
  }
  return `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

main(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
