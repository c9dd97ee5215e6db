import type { BuildResult } from '../image/builder.ts';
import type { DockerCacheMode } from '../image/docker.ts';
import { parseKeyValues } from '../image/labels.ts';
import { writeJsonArtifact } from '../platform/artifacts.ts';
import { runBuild, type BuildOptions } from '../image/run-build.ts';
import { ConfigError, ExitCode } from '../util/errors.ts';
import type { Settings } from '../config/settings.ts';
import { parseFlags, type CommandContext } from './command.ts';
import { settingsFromFlags } from './settings.ts';
import { BUILD_OPTIONS } from './flags.ts';

export async function execute(context: CommandContext): Promise<number> {
  const { options, reportFile } = buildOptions(context.settings, context.env);
  const result = await runBuild(options, context.platform, context.signal);
  const { platform } = context;
  platform.setOutput('image', result.image);
  platform.setOutput('digest', result.digest);
  platform.setOutput('tags', result.tags.join('\n'));
  platform.setOutput('reference', result.reference);
  platform.info(`image: ${result.reference}`);
  if (reportFile) await writeJsonArtifact(platform, reportFile, buildReport(result));
  return ExitCode.Ok;
}

export function buildReport(result: BuildResult) {
  const { image, digest, tags, reference, skipped, pushed } = result;
  return { schemaVersion: 1, image, digest, tags, reference, skipped, pushed };
}

/** `build`'s command line to its options (what the CLI adapter and buildOptions do in turn). */
export function parseBuildFlags({ argv, env }: { argv: string[]; env: NodeJS.ProcessEnv }) {
  const { values, positionals } = parseFlags(argv, BUILD_OPTIONS);
  return buildOptions(settingsFromFlags('build', values, positionals), env);
}

/** The build's options from the settings; `--image` is required, `--push` and `--no-push` exclude each other. */
export function buildOptions(
  settings: Settings,
  env: NodeJS.ProcessEnv,
): { options: BuildOptions; reportFile?: string } {
  const { build } = settings;
  if (!settings.image)
    throw new ConfigError('--image', 'is required: the repository to push to, e.g. ghcr.io/org/app');
  if (build.push && build.noPush) throw new ConfigError('--push', 'and --no-push contradict each other');
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const options: BuildOptions = {
    builder: build.builder ?? 'buildah',
    image: settings.image,
    env,
    push: !build.noPush,
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
    ...optional('revision', settings.revision),
    ...optional('branch', build.branch),
    settings: {
      ...(build.cache ? { docker: { cache: build.cache as DockerCacheMode } } : {}),
      buildah: {
        ...optional('storageDriver', build.storageDriver),
        ...optional('isolation', build.isolation),
      },
    },
  };
  return { options, ...optional('reportFile', settings.report) };
}
