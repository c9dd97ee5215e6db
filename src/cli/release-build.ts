import { parseKeyValues } from '../image/labels.ts';
import { runBuild } from '../image/run-build.ts';
import type { Platform } from '../platform/types.ts';
import { ConfigError } from '../util/errors.ts';

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
