/**
 * One command run in-process, as the CLI, the action and its post step all do it: its exit code, why it
 * failed, the outputs it set and the report it made.
 */
import type { Command } from '../cli/command.ts';
import { COMMANDS } from '../cli/commands.ts';
import type { Settings } from '../config/settings.ts';
import { recordingOutputs } from '../platform/ci-outputs.ts';
import { checkOutputPaths, outputPaths } from '../platform/output-paths.ts';
import { failedBeforeStart, writeReleaseReport } from '../pipeline/release-report.ts';
import type { Platform } from '../platform/types.ts';
import type { RenderableReport } from '../report/view.ts';
import { systemClock } from '../util/clock.ts';
import { CanaryError, ConfigError, exitCodeOf } from '../util/errors.ts';
import { redactStrings } from '../util/redact.ts';
import { currentLeftover } from '../util/shutdown.ts';

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
 * GitLab variables); `beforeRun` sees them first (the CLI registers the kubeconfig's credentials). What
 * it returns (message, outputs, report) is redacted: every summary and artifact is made from it.
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
  const { redact } = platform;
  const made = () => ({ outputs, ...(report ? { report: redactStrings(report, redact) } : {}) });
  let reportFile: string | undefined;
  try {
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) {
      const valid = COMMANDS.map((candidate) => candidate.name).join(', ');
      throw new ConfigError('command', `unknown command ${JSON.stringify(name)} (valid: ${valid}, help)`);
    }
    const settings = settingsFor(command);
    if (RELEASING.includes(command.name)) reportFile = settings.report;
    await context.beforeRun?.(settings);
    await checkOutputPaths(outputPaths(settings.report, env, platform.name));
    const exitCode = await command.run({ settings, env, platform, clock: systemClock, signal, publish });
    return { exitCode, ...made() };
  } catch (error) {
    const failure = signal.aborted
      ? { exitCode: INTERRUPTED, message: String((signal.reason as Error).message) }
      : { exitCode: exitCodeOf(error), message: redact(describeError(error)) };
    if (reportFile && !report) await writeFailureReport(reportFile, failure, platform);
    return { ...failure, ...made() };
  }
}

const RELEASING = ['run', 'deploy'];

/** A release that ended before its report was made still leaves one at --report, when it can be written. */
async function writeFailureReport(
  file: string,
  failure: { exitCode: number; message: string },
  platform: Platform,
): Promise<void> {
  const writable = await checkOutputPaths([{ name: '--report', path: file }]).then(
    () => true,
    () => false,
  );
  if (!writable) return;
  await writeReleaseReport(platform, file, failedBeforeStart(failure.exitCode, failure.message)).catch(
    (error: Error) => platform.warning(`could not write the report ${file}: ${error.message}`),
  );
}

/**
 * An AbortController aborted by the first SIGINT/SIGTERM (a cancelled CI job): the release rolls back or
 * restores the stable. Further signals are acknowledged and ignored so that the rollback finishes; the
 * third forces an exit (130), saying what is left in the cluster. `dispose` removes the handlers.
 */
export function abortOnSignals(
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  exit: (code: number) => void = (code) => process.exit(code),
): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  let received = 0;
  const left = () => currentLeftover() ?? 'nothing of this run';
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) return abort.abort(new Error(`interrupted by ${signal}`));
    if (received === 2) {
      say(
        `received ${signal} again: ignored until the rollback or restore under way finishes (a third signal exits at once, leaving ${left()})`,
      );
      return;
    }
    say(`received ${signal} a third time: exiting now; left in the cluster: ${left()}`);
    exit(INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
