import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Certificates {
  ca: string;
  cert: string;
  key: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    throw new Error(
      `openssl ${args.join(' ')} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`,
      { cause: error },
    );
  }
}

/**
 * A CA and a serving certificate for 127.0.0.1 and localhost, made with the openssl CLI in `dir`
 * (reused when already there, so a restarted sandbox keeps its kubeconfigs valid).
 */
export async function ensureCertificates(dir: string): Promise<Certificates> {
  const file = (name: string): string => path.join(dir, name);
  if (![file('ca.crt'), file('apiserver.crt'), file('apiserver.key')].every(existsSync)) {
    await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    await openssl(dir, [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-sha256',
      '-days',
      '3650',
      '-subj',
      '/CN=canary-sandbox-ca',
      '-out',
      'ca.crt',
    ]);
    await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'apiserver.key']);
    await openssl(dir, [
      'req',
      '-new',
      '-key',
      'apiserver.key',
      '-subj',
      '/CN=canary-sandbox-apiserver',
      '-out',
      'apiserver.csr',
    ]);
    await writeFile(
      file('apiserver.ext'),
      [
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        '',
      ].join('\n'),
    );
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '825',
      '-sha256',
      '-extfile',
      'apiserver.ext',
      '-out',
      'apiserver.crt',
    ]);
  }
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', 'apiserver.crt', 'apiserver.key'].map((n) => readFile(file(n), 'utf8')),
  );
  return { ca: ca!, cert: cert!, key: key! };
}
