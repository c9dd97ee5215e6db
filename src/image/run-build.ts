/**
 * The build stage: resolve revision and branch, render tags and labels, skip when the registry already
 * holds an image for this revision (unless rebuild), else build (and push) with the chosen builder.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '../platform/types.ts';
import { ConfigError } from '../util/errors.ts';
import { readStoredCredentials } from './auth-file.ts';
import type { BuildRequest, BuildResult, RegistryCredentials } from './builder.ts';
import { createBuilder, type BuilderSettings } from './builders.ts';
import type { BuilderDeps } from './deps.ts';
import { findExistingImage } from './existing.ts';
import { ociLabels } from './labels.ts';
import {
  createRegistryClient,
  RegistryAuthError,
  type RegistryClientOptions,
  type RegistryClient,
} from './registry-client.ts';
import { resolveSource } from './revision.ts';
import { createProcessRunner, type CommandRunner } from './runner.ts';
import { digestReference, parseImageReference, taggedReference, type ImageReference } from './reference.ts';
import { imageTags } from './tags.ts';

export interface BuildOptions {
  /** `docker`, `buildah` or `none`. */
  builder: string;
  /** The repository to build into; for `none`, the image to deploy (a tag or digest allowed). */
  image: string;
  /** Default `.` (relative to `cwd`). */
  context?: string;
  /** Default `Containerfile` in the context, else `Dockerfile`. */
  file?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  platform?: string;
  labels?: Record<string, string>;
  /** Tag templates; default `{{sha}}` and `{{branch}}-{{short_sha}}`. */
  tags?: string[];
  insecureRegistry?: boolean;
  /** Default true. */
  push?: boolean;
  registryUsername?: string;
  registryPassword?: string;
  revision?: string;
  branch?: string;
  rebuild?: boolean;
  /** CI variables (revision, branch, source URL, GitHub detection) and stored registry logins. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  settings?: BuilderSettings;
  /** Injected by tests. */
  runner?: CommandRunner;
  now?: () => Date;
  registryClient?: (options: RegistryClientOptions) => RegistryClient;
}

export async function runBuild(
  options: BuildOptions,
  platform: Platform,
  signal?: AbortSignal,
): Promise<BuildResult> {
  const credentials = explicitCredentials(options, platform);
  const cwd = options.cwd ?? process.cwd();
  const runner = options.runner ?? createProcessRunner();
  const deps: BuilderDeps = { runner, log: platform, env: options.env };
  const builder = createBuilder(options.builder, deps, options.settings);
  const image = parseImageReference(options.image);
  const base = { push: options.push ?? true, insecureRegistry: options.insecureRegistry ?? false };

  if (builder.name === 'none') {
    const request: BuildRequest = {
      image,
      tags: [],
      context: cwd,
      file: '',
      buildArgs: {},
      labels: {},
      ...base,
      ...(credentials ? { credentials } : {}),
    };
    return platform.group(`Image ${options.image} (no build)`, () => builder.build(request, signal));
  }

  if (image.tag || image.digest) {
    throw new ConfigError(
      '--image',
      `${JSON.stringify(options.image)}: give the repository only; tags come from --tag`,
    );
  }
  const context = path.resolve(cwd, options.context ?? '.');
  await requireDirectory(context);
  const file = await containerfile(context, options.file ? path.resolve(cwd, options.file) : undefined);
  const source = await resolveSource(options, options.env, runner, context);
  const tags = imageTags(options.tags ?? [], { sha: source.revision, branch: source.branch });
  const labels = ociLabels(
    source,
    tags[0] ?? source.revision,
    (options.now ?? (() => new Date()))(),
    options.labels,
  );
  const request: BuildRequest = {
    image,
    tags: tags.map((tag) => taggedReference(image.repository, tag)),
    context,
    file,
    buildArgs: options.buildArgs ?? {},
    labels,
    ...base,
    ...(options.target ? { target: options.target } : {}),
    ...(options.platform ? { platform: options.platform } : {}),
    ...(credentials ? { credentials } : {}),
  };

  return platform.group(
    `Build ${image.repository} (${builder.name}, revision ${source.revision})`,
    async () => {
      if (request.push && !options.rebuild) {
        const lookup = credentials ?? (await readStoredCredentials(image.registry, options.env));
        if (lookup) platform.addSecret(lookup.password);
        const client = (options.registryClient ?? createRegistryClient)({
          registry: image.registry,
          insecure: request.insecureRegistry,
          ...(lookup ? { credentials: lookup } : {}),
        });
        const existing = await existingBuild(client, image, tags, source.revision, platform, signal);
        if (existing) return existing;
      }
      const result = await builder.build(request, signal);
      platform.info(
        result.pushed
          ? `Built and pushed ${result.reference} as ${result.tags.join(', ')}`
          : `Built ${result.tags.join(', ')} (image ${result.digest}), not pushed (--no-push)`,
      );
      return result;
    },
  );
}

