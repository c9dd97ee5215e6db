/** What builders get from the outside: a process runner, a log, and a scratch directory per build. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CommandRunner } from './runner.ts';
import { formatCommand } from './runner.ts';

export interface BuildLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface BuilderDeps {
  runner: CommandRunner;
  log: BuildLog;
  /** The CI environment (GITHUB_ACTIONS decides the docker cache). */
  env: NodeJS.ProcessEnv;
}

/** Runs `fn` with a private temporary directory (auth files, digest files), removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'canary-build-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Logs the command line (argv never holds a password), then streams the program's output to the log. */
export function runLogged(
  deps: BuilderDeps,
  command: string,
  args: readonly string[],
  options: { signal?: AbortSignal; stdin?: string } = {},
) {
  deps.log.info(`$ ${formatCommand(command, args)}`);
  return deps.runner.run(command, args, { ...options, onLine: (line) => deps.log.info(line) });
}
