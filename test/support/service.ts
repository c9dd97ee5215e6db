/**
 * Helpers shared by the real-service harnesses: free loopback ports, a child process that is always
 * cleaned up (on stop(), and on exit of the test process if a test forgets or crashes), polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A loopback port that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Last lines the process wrote, for error messages when it does not come up. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Starts a binary; stop() sends SIGTERM, then SIGKILL after 10 s, and removes `tempDir`. */
export function startProcess(command: string, args: string[], tempDir: string): ServiceProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tempDir });
  running.add(child);
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let hasExited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      hasExited = true;
      running.delete(child);
      resolve();
    }),
  );
  child.once('error', (error) => {
    append(Buffer.from(String(error)));
    hasExited = true;
  });
  return {
    child,
    output: () => log,
    exited: () => hasExited,
    async stop() {
      if (!hasExited && child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/** Thrown from a waitFor check to stop polling at once. */
export class GiveUp extends Error {}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until `url` answers with `status`, failing early if the process died. */
export async function waitForHttp(url: string, status: number, service: ServiceProcess, timeoutMs: number) {
  await waitFor(
    `${url} to answer ${status}`,
    async () => {
      if (service.exited()) throw new GiveUp(`process exited:\n${service.output()}`);
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status === status ? true : undefined;
    },
    timeoutMs,
  );
}
