/** `docker buildx build --push --metadata-file`: the digest is the metadata's `containerimage.digest`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BackendError, ConfigError } from '../util/errors.ts';
import type { BuildRequest, BuildResult, ImageBuilder } from './builder.ts';
import { runLogged, withTempDir, type BuilderDeps } from './deps.ts';
import { builderFailure } from './failure.ts';
import { digestReference } from './reference.ts';

export const DOCKER_CACHE_MODES = ['auto', 'gha', 'registry', 'none'] as const;
export type DockerCacheMode = (typeof DOCKER_CACHE_MODES)[number];

export interface DockerOptions {
  /** `auto`: the GitHub Actions cache on GitHub (GITHUB_ACTIONS=true with ACTIONS_RUNTIME_TOKEN), none elsewhere. */
  cache: DockerCacheMode;
}

export const DEFAULT_DOCKER_OPTIONS: DockerOptions = { cache: 'auto' };

export function cacheArgs(mode: DockerCacheMode, repository: string, env: NodeJS.ProcessEnv): string[] {
  // BuildKit's gha cache needs the runtime token, which GitHub gives JavaScript actions but not `run:` steps.
  const onGitHub = env.GITHUB_ACTIONS === 'true' && !!env.ACTIONS_RUNTIME_TOKEN;
  const effective = mode === 'auto' ? (onGitHub ? 'gha' : 'none') : mode;
  if (effective === 'gha') return ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max'];
  if (effective === 'registry') {
    const ref = `${repository}:buildcache`;
    return ['--cache-from', `type=registry,ref=${ref}`, '--cache-to', `type=registry,ref=${ref},mode=max`];
  }
  return [];
}

export function dockerBuildArgs(
  request: BuildRequest,
  options: DockerOptions,
  env: NodeJS.ProcessEnv,
  metadataFile: string,
): string[] {
  const args = ['buildx', 'build', '--file', request.file];
  for (const tag of request.tags) args.push('--tag', tag);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (request.target) args.push('--target', request.target);
  if (request.platform) args.push('--platform', request.platform);
  args.push('--metadata-file', metadataFile);
  if (!request.push) args.push('--load');
  else if (request.insecureRegistry) {
    // --push cannot say "plain http"; the image exporter can. Names with commas need CSV quoting.
    args.push('--output', `type=image,"name=${request.tags.join(',')}",push=true,registry.insecure=true`);
  } else args.push('--push');
  args.push(...cacheArgs(options.cache, request.image.repository, env));
  args.push(request.context);
  return args;
}

/** `docker login` reads the password from stdin, so it never appears in argv or the log. */
export function dockerLoginArgs(registry: string, username: string): string[] {
  return ['login', '--username', username, '--password-stdin', registry];
}

export function createDockerBuilder(
  deps: BuilderDeps,
  options: DockerOptions = DEFAULT_DOCKER_OPTIONS,
): ImageBuilder {
  if (!(DOCKER_CACHE_MODES as readonly string[]).includes(options.cache)) {
    throw new ConfigError(
      '--cache',
      `${JSON.stringify(options.cache)} is not one of ${DOCKER_CACHE_MODES.join(', ')}`,
    );
  }
  return {
    name: 'docker',
    build: (request, signal) =>
      withTempDir(async (dir): Promise<BuildResult> => {
        if (request.credentials && request.push) {
          const login = await runLogged(
            deps,
            'docker',
            dockerLoginArgs(request.image.registry, request.credentials.username),
            {
              signal,
              stdin: request.credentials.password,
            },
          );
          if (login.code !== 0) throw builderFailure('docker', 'push', login.code, login.output);
        }
        const metadataFile = path.join(dir, 'metadata.json');
        const build = await runLogged(
          deps,
          'docker',
          dockerBuildArgs(request, options, deps.env, metadataFile),
          {
            signal,
          },
        );
        if (build.code !== 0) throw builderFailure('docker', 'build', build.code, build.output);
        const digest = readDigest(await readFile(metadataFile, 'utf8'), request.push);
        const base = {
          image: request.image.repository,
          tags: request.tags,
          skipped: false,
          labels: request.labels,
        };
        return request.push
          ? { ...base, digest, reference: digestReference(request.image.repository, digest), pushed: true }
          : { ...base, digest, reference: request.tags[0] ?? '', pushed: false };
      }),
  };
}

/** `containerimage.digest` (the pushed manifest or index); a local build may only have the config digest. */
export function readDigest(metadataJson: string, pushed: boolean): string {
  const metadata = JSON.parse(metadataJson) as Record<string, unknown>;
  const digest =
    metadata['containerimage.digest'] ?? (pushed ? undefined : metadata['containerimage.config.digest']);
  if (typeof digest !== 'string' || !digest.startsWith('sha256:')) {
    throw new BackendError(
      `docker buildx wrote no containerimage.digest in its metadata file: ${metadataJson.slice(0, 300)}`,
    );
  }
  return digest;
}
