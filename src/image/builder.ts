/** The contract every image builder (docker, buildah, none) implements. */
import type { ImageReference } from './reference.ts';

/** The `--builder` names, in the order the help lists them (builders.ts registers one builder each). */
export const BUILDER_NAMES = ['docker', 'buildah', 'none'] as const;
export type BuilderName = (typeof BUILDER_NAMES)[number];

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface BuildRequest {
  /** The repository to build into (docker/buildah), or the image as given (none). */
  image: ImageReference;
  /** Full tag references `repository:tag`, first one primary. */
  tags: string[];
  /** Absolute paths. */
  context: string;
  file: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  platform?: string;
  push: boolean;
  /** Talk plain http to the registry (and skip TLS verification). */
  insecureRegistry: boolean;
  /** From flags or env; undefined means "use the credentials the tool already has". */
  credentials?: RegistryCredentials;
}

export interface BuildResult {
  /** The repository (`localhost:5000/team/app`). */
  image: string;
  /** `sha256:…`: the pushed manifest's digest; without push, the local image id; '' when unknown (none). */
  digest: string;
  /** Full references `repository:tag`. */
  tags: string[];
  /** `repository@sha256:…` when pushed (what deploys use); the first tag otherwise. */
  reference: string;
  /** True when the image already existed for this revision and nothing was built. */
  skipped: boolean;
  /** False for `--no-push` builds, which exist only in the builder's local storage. */
  pushed: boolean;
  labels: Record<string, string>;
}

export interface ImageBuilder {
  readonly name: string;
  build(request: BuildRequest, signal?: AbortSignal): Promise<BuildResult>;
}
