import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layer rules of README.md's architecture section, as no-restricted-imports patterns. A file gets the
 * rules of every layer it is in (ESLint keeps one option list per rule, so each group lists them all).
 */
const KUBERNETES_CLIENT = {
  group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
  message: 'Only src/kube/ talks to the cluster: use the Cluster interface (src/kube/types.ts).',
};
const ACTIONS_TOOLKIT = {
  group: ['@actions/*'],
  message: 'Only src/entrypoints/ and src/platform/ know GitHub: use the Platform interface.',
};
const ENTRY_POINTS = {
  group: ['**/entrypoints/*'],
  message: 'Entry points are the top layer: nothing imports them.',
};
const COMMANDS = {
  group: ['../cli/*'],
  message: 'Commands sit above the engine: the engine never imports them.',
};
const IO_MODULES = {
  regex:
    '^(node:(fs|fs/promises|child_process|net|http|https|dns|tls)|axios|js-yaml|@kubernetes/.*|@actions/.*)$',
  message: 'The judge and the planner are pure: no file, process or network I/O.',
};
const BELOW = (folder, ...above) => ({
  group: above.map((name) => `../${name}/*`),
  message: `${folder}/ sits below ${above.join(', ')}: importing them would close a folder cycle.`,
});
const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An async function that does not await is how a synchronous throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // An abort rejects with the signal's reason, whatever the aborter gave (util/clock.ts abortReason).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      'no-restricted-imports': restrict(KUBERNETES_CLIENT, ACTIONS_TOOLKIT, ENTRY_POINTS, COMMANDS),
    },
  },
  {
    // Every file the tool writes for people goes through the redaction (src/platform/artifacts.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/platform/artifacts.ts', 'src/platform/kubeconfig-input.ts', 'src/image/auth-file.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'ImportDeclaration[source.value=/^(node:)?fs(\\u002Fpromises)?$/] > ImportSpecifier[imported.name=/^(writeFile|appendFile|writeFileSync|appendFileSync|createWriteStream)$/]',
          message: 'Write files through src/platform/artifacts.ts (writeArtifact): it redacts every secret.',
        },
      ],
    },
  },
  {
    files: ['src/kube/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(ACTIONS_TOOLKIT, ENTRY_POINTS, COMMANDS) },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(KUBERNETES_CLIENT, ENTRY_POINTS, COMMANDS) },
  },
  { files: ['src/entrypoints/**/*.ts'], rules: { 'no-restricted-imports': restrict(KUBERNETES_CLIENT) } },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(KUBERNETES_CLIENT, ACTIONS_TOOLKIT, ENTRY_POINTS) },
  },
  {
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        KUBERNETES_CLIENT,
        ACTIONS_TOOLKIT,
        ENTRY_POINTS,
        COMMANDS,
        BELOW('config', 'metrics', 'pipeline', 'report', 'kube', 'traffic', 'image'),
      ),
    },
  },
  {
    files: ['src/report/**/*.ts', 'src/metrics/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        KUBERNETES_CLIENT,
        ACTIONS_TOOLKIT,
        ENTRY_POINTS,
        COMMANDS,
        BELOW('report and metrics', 'pipeline', 'platform'),
      ),
    },
  },
  {
    // The judge: its own files and its errors, nothing else.
    files: ['src/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(IO_MODULES, {
        regex: '^(?!\\./|\\.\\./util/errors\\.ts$)',
        message: 'The judge imports nothing but its own files and util/errors.ts.',
      }),
    },
  },
  {
    // The planner: Kubernetes JSON in, objects and changes out.
    files: [
      'src/pipeline/plan.ts',
      'src/pipeline/clones.ts',
      'src/pipeline/pod-template.ts',
      'src/pipeline/names.ts',
    ],
    rules: {
      'no-restricted-imports': restrict(IO_MODULES, {
        regex: '^\\.\\./(?!kube/types\\.ts$|util/errors\\.ts$|image/reference\\.ts$)',
        message:
          'The planner imports only pipeline files, kube/types.ts, util/errors.ts and image/reference.ts.',
      }),
    },
  },
);
