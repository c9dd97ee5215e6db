/** Runs the real InfluxDB 1.x (Debian's /usr/bin/influxd) on free loopback ports for tests. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, GiveUp, makeTempDir, startProcess, waitForHttp } from './service.ts';

export const INFLUXD_BIN = process.env.INFLUXD_BIN ?? '/usr/bin/influxd';

export interface RunningInfluxDB {
  url: string;
  database: string;
  stop(): Promise<void>;
}

export function influxConfig(dir: string, httpPort: number, rpcPort: number): string {
  const q = (value: string) => JSON.stringify(value);
  return [
    'reporting-disabled = true',
    `bind-address = ${q(`127.0.0.1:${rpcPort}`)}`,
    '[meta]',
    `  dir = ${q(path.join(dir, 'meta'))}`,
    '[data]',
    `  dir = ${q(path.join(dir, 'data'))}`,
    `  wal-dir = ${q(path.join(dir, 'wal'))}`,
    '  query-log-enabled = false',
    '[http]',
    '  enabled = true',
    `  bind-address = ${q(`127.0.0.1:${httpPort}`)}`,
    '  log-enabled = false',
    '[monitor]',
    '  store-enabled = false',
    '[continuous_queries]',
    '  enabled = false',
    '[subscriber]',
    '  enabled = false',
    '[logging]',
    '  level = "warn"',
    '  suppress-logo = true',
    '',
  ].join('\n');
}

export async function startInfluxDB(database = 'canary'): Promise<RunningInfluxDB> {
  let lastError: unknown;
  // A port picked as free can be taken before influxd binds it: try again with others.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await makeTempDir('influxdb');
    const [httpPort, rpcPort] = [await freePort(), await freePort()];
    const configFile = path.join(dir, 'influxdb.conf');
    await writeFile(configFile, influxConfig(dir, httpPort, rpcPort));
    const url = `http://127.0.0.1:${httpPort}`;
    const service = startProcess(INFLUXD_BIN, ['run', '-config', configFile], dir);
    try {
      await waitForHttp(`${url}/ping`, 204, service, 60_000);
      const response = await fetch(`${url}/query`, {
        method: 'POST',
        body: new URLSearchParams({ q: `CREATE DATABASE "${database}"` }),
      });
      if (response.status !== 200)
        throw new Error(`CREATE DATABASE: HTTP ${response.status} ${await response.text()}`);
      return { url, database, stop: () => service.stop() };
    } catch (error) {
      lastError = error;
      await service.stop();
      if (!(error instanceof GiveUp)) break;
    }
  }
  throw new Error(`InfluxDB did not become ready: ${String(lastError)}`);
}
