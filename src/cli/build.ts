import { writeFile } from 'node:fs/promises';
import type { BuildResult } from '../image/builder.ts';
import { BUILDER_NAMES } from '../image/builders.ts';
import type { DockerCacheMode } from '../image/docker.ts';
import { parseKeyValues } from '../image/labels.ts';
import { runBuild, type BuildOptions } from '../image/run-build.ts';
import { ConfigError, ExitCode } from '../util/errors.ts';
import { parseFlags, type Command, type CommandContext } from './command.ts';

const OPTIONS = {
  builder: { type: 'string' },
  image: { type: 'string' },
  context: { type: 'string' },
  file: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  target: { type: 'string' },
  platform: { type: 'string' },
  label: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  'insecure-registry': { type: 'boolean' },
  push: { type: 'boolean' },
  'no-push': { type: 'boolean' },
  'registry-username': { type: 'string' },
  'registry-password': { type: 'string' },
  revision: { type: 'string' },
  branch: { type: 'string' },
  rebuild: { type: 'boolean' },
  report: { type: 'string' },
  cache: { type: 'string' },
  'storage-driver': { type: 'string' },
  isolation: { type: 'string' },
} as const;

export const buildCommand: Command = {
  name: 'build',
  summary: 'Build, tag and push the image; print its digest (skips a revision already pushed).',
  options: OPTIONS,
  usage: `  --builder NAME            ${BUILDER_NAMES.join(' | ')} (default buildah).
  --image REPOSITORY        Repository to push to, e.g. ghcr.io/org/app (for none: the image to deploy). Required.
  --context DIR             Build context (default .).
  --file FILE               Containerfile (default Containerfile, else Dockerfile, in the context).
  --build-arg K=V           Build argument (repeatable).
  --target STAGE            Build this stage of a multi-stage Containerfile.
  --platform OS/ARCH        Target platform, e.g. linux/amd64.
  --label K=V               Extra image label (repeatable); wins over the OCI labels.
  --tag TEMPLATE            Tag template with {{sha}}, {{short_sha}}, {{branch}} (repeatable;
                            default {{sha}} and {{branch}}-{{short_sha}}).
  --push / --no-push        Push to the registry (default) or only build locally.
  --insecure-registry       Talk plain http to the registry.
  --registry-username USER  Registry login (or CANARY_REGISTRY_USERNAME).
  --registry-password PASS  Registry password or token (better: CANARY_REGISTRY_PASSWORD).
  --revision SHA            Commit (default: GITHUB_SHA, CI_COMMIT_SHA, else git rev-parse HEAD).
  --branch NAME             Branch (default: GITHUB_HEAD_REF/GITHUB_REF_NAME, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME/
                            CI_COMMIT_REF_NAME, else git branch --show-current).
  --rebuild                 Build even when the registry already has an image for this revision.
  --report FILE             Write {image, digest, tags, reference, skipped, pushed} as JSON here.
  --cache MODE              docker: auto | gha | registry | none (default auto: gha on GitHub).
  --storage-driver NAME     buildah: storage driver (default vfs).
  --isolation MODE          buildah: isolation (default chroot).`,
  async run(context) {
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
  },
};

export function buildReport(result: BuildResult) {
  const { image, digest, tags, reference, skipped, pushed } = result;
  return { schemaVersion: 1, image, digest, tags, reference, skipped, pushed };
}

export function parseBuildFlags({ argv, env }: Pick<CommandContext, 'argv' | 'env'>): {
  options: BuildOptions;
  reportFile?: string;
} {
  const { values, positionals } = parseFlags(argv, OPTIONS);
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
