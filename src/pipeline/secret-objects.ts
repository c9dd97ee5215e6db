/**
 * Secrets in the manifests: their values are registered with the platform's redaction (an API error may
 * quote an object), and a dry run shows the objects with those values replaced.
 */
import type { KubeObject } from '../kube/types.ts';

export const REDACTED = '<redacted>';

const fieldsOf = (object: KubeObject) =>
  (['data', 'stringData'] as const).map((field) => ({ field, values: object[field] }));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every value of the Secrets among `objects`: as written, and `data`'s decoded from base64. */
export function secretValues(objects: readonly KubeObject[]): string[] {
  const found: string[] = [];
  for (const object of objects.filter((o) => o.kind === 'Secret')) {
    for (const { field, values } of fieldsOf(object)) {
      if (!isRecord(values)) continue;
      for (const value of Object.values(values)) {
        if (typeof value !== 'string' || value === '') continue;
        found.push(value);
        if (field === 'data') found.push(Buffer.from(value, 'base64').toString('utf8'));
      }
    }
  }
  return found;
}

/** The object as a dry run prints it: a Secret's `data` and `stringData` values are `<redacted>`. */
export function withSecretsRedacted(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const shown: KubeObject = { ...object };
  for (const { field, values } of fieldsOf(object)) {
    if (isRecord(values))
      shown[field] = Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED]));
  }
  return shown;
}
