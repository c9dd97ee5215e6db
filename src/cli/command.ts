import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Platform } from '../platform/types.ts';
import type { Clock } from '../util/clock.ts';
import { ConfigError } from '../util/errors.ts';

/** What every CLI command gets: its own arguments and the edge's services. */
export interface CommandContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  platform: Platform;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** One `canary-action <name>` command, in a file of its own under src/cli/, listed in src/cli/commands.ts. */
export interface Command {
  name: string;
  summary: string;
  /** Option lines for the help text. */
  usage: string;
  /** The flags it parses (parseArgs options): what the drift check of the inputs table reads. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code (DESIGN.md §5); throws typed errors for the entry point to map. */
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
