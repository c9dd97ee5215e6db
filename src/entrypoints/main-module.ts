/**
 * Whether a module is the script node was started with (`node dist/action.js`, as the GitHub runner
 * runs an action) rather than imported by another program that calls its exported `run()` (as
 * `@github/local-action` does). Node 24 says so itself (`import.meta.main`); on older Node the main
 * module's URL is computed the way Node computes it: argv[1] resolved, symlinks followed.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function isMainModule(meta: { url: string; main?: boolean }, argv1 = process.argv[1]): boolean {
  if (typeof meta.main === 'boolean') return meta.main;
  if (!argv1) return false;
  try {
    return pathToFileURL(realpathSync(path.resolve(argv1))).href === meta.url;
  } catch {
    return false;
  }
}
