import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Settings } from '../config/settings.ts';
import type { Platform } from '../platform/types.ts';
import type { RenderableReport } from '../report/view.ts';
import type { Clock } from '../util/clock.ts';
import { ConfigError } from '../util/errors.ts';

/** What every command gets: its typed settings (built once at the edge) and the edge's services. */
export interface CommandContext {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  platform: Platform;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Hands the release or analysis report to the edge as soon as it exists (also when the command then throws). */
  publish: (report: RenderableReport) => void;
}

/** The body of a command, in a module of its own that is loaded only when the command runs. */
export interface CommandModule {
  /** Returns the exit code (DESIGN.md §5); throws typed errors for the entry point to map. */
  execute(context: CommandContext): Promise<number>;
}

/** One `canary-action <name>` command, listed in src/cli/commands.ts with its body loaded on demand. */
export interface Command {
  name: string;
  summary: string;
  /** Option lines for the help text. */
  usage: string;
  /** The flags it parses (parseArgs options): what the drift check of the inputs table reads. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Loads the command's module and runs it. */
  run(context: CommandContext): Promise<number>;
}

/** parseArgs with our error style: an unknown or malformed flag is a ConfigError naming it. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError('arguments', (error as Error).message);
  }
}
