// Bundles the entry points into dist/ (committed: the GitHub runner executes dist/ as it is).
// Two builds with code splitting: the CLI (dist/cli.js, its chunks in dist/chunks/cli/, what the npm package
// ships) and the action's two steps (dist/action.js, dist/action-post.js, chunks in dist/chunks/action/). A
// command's code is a chunk of its own, imported when the command runs, so `--help` loads none of it.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// The package's name and version, from package.json alone (src/version.ts).
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  outdir: 'dist',
  bundle: true,
  splitting: true,
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
};

const bundles = { cli: ['cli'], action: ['action', 'action-post'] };
rmSync('dist/chunks', { recursive: true, force: true });
for (const [group, entries] of Object.entries(bundles)) {
  await build({
    ...common,
    entryPoints: Object.fromEntries(entries.map((entry) => [entry, `src/entrypoints/${entry}.ts`])),
    chunkNames: `chunks/${group}/[name]-[hash]`,
  });
}
