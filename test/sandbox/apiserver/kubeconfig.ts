import { writeFile } from 'node:fs/promises';

/** A kubeconfig (JSON is valid YAML) for one user with a bearer token, carrying the sandbox CA. */
export function kubeconfig(options: {
  server: string;
  ca: string;
  user: string;
  token: string;
  namespace: string;
}): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.ca).toString('base64'),
        },
      },
    ],
    users: [{ name: options.user, user: { token: options.token } }],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: options.user, namespace: options.namespace } },
    ],
    'current-context': 'sandbox',
    preferences: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export async function writeKubeconfig(
  file: string,
  options: Parameters<typeof kubeconfig>[0],
): Promise<void> {
  await writeFile(file, kubeconfig(options), { mode: 0o600 });
}
