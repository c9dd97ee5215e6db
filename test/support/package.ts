/** The npm package as it would be published: `npm pack` of the repository, into a directory of the test's. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './cli.ts';

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  /** The tarball's absolute path. */
  tarball: string;
  name: string;
  version: string;
  files: PackedFile[];
}

export async function packTarball(destination: string): Promise<Packed> {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['pack', '--json', '--pack-destination', destination, '--loglevel=error'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const [result] = JSON.parse(stdout) as Array<{
    filename: string;
    name: string;
    version: string;
    files: PackedFile[];
  }>;
  if (!result) throw new Error(`npm pack printed no result: ${stdout}`);
  return {
    tarball: path.join(destination, result.filename),
    name: result.name,
    version: result.version,
    files: result.files,
  };
}
