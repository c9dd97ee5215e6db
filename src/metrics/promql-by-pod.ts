/**
 * The per-pod variant of an aggregate PromQL query, for the judge's pod-noise floor: `sum(X)` becomes
 * `sum by (pod) (X)` and `sum by (le) (X)` becomes `sum by (pod, le) (X)`. Only a query that is one
 * outer `sum` over everything is rewritten; anything else (ratios, `without`, several aggregations)
 * returns undefined, and the judge then works without per-pod data.
 */
export function promqlByPod(query: string): string | undefined {
  const match = /^\s*sum\s*(?:by\s*\(([^()]*)\)\s*)?\(/.exec(query);
  if (!match) return undefined;
  const open = match[0].length - 1;
  if (closingParen(query, open) !== query.trimEnd().length - 1) return undefined;
  const labels = (match[1] ?? '')
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label && label !== 'pod');
  return `sum by (${['pod', ...labels].join(', ')}) ${query.slice(open).trimEnd()}`;
}

/** Index of the parenthesis closing the one at `open`, skipping quoted strings; -1 when unbalanced. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
