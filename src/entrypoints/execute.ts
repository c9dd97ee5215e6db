/** One command run in-process, as the CLI, the action and its post step all do it: exit code and message. */
import { COMMANDS } from '../cli/commands.ts';
import type { Platform } from '../platform/types.ts';
import { systemClock } from '../util/clock.ts';
import { CanaryError, ConfigError, exitCodeOf } from '../util/errors.ts';

export interface Execution {
  exitCode: number;
  /** Why it failed, when it threw (a non-zero exit code a command returns has its reason in the report). */
  message?: string;
}

export const INTERRUPTED = 130;

export function describeError(error: unknown): string {
  if (error instanceof CanaryError) {
    const cause =
      error.cause instanceof Error && !error.message.includes(error.cause.message)
        ? ` (${error.cause.message})`
        : '';
    return `${error.message}${cause}`;
  }
  return `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

export async function executeCommand(
  argv: readonly string[],
  context: { env: NodeJS.ProcessEnv; platform: Platform; signal: AbortSignal },
): Promise<Execution> {
  const { env, platform, signal } = context;
  const [name, ...rest] = argv;
  try {
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) {
      const valid = COMMANDS.map((candidate) => candidate.name).join(', ');
      throw new ConfigError('command', `unknown command ${JSON.stringify(name)} (valid: ${valid}, help)`);
    }
    return { exitCode: await command.run({ argv: rest, env, platform, clock: systemClock, signal }) };
  } catch (error) {
    if (signal.aborted) return { exitCode: INTERRUPTED, message: String((signal.reason as Error).message) };
    return { exitCode: exitCodeOf(error), message: describeError(error) };
  }
}

/** An AbortController aborted by SIGINT/SIGTERM (a cancelled CI job); `dispose` removes the handlers. */
export function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => abort.abort(new Error(`interrupted by ${signal}`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
