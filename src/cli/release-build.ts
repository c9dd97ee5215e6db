import { parseKeyValues } from '../image/labels.ts';
import { runBuild } from '../image/run-build.ts';
import type { Platform } from '../platform/types.ts';
import { ConfigError } from '../util/errors.ts';

/**
 * Build flags of `run` and `deploy`: with `--builder`, the image is built and pushed first and the
 * canary runs `repository@sha256:…`. Named `--build-*` where `build`'s own names (`--context`,
 * `--file`, `--target`, `--platform`) would clash with the release's flags.
 */
export const RELEASE_BUILD_OPTIONS = {
  builder: { type: 'string' },
  'build-context': { type: 'string' },
  'build-file': { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  'build-target': { type: 'string' },
  'build-platform': { type: 'string' },
  label: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  'insecure-registry': { type: 'boolean' },
  'registry-username': { type: 'string' },
  'registry-password': { type: 'string' },
  branch: { type: 'string' },
  rebuild: { type: 'boolean' },
} as const;

export const RELEASE_BUILD_USAGE = `  --builder NAME        Build and push the image first (buildah | docker | none) and deploy it by digest;
                        --image is then the repository. See \`canary-action build --help\`.
  --build-context DIR   Build context (default .).       --build-file FILE   Containerfile.
  --build-arg K=V       Build argument (repeatable).     --build-target STAGE, --build-platform OS/ARCH
  --label K=V, --tag TEMPLATE, --insecure-registry, --registry-username USER, --registry-password PASS,
  --branch NAME, --rebuild   As for \`canary-action build\`.`;

export interface ReleaseBuildFlags {
  builder?: string;
  'build-context'?: string;
  'build-file'?: string;
  'build-arg'?: string[];
  'build-target'?: string;
  'build-platform'?: string;
  label?: string[];
  tag?: string[];
  'insecure-registry'?: boolean;
  'registry-username'?: string;
  'registry-password'?: string;
  branch?: string;
  rebuild?: boolean;
  revision?: string;
}

/** Runs the build stage when a builder is given; returns the immutable reference to deploy. */
export async function buildForRelease(
  flags: ReleaseBuildFlags,
  repository: string | undefined,
  env: NodeJS.ProcessEnv,
  platform: Platform,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (!flags.builder) return undefined;
  if (!repository) {
    throw new ConfigError(
      '--image',
      'is required with --builder: the repository to push to, e.g. ghcr.io/org/web',
    );
  }
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const result = await platform.group('Build', () =>
    runBuild(
      {
        builder: flags.builder as string,
        image: repository,
        env,
        push: true,
        insecureRegistry: flags['insecure-registry'] ?? false,
        rebuild: flags.rebuild ?? false,
        buildArgs: parseKeyValues(flags['build-arg'] ?? [], '--build-arg'),
        labels: parseKeyValues(flags.label ?? [], '--label'),
        tags: flags.tag ?? [],
        ...optional('context', flags['build-context']),
        ...optional('file', flags['build-file']),
        ...optional('target', flags['build-target']),
        ...optional('platform', flags['build-platform']),
        ...optional('registryUsername', flags['registry-username']),
        ...optional('registryPassword', flags['registry-password']),
        ...optional('revision', flags.revision),
        ...optional('branch', flags.branch),
      },
      platform,
      signal,
    ),
  );
  if (!result.pushed || !result.reference.includes('@sha256:')) {
    throw new ConfigError(
      '--builder',
      `the image was not pushed, so there is no digest to deploy (${result.reference})`,
    );
  }
  platform.setOutput('image', result.image);
  platform.setOutput('digest', result.digest);
  platform.setOutput('tags', result.tags.join('\n'));
  platform.info(
    `built ${result.reference}${result.skipped ? ' (already in the registry for this revision)' : ''}`,
  );
  return result.reference;
}
