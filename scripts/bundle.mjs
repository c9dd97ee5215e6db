// Bundles the entry points into dist/ (committed: the GitHub runner executes dist/ as it is).
import { build } from 'esbuild';

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
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);",
  },
});
