/**
 * The package's name and version, stated once: in package.json. The bundles in dist/ carry them as
 * constants (scripts/bundle.mjs defines __CANARY_PACKAGE_NAME__ and __CANARY_PACKAGE_VERSION__), so a
 * copied dist/cli.js still knows its version; run from the sources (tsx), they are read from package.json.
 */
import { readFileSync } from 'node:fs';

export interface PackageInfo {
  name: string;
  version: string;
}

declare const __CANARY_PACKAGE_NAME__: string | undefined;
declare const __CANARY_PACKAGE_VERSION__: string | undefined;

function fromPackageJson(): PackageInfo {
  const { name, version } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as PackageInfo;
  return { name, version };
}

export const PACKAGE: PackageInfo =
  typeof __CANARY_PACKAGE_NAME__ === 'string' && typeof __CANARY_PACKAGE_VERSION__ === 'string'
    ? { name: __CANARY_PACKAGE_NAME__, version: __CANARY_PACKAGE_VERSION__ }
    : fromPackageJson();

/** The npm specifier of exactly this release, e.g. `@canary-action/cli@1.2.3`. */
export const PACKAGE_SPECIFIER = `${PACKAGE.name}@${PACKAGE.version}`;
