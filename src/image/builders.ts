/** The builder registry: `--builder` name → implementation. */
import { ConfigError } from '../util/errors.ts';
import type { ImageBuilder } from './builder.ts';
import { createBuildahBuilder, DEFAULT_BUILDAH_OPTIONS, type BuildahOptions } from './buildah.ts';
import type { BuilderDeps } from './deps.ts';
import { createDockerBuilder, DEFAULT_DOCKER_OPTIONS, type DockerOptions } from './docker.ts';
import { createNoneBuilder } from './none.ts';

export interface BuilderSettings {
  buildah?: Partial<BuildahOptions>;
  docker?: Partial<DockerOptions>;
}

const BUILDERS: Record<string, (deps: BuilderDeps, settings: BuilderSettings) => ImageBuilder> = {
  docker: (deps, settings) => createDockerBuilder(deps, { ...DEFAULT_DOCKER_OPTIONS, ...settings.docker }),
  buildah: (deps, settings) =>
    createBuildahBuilder(deps, { ...DEFAULT_BUILDAH_OPTIONS, ...settings.buildah }),
  none: (deps) => createNoneBuilder(deps),
};

export const BUILDER_NAMES = Object.keys(BUILDERS);

export function createBuilder(name: string, deps: BuilderDeps, settings: BuilderSettings = {}): ImageBuilder {
  const factory = BUILDERS[name];
  if (!factory) {
    throw new ConfigError(
      '--builder',
      `unknown builder ${JSON.stringify(name)} (valid: ${BUILDER_NAMES.join(', ')})`,
    );
  }
  return factory(deps, settings);
}
