import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The output of one container instance, kept in memory (the tail, up to a cap) for `logs()`. */
export class LogBuffer {
  private text = '';

  constructor(private readonly maxChars = 1 << 20) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length <= this.maxChars) return;
    const cut = this.text.length - this.maxChars;
    const tail = this.text.slice(cut);
    // Start at a line boundary so a partly dropped line does not show up as a fragment.
    const lineStart = this.text[cut - 1] === '\n' ? -1 : tail.indexOf('\n');
    this.text = tail.slice(lineStart + 1);
  }

  /** The whole log, or only its last `tailLines` lines. */
  read(tailLines?: number): string {
    if (tailLines === undefined) return this.text;
    if (tailLines <= 0) return '';
    const lines = this.text.split('\n');
    const trailingNewline = lines[lines.length - 1] === '';
    if (trailingNewline) lines.pop();
    return lines.slice(-tailLines).join('\n') + (trailingNewline ? '\n' : '');
  }
}

export interface ContainerExit {
  exitCode: number;
  finishedAt: Date;
}

export interface ContainerProcess {
  readonly pid: number | undefined;
  readonly startedAt: Date;
  readonly logs: LogBuffer;
  /** Resolves once the process has exited and its output is read. */
  readonly exited: Promise<ContainerExit>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  terminate(graceMs: number): Promise<ContainerExit>;
}

const WATCHDOG = fileURLToPath(new URL('./parent-watchdog.mjs', import.meta.url));

/** Process groups still running, killed synchronously if the sandbox process exits without stop(). */
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function ensureExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

/**
 * Starts one container instance: `node <appPath>` in its own process group (as a container has its own
 * PID namespace), with exactly the given environment, stdout and stderr captured into `logFile` and memory.
 */
export function spawnContainerProcess(options: {
  appPath: string;
  env: Record<string, string>;
  logFile: string;
}): ContainerProcess {
  ensureExitHandler();
  const child = spawn(process.execPath, ['--import', WATCHDOG, options.appPath], {
    cwd: dirname(options.appPath),
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  const logs = new LogBuffer();
  const file = createWriteStream(options.logFile, { flags: 'a' });
  file.on('error', () => {});
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      logs.append(chunk);
      file.write(chunk);
    });
  }

  let settled = false;
  const exited = new Promise<ContainerExit>((resolve) => {
    const settle = (exitCode: number) => {
      if (settled) return;
      settled = true;
      if (pid !== undefined) liveGroups.delete(pid);
      file.end();
      resolve({ exitCode, finishedAt: new Date() });
    };
    child.on('error', (error) => {
      logs.append(`failed to start container process: ${error.message}\n`);
      settle(128);
    });
    child.on('close', (code, signal) => {
      settle(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });

  return {
    pid,
    startedAt: new Date(),
    logs,
    exited,
    async terminate(graceMs) {
      if (pid === undefined || settled) return exited;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
