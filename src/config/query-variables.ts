import { QUERY_VARIABLES } from './schema.ts';

export type QueryVariable = (typeof QUERY_VARIABLES)[number];

/** A `{{variable}}` in a query (src/metrics/query.ts fills them in). */
export const QUERY_VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Names of the `{{variables}}` a query uses that canary-action does not know. */
export function unknownVariables(query: string): string[] {
  const known: ReadonlySet<string> = new Set(QUERY_VARIABLES);
  return [...query.matchAll(QUERY_VARIABLE)].map((m) => m[1] ?? '').filter((name) => !known.has(name));
}
