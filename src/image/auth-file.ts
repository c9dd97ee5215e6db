/** Registry credentials on disk: a private auth file for one run, and the ones docker/podman logins left. */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RegistryCredentials } from './builder.ts';

/** The key docker and containers/image use for a registry in `auths`. */
function authKey(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/** Writes a containers-auth.json (also valid as a docker config.json) readable only by us; returns its path. */
export async function writeAuthFile(
  dir: string,
  registry: string,
  credentials: RegistryCredentials,
): Promise<string> {
  const file = path.join(dir, 'auth.json');
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  const auths: Record<string, { auth: string }> = { [authKey(registry)]: { auth } };
  if (registry === 'docker.io') auths['docker.io'] = { auth };
  await writeFile(file, JSON.stringify({ auths }), { mode: 0o600 });
  return file;
}

/** Credentials an earlier `docker login`, `buildah login` or `podman login` stored inline (not in a helper). */
export async function readStoredCredentials(
  registry: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryCredentials | undefined> {
  const home = env.HOME ?? os.homedir();
  const files = [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'containers/auth.json') : undefined,
    path.join(env.DOCKER_CONFIG ?? path.join(home, '.docker'), 'config.json'),
  ];
  for (const file of files) {
    if (!file) continue;
    let auths: Record<string, { auth?: string }> | undefined;
    try {
      auths = (JSON.parse(await readFile(file, 'utf8')) as { auths?: typeof auths }).auths;
    } catch {
      continue;
    }
    const entry = auths?.[authKey(registry)] ?? auths?.[registry] ?? auths?.[`https://${registry}`];
    const decoded = entry?.auth ? Buffer.from(entry.auth, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}
