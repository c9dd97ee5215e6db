/**
 * The files a command will write when it ends (--report, the dotenv and rendered reports, the runner's
 * output files), checked before it starts: a path that cannot be written is bad input (exit 2) found
 * before the first change, not an error after the release decided.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../util/errors.ts';

/** A file the command writes, by the flag or variable that names it. */
export interface OutputPath {
  name: string;
  path: string;
}

const ENV_FILES = ['CANARY_DOTENV', 'CANARY_MARKDOWN_REPORT', 'CANARY_HTML_REPORT'] as const;
const GITHUB_FILES = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE'] as const;

/** Every output file named for this run: `--report`, the CANARY_* files, and on GitHub the runner's files. */
export function outputPaths(
  report: string | undefined,
  env: NodeJS.ProcessEnv,
  platform: 'github' | 'gitlab' | 'local',
): OutputPath[] {
  const named = [...ENV_FILES, ...(platform === 'github' ? GITHUB_FILES : [])];
  return [
    ...(report ? [{ name: '--report', path: report }] : []),
    ...named.flatMap((name) => (env[name] ? [{ name, path: env[name] }] : [])),
  ];
}

const code = (error: unknown) => (error as { code?: string }).code;

/** Throws a ConfigError naming the flag or variable and its path when the file cannot be written. */
export async function checkOutputPath({ name, path: file }: OutputPath): Promise<void> {
  const fail = (why: string) =>
    new ConfigError(name, `cannot write ${JSON.stringify(file)}: ${why} — nothing was changed`);
  const existing = await stat(file).catch((error: unknown) => {
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return undefined;
    throw fail((error as Error).message);
  });
  if (existing?.isDirectory()) throw fail('it is a directory, expected a file path');
  if (existing) {
    await access(file, constants.W_OK).catch(() => {
      throw fail('the file is not writable');
    });
    return;
  }
  const directory = path.dirname(path.resolve(file));
  const parent = await stat(directory).catch(() => undefined);
  if (!parent) throw fail(`the directory ${directory} does not exist`);
  if (!parent.isDirectory()) throw fail(`${directory} is not a directory`);
  await access(directory, constants.W_OK | constants.X_OK).catch(() => {
    throw fail(`the directory ${directory} is not writable`);
  });
}

export async function checkOutputPaths(paths: readonly OutputPath[]): Promise<void> {
  for (const output of paths) await checkOutputPath(output);
}
