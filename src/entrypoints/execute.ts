/**
 * One command run in-process, as the CLI, the action and its post step all do it: its exit code, why it
 * failed, the outputs it set and the report it made.
 */
import type { Command } from '../cli/command.ts';
import { COMMANDS } from '../cli/commands.ts';
import type { Settings } from '../config/settings.ts';
import { recordingOutputs } from '../platform/ci-outputs.ts';
import type { Platform } from '../platform/types.ts';
import type { RenderableReport } from '../report/view.ts';
import { systemClock } from '../util/clock.ts';
import { CanaryError, ConfigError, exitCodeOf } from '../util/errors.ts';

export interface Execution {
  exitCode: number;
  /** Why it failed, when it threw (a non-zero exit code a command returns has its reason in the report). */
  message?: string;
  /** Every output the command set (last value wins), also when it then failed. */
  outputs: Record<string, string>;
  /** The release or analysis report, when the command made one (also when it then failed). */
  report?: RenderableReport;
}

export const INTERRUPTED = 130;

const MAX_MESSAGE = 3000;

export function describeError(error: unknown): string {
  if (error instanceof CanaryError) {
    // Said once: a parser's cause is often the message itself plus a code excerpt.
    const reason = error.cause instanceof Error ? (error.cause.message.split('\n')[0] ?? '') : '';
    const cause = reason && !error.message.includes(reason) ? ` (${reason})` : '';
    return shorten(`${error.message}${cause}`);
  }
  return `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

/** A message that echoes a huge value (a 5 MB namespace) is cut: a log line, not a dump. */
function shorten(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  return `${message.slice(0, MAX_MESSAGE)}… (${message.length - MAX_MESSAGE} more characters cut)`;
}

/**
 * Runs command `name` with the settings the entry point's adapter builds for it (CLI flags, Action inputs,
 * GitLab variables); `beforeRun` sees them first (the CLI registers the kubeconfig's credentials).
 */
export async function executeCommand(
  name: string | undefined,
  settingsFor: (command: Command) => Settings,
  context: {
    env: NodeJS.ProcessEnv;
    platform: Platform;
    signal: AbortSignal;
    beforeRun?: (settings: Settings) => Promise<void>;
  },
): Promise<Execution> {
  const { env, signal } = context;
  const { platform, outputs } = recordingOutputs(context.platform);
  let report: RenderableReport | undefined;
  const publish = (made: RenderableReport) => {
    report = made;
  };
  const made = () => ({ outputs, ...(report ? { report } : {}) });
  try {
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) {
      const valid = COMMANDS.map((candidate) => candidate.name).join(', ');
      throw new ConfigError('command', `unknown command ${JSON.stringify(name)} (valid: ${valid}, help)`);
    }
    const settings = settingsFor(command);
    await context.beforeRun?.(settings);
    const exitCode = await command.run({ settings, env, platform, clock: systemClock, signal, publish });
    return { exitCode, ...made() };
  } catch (error) {
    const failure = signal.aborted
      ? { exitCode: INTERRUPTED, message: String((signal.reason as Error).message) }
      : { exitCode: exitCodeOf(error), message: describeError(error) };
    return { ...failure, ...made() };
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
