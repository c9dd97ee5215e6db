import { configSchema, type SchemaNode } from './schema.ts';

/** The config definition as a standard JSON Schema document (our own keywords stripped) for editors. */
export function jsonSchemaDocument(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/org/canary-action/raw/main/schema/canary.schema.json',
    title: 'canary-action configuration',
    ...strip(configSchema),
  };
}

function strip(node: SchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'patternDescription') continue;
    if (key === 'properties') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([k, v]) => [k, strip(v)]),
      );
    } else if (key === 'anyOf' || key === 'allOf') {
      out[key] = (value as SchemaNode[]).map(strip);
    } else if (
      key === 'items' ||
      key === 'if' ||
      key === 'then' ||
      (key === 'additionalProperties' && typeof value === 'object')
    ) {
      out[key] = strip(value as SchemaNode);
    } else {
      out[key] = value;
    }
  }
  return out;
}
