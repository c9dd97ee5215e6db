/**
 * The CLI under test as a process, watched from outside: a time limit and a memory limit the harness
 * enforces (a hang or a runaway allocation is a recorded failure, not a hung suite or a machine out of
 * memory), its output as it comes (a case waits for a line such as "applied Deployment web" to strike),
 * and signals. By default the committed bundle dist/cli.js runs; CANARY_FAULTS_CLI=src runs
 * src/entrypoints/cli.ts through tsx instead (for fixes not yet bundled).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/cli.ts';

export type CliSource = 'dist' | 'src';
export const CLI_SOURCE: CliSource = process.env.CANARY_FAULTS_CLI === 'src' ? 'src' : 'dist';

export interface CliExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Killed by the harness: its time limit, its memory limit, or the case (e.g. SIGKILL on purpose). */
  timedOut: boolean;
  memoryExceeded: boolean;
  /** Highest resident set seen, MB. */
  peakRssMb: number;
  /** Output was cut at the harness's output limit. */
  outputTruncated: boolean;
}

export interface CliRun {
  readonly pid: number;
  readonly startedAt: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` appears in stdout or stderr (from the start); rejects at exit or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<CliExit>;
  readonly done: boolean;
}

export interface CliOptions {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Resident memory limit (default 1024 MB). */
  memoryLimitMb?: number;
  /** Output kept per stream (default 4 MB): what is past it is dropped and flagged. */
  outputLimitBytes?: number;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

export function startCli(options: CliOptions): CliRun {
  const entry =
    CLI_SOURCE === 'dist'
      ? [path.join(REPO_ROOT, 'dist/cli.js')]
      : // resolved here: the CLI runs in the case's directory, where no node_modules is
        ['--import', import.meta.resolve('tsx'), path.join(REPO_ROOT, 'src/entrypoints/cli.ts')];
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...entry, ...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const limit = options.outputLimitBytes ?? 4 * 1024 * 1024;
  let stdout = '';
  let stderr = '';
  let truncated = false;
  let timedOut = false;
  let memoryExceeded = false;
  let peakRssMb = 0;
  let done = false;
  const waiters = new Set<() => void>();
  const append = (which: 'out' | 'err', chunk: Buffer) => {
    const text = chunk.toString();
    const current = which === 'out' ? stdout : stderr;
    const room = limit - current.length;
    if (room <= 0) {
      truncated = true;
      return;
    }
    if (text.length > room) truncated = true;
    const kept = text.slice(0, room);
    if (which === 'out') stdout += kept;
    else stderr += kept;
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout.on('data', (chunk: Buffer) => append('out', chunk));
  child.stderr.on('data', (chunk: Buffer) => append('err', chunk));
  const memoryLimit = options.memoryLimitMb ?? 1024;
  const watchdog = setInterval(() => {
    if (!child.pid) return;
    const rss = rssMb(child.pid);
    peakRssMb = Math.max(peakRssMb, rss);
    if (rss > memoryLimit && !memoryExceeded) {
      memoryExceeded = true;
      child.kill('SIGKILL');
    }
  }, 100);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exited = new Promise<CliExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      done = true;
      clearInterval(watchdog);
      clearTimeout(timer);
      for (const waiter of [...waiters]) waiter();
      resolve({
        code,
        signal,
        stdout,
        stderr,
        durationMs: Date.now() - startedAt,
        timedOut,
        memoryExceeded,
        peakRssMb: Math.round(peakRssMb),
        outputTruncated: truncated,
      });
    });
  });
  return {
    pid: child.pid ?? -1,
    startedAt,
    stdout: () => stdout,
    stderr: () => stderr,
    get done() {
      return done;
    },
    waitForOutput(pattern, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) finish();
          else if (done) finish(new Error(`the CLI exited before printing ${pattern}`));
        };
        const timeout = setTimeout(
          () => finish(new Error(`no ${pattern} in the CLI's output within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const finish = (error?: Error) => {
          clearTimeout(timeout);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
    kill(signal) {
      if (!done) child.kill(signal);
    },
    exited,
  };
}
