/** "Already built for this revision?": finds a pushed image whose revision label matches, and re-points tags. */
import { REVISION_LABEL } from './labels.ts';
import type { Manifest, RegistryClient } from './registry-client.ts';

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export interface ExistingImage {
  manifest: Manifest;
  labels: Record<string, string>;
  /** Tags (names only) that do not point at this manifest yet. */
  missingTags: string[];
}

/** The labels of the image a manifest describes (the first platform's, for an index). */
export async function labelsOf(
  client: RegistryClient,
  path: string,
  manifest: Manifest,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  let current = manifest;
  const parsed = () => JSON.parse(current.body.toString('utf8')) as Record<string, unknown>;
  if (INDEX_TYPES.has(current.mediaType) || Array.isArray(parsed().manifests)) {
    const first = (parsed().manifests as { digest?: string }[] | undefined)?.find(
      (m) => typeof m.digest === 'string',
    );
    const child = first?.digest ? await client.getManifest(path, first.digest, signal) : undefined;
    if (!child) return {};
    current = child;
  }
  const configDigest = (parsed().config as { digest?: unknown } | undefined)?.digest;
  if (typeof configDigest !== 'string') return {};
  const config = JSON.parse((await client.getBlob(path, configDigest, signal)).toString('utf8')) as {
    config?: { Labels?: Record<string, string> };
  };
  return config.config?.Labels ?? {};
}

/** Looks each tag up; the first that holds an image labelled with `revision` is the existing build. */
export async function findExistingImage(
  client: RegistryClient,
  path: string,
  tags: readonly string[],
  revision: string,
  signal?: AbortSignal,
): Promise<ExistingImage | undefined> {
  const found = new Map<string, Manifest | undefined>();
  for (const tag of tags) found.set(tag, await client.getManifest(path, tag, signal));
  for (const manifest of found.values()) {
    if (!manifest) continue;
    const labels = await labelsOf(client, path, manifest, signal);
    if (labels[REVISION_LABEL] !== revision) continue;
    const missingTags = tags.filter((tag) => found.get(tag)?.digest !== manifest.digest);
    return { manifest, labels, missingTags };
  }
  return undefined;
}
