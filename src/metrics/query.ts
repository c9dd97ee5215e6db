import { QUERY_VARIABLE, type QueryVariable } from '../config/query-variables.ts';

export { unknownVariables, type QueryVariable } from '../config/query-variables.ts';
export type QueryVariables = Record<QueryVariable, string>;

/** Variables whose values are label values, escaped for the backend's string syntax. */
const LABEL_VALUES: ReadonlySet<QueryVariable> = new Set(['track', 'namespace', 'workload']);

/** Fills a query's `{{variables}}`; label values go through the backend's `escape`. */
export function renderQuery(
  query: string,
  variables: QueryVariables,
  escape: (value: string) => string,
): string {
  return query.replace(QUERY_VARIABLE, (_match, name: string) => {
    const key = name as QueryVariable;
    const value = variables[key];
    return LABEL_VALUES.has(key) ? escape(value) : value;
  });
}
