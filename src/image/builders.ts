/** The builder registry: `--builder` name → implementation. */
import { createRegistry } from '../util/registry.ts';
import type { BuilderName, ImageBuilder } from './builder.ts';
import { createBuildahBuilder, DEFAULT_BUILDAH_OPTIONS, type BuildahOptions } from './buildah.ts';
import type { BuilderDeps } from './deps.ts';
import { createDockerBuilder, DEFAULT_DOCKER_OPTIONS, type DockerOptions } from './docker.ts';
import { createNoneBuilder } from './none.ts';

export interface BuilderSettings {
  buildah?: Partial<BuildahOptions>;
  docker?: Partial<DockerOptions>;
}

type BuilderFactory = (deps: BuilderDeps, settings: BuilderSettings) => ImageBuilder;

export const BUILDERS = createRegistry<BuilderFactory>('builder', {
  docker: (deps, settings) => createDockerBuilder(deps, { ...DEFAULT_DOCKER_OPTIONS, ...settings.docker }),
  buildah: (deps, settings) =>
    createBuildahBuilder(deps, { ...DEFAULT_BUILDAH_OPTIONS, ...settings.buildah }),
  none: (deps) => createNoneBuilder(deps),
} satisfies Record<BuilderName, BuilderFactory>);

export function createBuilder(name: string, deps: BuilderDeps, settings: BuilderSettings = {}): ImageBuilder {
  return BUILDERS.get(name, '--builder')(deps, settings);
}
