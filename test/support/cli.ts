/** Runs the canary-action CLI as a user would (a separate process) and captures what it prints. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `source: 'src'` runs the TypeScript entry through tsx; `'dist'` runs the committed bundle. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; source?: 'src' | 'dist'; signalAfterMs?: number } = {},
): Promise<CliResult> {
  const entry =
    options.source === 'dist'
      ? [path.join(REPO_ROOT, 'dist/cli.js')]
      : ['--import', 'tsx', path.join(REPO_ROOT, 'src/entrypoints/cli.ts')];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (options.signalAfterMs !== undefined) setTimeout(() => child.kill('SIGINT'), options.signalAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
