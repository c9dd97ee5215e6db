/**
 * The config schema is the one source of defaults: `withDefaults` fills a document's missing keys from
 * the schema's `default`s, and the few defaults needed without a config file are read from it too.
 */
import { parseDuration } from '../util/durations.ts';
import { configSchema, type SchemaNode } from './schema.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object form of a node (`trafficShare` is false or an object). */
const objectForm = (schema: SchemaNode): SchemaNode | undefined =>
  schema.properties ? schema : schema.anyOf?.find((option) => option.properties);

const hasDefaults = (schema: SchemaNode): boolean =>
  Object.values(objectForm(schema)?.properties ?? {}).some((child) => child.default !== undefined);

/**
 * The value with every missing key that has a schema default filled in, nested objects included; an
 * absent optional object whose keys have defaults is filled as if written `{}`. Array items are left as
 * they are: metrics get theirs after their template is merged (load.ts).
 */
export function withDefaults(schema: SchemaNode, value: unknown): unknown {
  const form = objectForm(schema);
  if (!form?.properties || !isObject(value)) return value;
  const filled: Record<string, unknown> = { ...value };
  for (const [key, child] of Object.entries(form.properties)) {
    const given = filled[key];
    if (given === undefined && child.default !== undefined) filled[key] = structuredClone(child.default);
    else if (given === undefined && hasDefaults(child)) filled[key] = withDefaults(child, {});
    else if (given !== undefined) filled[key] = withDefaults(child, given);
  }
  return filled;
}

/** The schema node at a dotted path of object keys (`analysis.metrics`, `lockWait`). */
export function schemaAt(path: string): SchemaNode {
  let node: SchemaNode | undefined = configSchema;
  for (const key of path.split('.')) node = node && objectForm(node)?.properties?.[key];
  if (!node) throw new Error(`the config schema has no ${path}`);
  return node;
}

/** The router when there is no config file (promote, rollback, status and cleanup without --config). */
export const defaultRouter = (): string => String(schemaAt('traffic.router').default);

/** A duration's default in milliseconds, for commands that run without a config file. */
export const defaultDurationMs = (
  path: 'lockWait' | 'readyTimeout' | 'rollbackDeadline' | 'apiRetryBudget',
): number => parseDuration(schemaAt(path).default, path);
