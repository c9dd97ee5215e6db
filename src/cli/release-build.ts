import type { BuildSettings } from '../config/settings.ts';
import { parseKeyValues } from '../image/labels.ts';
import { runBuild } from '../image/run-build.ts';
import type { Platform } from '../platform/types.ts';
import { ConfigError } from '../util/errors.ts';

/** Runs the build stage when a builder is given; returns the immutable reference to deploy. */
export async function buildForRelease(
  build: BuildSettings,
  revision: string | undefined,
  repository: string | undefined,
  env: NodeJS.ProcessEnv,
  platform: Platform,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { builder } = build;
  if (!builder) return undefined;
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
        builder,
        image: repository,
        env,
        push: true,
        insecureRegistry: build.insecureRegistry ?? false,
        rebuild: build.rebuild ?? false,
        buildArgs: parseKeyValues(build.buildArgs, '--build-arg'),
        labels: parseKeyValues(build.labels, '--label'),
        tags: build.tags,
        ...optional('context', build.context),
        ...optional('file', build.file),
        ...optional('target', build.target),
        ...optional('platform', build.platform),
        ...optional('registryUsername', build.registryUsername),
        ...optional('registryPassword', build.registryPassword),
        ...optional('revision', revision),
        ...optional('branch', build.branch),
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
