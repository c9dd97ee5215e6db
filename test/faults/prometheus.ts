/**
 * The real Prometheus (Debian's) on a fixed loopback port with a data directory that outlives it, so a
 * case can kill it (SIGKILL, as a crashed or evicted pod dies) and start it again on the same URL with
 * its history — what test/support/prometheus.ts, which owns its directory, does not offer.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { prometheusConfig, PROMETHEUS_BIN } from '../support/prometheus.ts';
import { freePort, makeTempDir, startProcess, waitForHttp, type ServiceProcess } from '../support/service.ts';

export interface ControlledPrometheus {
  url: string;
  port: number;
  running(): boolean;
  /** SIGKILLs the process (no-op when it is not running). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers /-/ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startControlledPrometheus(options: {
  fileSdPath: string;
  scrapeIntervalSeconds?: number;
}): Promise<ControlledPrometheus> {
  const dir = await makeTempDir('faults-prometheus');
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    prometheusConfig({
      fileSdPath: options.fileSdPath,
      scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 1,
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let service: ServiceProcess | undefined;
  let generation = 0;

  const start = async () => {
    if (service && !service.exited()) return;
    // startProcess removes its directory on stop(): give each process a scratch cwd of its own.
    const cwd = path.join(dir, `run-${++generation}`);
    await mkdir(cwd, { recursive: true });
    service = startProcess(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=error',
      ],
      cwd,
    );
    await waitForHttp(`${url}/-/ready`, 200, service, 60_000);
  };
  const kill = async () => {
    const current = service;
    if (!current || current.exited()) return;
    const exited = new Promise<void>((resolve) => current.child.once('exit', () => resolve()));
    current.child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    running: () => service !== undefined && !service.exited(),
    kill,
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
