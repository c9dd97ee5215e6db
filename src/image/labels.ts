/** OCI image labels (annotations spec, `org.opencontainers.image.*`) and `K=V` flag parsing. */
import { ConfigError } from '../util/errors.ts';
import type { SourceInfo } from './revision.ts';

export const REVISION_LABEL = 'org.opencontainers.image.revision';

/** `2026-01-02T03:04:05Z`: RFC 3339 in UTC, whole seconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The standard labels, then the user's `--label`s (which win): revision, source (when known), created,
 * version (the first tag) and ref.name (the branch, when known).
 */
export function ociLabels(
  source: SourceInfo,
  firstTag: string,
  created: Date,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    [REVISION_LABEL]: source.revision,
    ...(source.sourceUrl ? { 'org.opencontainers.image.source': source.sourceUrl } : {}),
    'org.opencontainers.image.created': rfc3339(created),
    'org.opencontainers.image.version': firstTag,
    ...(source.branch ? { 'org.opencontainers.image.ref.name': source.branch } : {}),
    ...extra,
  };
}

/** Repeated `K=V` flags as a map; a value may itself contain `=`. */
export function parseKeyValues(values: readonly string[], field: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    const key = at > 0 ? item.slice(0, at) : '';
    if (!key || /\s/.test(key)) {
      throw new ConfigError(
        field,
        `${JSON.stringify(item)} is not KEY=VALUE (a non-empty key without spaces)`,
      );
    }
    result[key] = item.slice(at + 1);
  }
  return result;
}