/** The skip path: the registry already has this revision; point any missing tags at it. */
async function existingBuild(
  client: RegistryClient,
  image: ImageReference,
  tags: string[],
  revision: string,
  platform: Platform,
  signal?: AbortSignal,
): Promise<BuildResult | undefined> {
  let existing;
  try {
    existing = await findExistingImage(client, image.path, tags, revision, signal);
  } catch (error) {
    if (!(error instanceof RegistryAuthError)) throw error;
    platform.warning(`cannot look for an existing image, building: ${error.message}`);
    return undefined;
  }
  if (!existing) return undefined;
  for (const tag of existing.missingTags)
    await client.putManifest(image.path, tag, existing.manifest, signal);
  const reference = digestReference(image.repository, existing.manifest.digest);
  platform.info(
    `Skipped the build: ${reference} is already built for revision ${revision}` +
      `${existing.missingTags.length ? ` (tagged ${existing.missingTags.join(', ')})` : ''}; pass --rebuild to build it again`,
  );
  return {
    image: image.repository,
    digest: existing.manifest.digest,
    tags: tags.map((tag) => taggedReference(image.repository, tag)),
    reference,
    skipped: true,
    pushed: true,
    labels: existing.labels,
  };
}

/** Flags, else CANARY_REGISTRY_USERNAME/PASSWORD, else GitLab's CI_REGISTRY_USER/PASSWORD for CI_REGISTRY. */
function explicitCredentials(options: BuildOptions, platform: Platform): RegistryCredentials | undefined {
  const { env } = options;
  let username = options.registryUsername ?? env.CANARY_REGISTRY_USERNAME;
  let password = options.registryPassword ?? env.CANARY_REGISTRY_PASSWORD;
  if (!username && !password && env.CI_REGISTRY && options.image.startsWith(`${env.CI_REGISTRY}/`)) {
    username = env.CI_REGISTRY_USER;
    password = env.CI_REGISTRY_PASSWORD;
  }
  if (password) {
    platform.addSecret(password);
    if (username) platform.addSecret(`${username}:${password}`);
  }
  if (!username && !password) return undefined;
  if (!username) throw new ConfigError('--registry-username', 'is required with a registry password');
  if (!password) {
    throw new ConfigError(
      '--registry-password',
      `is required with --registry-username ${JSON.stringify(username)} (or set CANARY_REGISTRY_PASSWORD)`,
    );
  }
  return { username, password };
}

async function requireDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ConfigError('--context', `${JSON.stringify(dir)} is not a directory`);
}

async function containerfile(context: string, given: string | undefined): Promise<string> {
  const candidates = given
    ? [given]
    : [path.join(context, 'Containerfile'), path.join(context, 'Dockerfile')];
  for (const candidate of candidates) {
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
  }
  throw new ConfigError(
    '--file',
    given
      ? `${JSON.stringify(given)} is not a file`
      : `no Containerfile or Dockerfile in ${JSON.stringify(context)}; pass --file`,
  );
}
