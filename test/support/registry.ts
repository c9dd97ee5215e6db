/** Runs the real OCI registry (Debian's /usr/bin/docker-registry) on a free loopback port for tests. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, GiveUp, makeTempDir, startProcess, waitForHttp } from './service.ts';

export const REGISTRY_BIN = process.env.DOCKER_REGISTRY_BIN ?? '/usr/bin/docker-registry';

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, the registry part of image references. */
  host: string;
  url: string;
  stop(): Promise<void>;
}

export function registryConfig(port: number, storageDir: string): string {
  return `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${JSON.stringify(storageDir)}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
`;
}

export async function startRegistry(): Promise<RunningRegistry> {
  let lastError: unknown;
  // A port picked as free can be taken before the registry binds it: try again with another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await makeTempDir('registry');
    const port = await freePort();
    const configFile = path.join(dir, 'config.yml');
    await writeFile(configFile, registryConfig(port, path.join(dir, 'data')));
    const service = startProcess(REGISTRY_BIN, ['serve', configFile], dir);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/v2/`, 200, service, 60_000);
      return { host: `127.0.0.1:${port}`, url, stop: () => service.stop() };
    } catch (error) {
      lastError = error;
      await service.stop();
      if (!(error instanceof GiveUp)) break;
    }
  }
  throw new Error(`docker-registry did not become ready: ${String(lastError)}`);
}
