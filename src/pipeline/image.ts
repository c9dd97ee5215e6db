import { ConfigError } from '../util/errors.ts';

export interface ImageReference {
  /** Normalised repository: registry host (with port) and path, `docker.io/library/` added for short names. */
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Splits an image reference. The tag is after the last `:` that follows the last `/`, so a registry
 * port (`localhost:5000/team/web`) is never mistaken for a tag.
 */
export function parseImage(reference: string): ImageReference {
  const [name = '', digest, ...rest] = reference.trim().split('@');
  if (!name || rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) {
    throw new ConfigError(
      'image',
      `expected an image reference such as registry/name:tag or name@sha256:<64 hex>, got ${JSON.stringify(reference)}`,
    );
  }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (
    !/^[a-z0-9]+([._/:-][a-z0-9]+|__[a-z0-9]+)*$/i.test(repository) ||
    (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
  ) {
    throw new ConfigError(
      'image',
      `expected an image reference such as registry/name:tag or name@sha256:<64 hex>, got ${JSON.stringify(reference)}`,
    );
  }
  return {
    repository: normaliseRepository(repository),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

function normaliseRepository(repository: string): string {
  const [first = '', ...path] = repository.split('/');
  const isRegistry = path.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (isRegistry)
    return repository.toLowerCase().startsWith('index.docker.io/')
      ? `docker.io/${path.join('/')}`
      : repository;
  return path.length === 0 ? `docker.io/library/${first}` : `docker.io/${repository}`;
}

/** Whether two references name the same repository (tags and digests ignored). */
export function sameRepository(a: string, b: string): boolean {
  try {
    return parseImage(a).repository === parseImage(b).repository;
  } catch {
    return false;
  }
}

/**
 * The reference the canary runs: the given one when it has a tag or digest; a bare repository needs
 * the digest of the image a build step pushed.
 */
export function resolveImage(image: string, digest?: string): { reference: string; digest?: string } {
  const parsed = parseImage(image);
  if (digest !== undefined && !DIGEST.test(digest)) {
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

/** A short label for the version a reference runs: its tag, else its digest. */
export function versionOf(reference: string): string {
  try {
    const parsed = parseImage(reference);
    return parsed.tag ?? parsed.digest ?? reference;
  } catch {
    return reference;
  }
}
