import { writeFile } from 'node:fs/promises';
import type { BuildResult } from '../image/builder.ts';
import type { DockerCacheMode } from '../image/docker.ts';
import { parseKeyValues } from '../image/labels.ts';
import { runBuild, type BuildOptions } from '../image/run-build.ts';
import { ConfigError, ExitCode } from '../util/errors.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { BUILD_OPTIONS } from './flags.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { options, reportFile } = parseBuildFlags(context);
  const result = await runBuild(options, context.platform, context.signal);
  const { platform } = context;
  platform.setOutput('image', result.image);
  platform.setOutput('digest', result.digest);
  platform.setOutput('tags', result.tags.join('\n'));
  platform.setOutput('reference', result.reference);
  platform.info(`image: ${result.reference}`);
  if (reportFile) await writeFile(reportFile, `${JSON.stringify(buildReport(result), null, 2)}\n`);
  return ExitCode.Ok;
}

export function buildReport(result: BuildResult) {
  const { image, digest, tags, reference, skipped, pushed } = result;
  return { schemaVersion: 1, image, digest, tags, reference, skipped, pushed };
}

export function parseBuildFlags({ argv, env }: Pick<CommandContext, 'argv' | 'env'>): {
  options: BuildOptions;
  reportFile?: string;
} {
  const { values, positionals } = parseFlags(argv, BUILD_OPTIONS);
  if (positionals.length > 0) {
    throw new ConfigError('arguments', `unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  if (!values.image)
    throw new ConfigError('--image', 'is required: the repository to push to, e.g. ghcr.io/org/app');
  if (values.push && values['no-push'])
    throw new ConfigError('--push', 'and --no-push contradict each other');
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const options: BuildOptions = {
    builder: values.builder ?? 'buildah',
    image: values.image,
    env,
    push: !values['no-push'],
    insecureRegistry: values['insecure-registry'] ?? false,
    rebuild: values.rebuild ?? false,
    buildArgs: parseKeyValues(values['build-arg'] ?? [], '--build-arg'),
    labels: parseKeyValues(values.label ?? [], '--label'),
    tags: values.tag ?? [],
    ...optional('context', values.context),
    ...optional('file', values.file),
    ...optional('target', values.target),
    ...optional('platform', values.platform),
    ...optional('registryUsername', values['registry-username']),
    ...optional('registryPassword', values['registry-password']),
    ...optional('revision', values.revision),
    ...optional('branch', values.branch),
    settings: {
      ...(values.cache ? { docker: { cache: values.cache as DockerCacheMode } } : {}),
      buildah: {
        ...optional('storageDriver', values['storage-driver']),
        ...optional('isolation', values.isolation),
      },
    },
  };
  return { options, ...optional('reportFile', values.report) };
}
