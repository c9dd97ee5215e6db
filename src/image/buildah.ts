/** `buildah build` into local storage, then `buildah push --digestfile` for each tag. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BackendError } from '../util/errors.ts';
import { writeAuthFile } from './auth-file.ts';
import type { BuildRequest, BuildResult, ImageBuilder } from './builder.ts';
import { runLogged, withTempDir, type BuilderDeps } from './deps.ts';
import { builderFailure } from './failure.ts';
import { digestReference } from './reference.ts';

export interface BuildahOptions {
  /** `vfs` works everywhere (no overlay or fuse needed); `overlay` is faster where the kernel allows. */
  storageDriver: string;
  /** `chroot` needs no user namespaces or runc; `oci` and `rootless` are buildah's others. */
  isolation: string;
}

export const DEFAULT_BUILDAH_OPTIONS: BuildahOptions = { storageDriver: 'vfs', isolation: 'chroot' };

export function buildahBuildArgs(
  request: BuildRequest,
  options: BuildahOptions,
  files: { iidFile: string; authFile?: string },
): string[] {
  const args = ['build', '--storage-driver', options.storageDriver, '--isolation', options.isolation];
  args.push('-f', request.file);
  for (const tag of request.tags) args.push('-t', tag);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (request.target) args.push('--target', request.target);
  if (request.platform) args.push('--platform', request.platform);
  if (files.authFile) args.push('--authfile', files.authFile);
  if (request.insecureRegistry) args.push('--tls-verify=false');
  args.push('--iidfile', files.iidFile, request.context);
  return args;
}

export function buildahPushArgs(
  tag: string,
  options: BuildahOptions,
  files: { digestFile: string; authFile?: string; insecure: boolean },
): string[] {
  const args = ['push', '--storage-driver', options.storageDriver, '--digestfile', files.digestFile];
  if (files.insecure) args.push('--tls-verify=false');
  if (files.authFile) args.push('--authfile', files.authFile);
  args.push(tag, `docker://${tag}`);
  return args;
}

export function createBuildahBuilder(
  deps: BuilderDeps,
  options: BuildahOptions = DEFAULT_BUILDAH_OPTIONS,
): ImageBuilder {
  return {
    name: 'buildah',
    build: (request, signal) =>
      withTempDir(async (dir): Promise<BuildResult> => {
        const authFile = request.credentials
          ? await writeAuthFile(dir, request.image.registry, request.credentials)
          : undefined;
        const iidFile = path.join(dir, 'iid');
        const build = await runLogged(
          deps,
          'buildah',
          buildahBuildArgs(request, options, { iidFile, authFile }),
          {
            signal,
          },
        );
        if (build.code !== 0) throw builderFailure('buildah', 'build', build.code, build.output);
        const imageId = normaliseDigest((await readFile(iidFile, 'utf8')).trim());
        const base = {
          image: request.image.repository,
          tags: request.tags,
          skipped: false,
          labels: request.labels,
        };
        if (!request.push)
          return { ...base, digest: imageId, reference: request.tags[0] ?? '', pushed: false };

        const digests = new Set<string>();
        for (const [index, tag] of request.tags.entries()) {
          const digestFile = path.join(dir, `digest-${index}`);
          const push = await runLogged(
            deps,
            'buildah',
            buildahPushArgs(tag, options, { digestFile, authFile, insecure: request.insecureRegistry }),
            { signal },
          );
          if (push.code !== 0) throw builderFailure('buildah', 'push', push.code, push.output);
          digests.add(normaliseDigest((await readFile(digestFile, 'utf8')).trim()));
        }
        const [digest = '', ...others] = digests;
        if (others.length > 0) {
          throw new BackendError(
            `buildah pushed the tags of one image with different digests: ${[...digests].join(', ')}`,
          );
        }
        return {
          ...base,
          digest,
          reference: digestReference(request.image.repository, digest),
          pushed: true,
        };
      }),
  };
}

function normaliseDigest(value: string): string {
  return value.startsWith('sha256:') ? value : `sha256:${value}`;
}
