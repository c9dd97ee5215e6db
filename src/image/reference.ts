/**
 * The one image-reference module: `[host[:port]/]path[:tag][@sha256:…]` parsed the way Docker does, for
 * the build stage (the repository to push to) and the release (the image the canary runs, and which of
 * the stable's containers it replaces). Docker Hub names are normalised once, here: `nginx`,
 * `docker.io/nginx`, `index.docker.io/library/nginx` all name `docker.io/library/nginx`.
 */
import { ConfigError } from '../util/errors.ts';

export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export interface ImageReference {
  /** Registry host as written, with its port (`localhost:5000`); `docker.io` when none is written. */
  registry: string;
  /** Repository path inside the registry (`team/app`; `library/nginx` for a Docker Hub official image). */
  path: string;
  /** The repository as the user wrote it, without tag or digest (`localhost:5000/team/app`, `nginx`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Parses `[host[:port]/]path[:tag][@sha256:…]` the way Docker does: the first component is a registry
 * host when it has a `.` or a `:` or is `localhost`.
 */
export function parseImageReference(text: string, field = '--image'): ImageReference {
  const fail = (why: string): never => {
    throw new ConfigError(
      field,
      `${JSON.stringify(text)} is not an image reference: ${why} (expected [host[:port]/]path[:tag][@sha256:…])`,
    );
  };
  const [namePart = '', digest, ...extra] = text.split('@');
  if (extra.length > 0) fail('more than one "@"');
  if (digest !== undefined && !DIGEST_PATTERN.test(digest))
    fail(`digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  const lastSlash = namePart.lastIndexOf('/');
  const lastColon = namePart.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const repository = hasTag ? namePart.slice(0, lastColon) : namePart;
  const tag = hasTag ? namePart.slice(lastColon + 1) : undefined;
  if (tag !== undefined && !TAG_PATTERN.test(tag)) fail(`tag ${JSON.stringify(tag)} is not valid`);
  const components = repository.split('/');
  const first = components[0] ?? '';
  const hasHost =
    components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? first : 'docker.io';
  const pathComponents = hasHost ? components.slice(1) : components;
  if (hasHost && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(first))
    fail(`registry host ${JSON.stringify(first)} is not valid`);
  const bad = pathComponents.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined)
    fail(`path component ${JSON.stringify(bad)} must be lower-case letters, digits and . _ -`);
  const path =
    registry === 'docker.io' && pathComponents.length === 1
      ? `library/${pathComponents[0]}`
      : pathComponents.join('/');
  return { registry, path, repository, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function taggedReference(repository: string, tag: string): string {
  return `${repository}:${tag}`;
}

export function digestReference(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

/** The repository's canonical name, registry included: what two references must share to be one image. */
export function canonicalName(reference: ImageReference): string {
  const registry = reference.registry === 'index.docker.io' ? 'docker.io' : reference.registry;
  const components = reference.path.split('/');
  const path =
    registry === 'docker.io' && components.length === 1 ? `library/${reference.path}` : reference.path;
  return `${registry}/${path}`;
}

/** The canonical repository of a reference, or undefined when it is not a valid one. */
export function repositoryOf(text: string): string | undefined {
  try {
    return canonicalName(parseImageReference(text.trim(), 'image'));
  } catch {
    return undefined;
  }
}

/** A short label for the version a reference runs: its tag, else its digest. */
export function versionOf(reference: string): string {
  try {
    const parsed = parseImageReference(reference.trim(), 'image');
    return parsed.tag ?? parsed.digest ?? reference;
  } catch {
    return reference;
  }
}

/**
 * The reference the canary runs: the given one when it has a tag or digest; a bare repository needs
 * the digest of the image a build step pushed.
 */
export function resolveImage(image: string, digest?: string): { reference: string; digest?: string } {
  const parsed = parseImageReference(image.trim(), 'image');
  if (digest !== undefined && !DIGEST_PATTERN.test(digest)) {
    throw new ConfigError('digest', `expected sha256:<64 hex>, got ${JSON.stringify(digest)}`);
  }
  if (parsed.digest) return { reference: image.trim(), digest: parsed.digest };
  if (digest) return { reference: `${image.trim().replace(/:[^/:]+$/, '')}@${digest}`, digest };
  if (parsed.tag === undefined) {
    throw new ConfigError(
      'image',
      `expected a tag or a digest in ${JSON.stringify(image)} (a bare repository needs the digest of a build step)`,
    );
  }
  return { reference: image.trim() };
}
