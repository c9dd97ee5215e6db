/** Runs external programs (buildah, docker, git) with an argv array, never a shell; injectable for tests. */
import { spawn } from 'node:child_process';
import { abortReason } from '../util/clock.ts';
import { BackendError } from '../util/errors.ts';

export interface RunOptions {
  cwd?: string;
  /** Extra environment variables on top of the runner's base environment. */
  env?: Record<string, string>;
  /** Written to the program's standard input, then closed (passwords go here, never into argv). */
  stdin?: string;
  signal?: AbortSignal;
  /** Called with each line the program writes (stdout and stderr), as it arrives. */
  onLine?: (line: string) => void;
}

export interface RunResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  stdout: string;
  /** stdout and stderr interleaved as they arrived (the last 64 KiB). */
  output: string;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

const OUTPUT_LIMIT = 64 * 1024;

/** A missing program is a BackendError (exit 4) naming it. */
export function createProcessRunner(baseEnv: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    run(command, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, [...args], {
          cwd: options.cwd,
          env: { ...baseEnv, ...options.env },
          stdio: ['pipe', 'pipe', 'pipe'],
          signal: options.signal,
          killSignal: 'SIGTERM',
        });
        let stdout = '';
        let output = '';
        const lineBuffers = { out: '', err: '' };
        const take = (stream: 'out' | 'err') => (chunk: Buffer) => {
          const text = chunk.toString();
          if (stream === 'out') stdout = (stdout + text).slice(-OUTPUT_LIMIT);
          output = (output + text).slice(-OUTPUT_LIMIT);
          if (!options.onLine) return;
          const lines = (lineBuffers[stream] + text).split(/\r?\n/);
          lineBuffers[stream] = lines.pop() ?? '';
          for (const line of lines) options.onLine(line);
        };
        child.stdout.on('data', take('out'));
        child.stderr.on('data', take('err'));
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.stdin ?? '');
        child.once('error', (error: NodeJS.ErrnoException) => {
          if (options.signal?.aborted) return reject(abortReason(options.signal));
          if (error.code === 'ENOENT') {
            return reject(
              new BackendError(`${command} not found on PATH: install it or choose another --builder`),
            );
          }
          reject(new BackendError(`${command} could not be started: ${error.message}`, { cause: error }));
        });
        child.once('close', (code) => {
          for (const rest of [lineBuffers.out, lineBuffers.err])
            if (rest && options.onLine) options.onLine(rest);
          if (options.signal?.aborted) return reject(abortReason(options.signal));
          resolve({ code, stdout, output });
        });
      });
    },
  };
}

/** `buildah push --authfile /tmp/x IMAGE` as a log line: each argument quoted only when it needs it. */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** The last `count` non-empty lines of a program's output, for error messages. */
export function lastLines(output: string, count = 15): string {
  return output
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .slice(-count)
    .join('\n');
}
