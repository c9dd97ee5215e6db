import { QUERY_VARIABLES } from '../config/schema.ts';

export type QueryVariable = (typeof QUERY_VARIABLES)[number];
export type QueryVariables = Record<QueryVariable, string>;

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Variables whose values are label values, escaped for the backend's string syntax. */
const LABEL_VALUES: ReadonlySet<QueryVariable> = new Set(['track', 'namespace', 'workload']);

/** Names of the `{{variables}}` a query uses that canary-action does not know. */
export function unknownVariables(query: string): string[] {
  const known: ReadonlySet<string> = new Set(QUERY_VARIABLES);
  return [...query.matchAll(VARIABLE)].map((m) => m[1] ?? '').filter((name) => !known.has(name));
}

/** Fills a query's `{{variables}}`; label values go through the backend's `escape`. */
export function renderQuery(
  query: string,
  variables: QueryVariables,
  escape: (value: string) => string,
): string {
  return query.replace(VARIABLE, (_match, name: string) => {
    const key = name as QueryVariable;
    const value = variables[key];
    return LABEL_VALUES.has(key) ? escape(value) : value;
  });
}
