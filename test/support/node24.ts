/**
 * A Node 24 binary for the tests that need one whatever Node runs the suite: the GitHub Action runs on
 * node24, and gitlab-ci-local needs Node 22 or later. The running Node when it is 24 or later, else the
 * binary scripts/setup.sh installs from the npm registry (.tools/node24/bin/node).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cli.ts';

export function node24(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  const binary = path.join(REPO_ROOT, '.tools/node24/bin/node');
  if (!existsSync(binary)) throw new Error(`no Node 24 at ${binary}: run bash scripts/setup.sh`);
  return binary;
}

/** PATH with Node 24 first, so that `node` and every `#!/usr/bin/env node` script run on it. */
export const pathWithNode24 = () => `${path.dirname(node24())}${path.delimiter}${process.env.PATH ?? ''}`;
