/**
 * The `kubeconfig` input: the file's content (YAML or JSON), its base64, or a path. Content is written
 * with mode 0600 into a fresh temporary directory that `cleanup()` removes; the credentials in it are
 * returned so the platform can mask or redact them before anything is logged.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../util/errors.ts';
import { FILE_LIMITS, loadYamlChecked, readLimited } from '../util/yaml.ts';

export type KubeconfigSource = 'content' | 'path' | 'default';

export interface PreparedKubeconfig {
  source: KubeconfigSource;
  /** The file to pass as --kubeconfig; undefined: the default chain ($KUBECONFIG, ~/.kube/config, in-cluster). */
  path?: string;
  /** The temporary directory holding a written file (content only). */
  tempDir?: string;
  /** Values that must never be printed: credentials found in the file, and the input itself. */
  secrets: string[];
  cleanup(): Promise<void>;
}

const CREDENTIAL_KEYS = [
  'token',
  'password',
  'client-key-data',
  'access-token',
  'refresh-token',
  'id-token',
  'client-secret',
];
/** Keys naming a file whose content is a credential (relative to the kubeconfig's directory). */
const CREDENTIAL_FILES = ['client-key', 'tokenFile'];

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/**
 * Every credential in a kubeconfig's users: tokens, passwords, private keys (the data, decoded, and
 * the files), auth-provider secrets, and the values of an exec plugin's environment.
 */
export function kubeconfigSecrets(text: string, dir?: string): string[] {
  let parsed: unknown;
  try {
    // Bounded: an alias bomb is refused here, and reported by the command that loads the file.
    parsed = loadYamlChecked(text, 'kubeconfig', 'kubeconfig');
  } catch {
    return [];
  }
  const found: string[] = [];
  const visit = (value: unknown) => {
    for (const [key, inner] of Object.entries(record(value))) {
      if (typeof inner === 'string' && inner.length > 0) found.push(...credentialsAt(key, inner, dir));
      else if (typeof inner === 'object') visit(inner);
    }
  };
  const users = record(parsed).users;
  for (const user of Array.isArray(users) ? users : []) {
    const { user: credentials } = record(user);
    visit(credentials);
    const env = record(record(credentials).exec).env;
    for (const variable of Array.isArray(env) ? env : []) {
      const { value } = record(variable);
      if (typeof value === 'string' && value.length > 0) found.push(value);
    }
  }
  return [...new Set(found)];
}

function credentialsAt(key: string, value: string, dir: string | undefined): string[] {
  if (key.endsWith('-data') && CREDENTIAL_KEYS.includes(key))
    return [value, Buffer.from(value, 'base64').toString('utf8')];
  if (CREDENTIAL_KEYS.includes(key)) return [value];
  if (!CREDENTIAL_FILES.includes(key)) return [];
  try {
    return [readLimited(path.resolve(dir ?? '.', value), FILE_LIMITS.kubeconfig, key)];
  } catch {
    return [];
  }
}

const looksLikeKubeconfig = (text: string) => /(^|\n)\s*"?(apiVersion|clusters|contexts)"?\s*:/.test(text);

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return looksLikeKubeconfig(text) ? text : undefined;
}

const NONE: PreparedKubeconfig = { source: 'default', secrets: [], cleanup: async () => undefined };

export async function prepareKubeconfig(
  input: string,
  options: { tempRoot: string; exists?: (file: string) => boolean },
): Promise<PreparedKubeconfig> {
  const value = input.trim();
  if (value === '') return NONE;
  const exists = options.exists ?? existsSync;
  const isContent = value.includes('\n') || value.startsWith('{') || looksLikeKubeconfig(value);
  if (!isContent && exists(value)) {
    return {
      source: 'path',
      path: value,
      secrets: kubeconfigSecrets(
        readLimited(value, FILE_LIMITS.kubeconfig, 'kubeconfig'),
        path.dirname(value),
      ),
      cleanup: async () => undefined,
    };
  }
  const content = isContent ? value : decodeBase64(value);
  if (content === undefined) {
    throw new ConfigError(
      'kubeconfig',
      'expected the kubeconfig file content (YAML or JSON), its base64, or the path of an existing file; the value given is none of these (not printed)',
    );
  }
  const tempDir = await mkdtemp(path.join(options.tempRoot, 'canary-kubeconfig-'));
  const file = path.join(tempDir, 'kubeconfig');
  await writeFile(file, `${content.trim()}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return {
    source: 'content',
    path: file,
    tempDir,
    secrets: [...kubeconfigSecrets(content, tempDir), ...(content === value ? [] : [content])],
    cleanup: () => rm(tempDir, { recursive: true, force: true }),
  };
}
