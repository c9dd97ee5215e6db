// Bundles the entry points into dist/ (committed: the GitHub runner executes dist/ as it is).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

// The package's name and version, from package.json alone (src/version.ts).
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));

const entries = ['cli', 'action', 'action-post'];
await build({
  entryPoints: Object.fromEntries(entries.map((name) => [name, `src/entrypoints/${name}.ts`])),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __CANARY_PACKAGE_NAME__: JSON.stringify(name),
    __CANARY_PACKAGE_VERSION__: JSON.stringify(version),
  },
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);",
  },
});
