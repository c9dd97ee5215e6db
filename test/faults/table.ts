/** The results as the README shows them: a table per category and one line per failing case. */
import { CATEGORIES, type CaseResult } from './harness.ts';

const WHAT: Record<string, string> = {
  'bad-input': 'exit 2, a clear message naming field/value/expectation, nothing changed',
  fault: "a consistent end that exit code and report describe truthfully, and the case's expected end",
  secret: 'no planted secret in any output',
};

/** Distinct secret values found, counted once per case and secret. */
export function secretsFound(results: readonly CaseResult[]): number {
  return results.reduce((sum, r) => sum + new Set(r.leaks.map((l) => l.secret)).size, 0);
}

export function summaryTable(results: readonly CaseResult[]): string {
  const rows = [
    '| category | handled right means | cases tried | handled right | ending consistent | secrets found |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const category of CATEGORIES) {
    const of = results.filter((r) => r.category === category);
    if (of.length === 0) continue;
    const consistent = category === 'fault' ? String(of.filter((r) => r.consistent).length) : '—';
    rows.push(
      `| ${category} | ${WHAT[category]} | ${of.length} | ${of.filter((r) => r.ok).length} | ${consistent} | ${secretsFound(of)} |`,
    );
  }
  rows.push(
    `| **all** | | ${results.length} | ${results.filter((r) => r.ok).length} | | ${secretsFound(results)} |`,
  );
  return rows.join('\n');
}

export function failureLines(results: readonly CaseResult[]): string[] {
  return results
    .filter((r) => !r.ok)
    .map((r) => {
      const leaked = [
        ...new Set(
          r.leaks.map((l) => `${l.secret} in ${l.where}${l.form === 'as written' ? '' : ` (${l.form})`}`),
        ),
      ];
      const parts = [...r.problems, ...(leaked.length > 0 ? [`leaked: ${leaked.join(', ')}`] : [])];
      const tag = r.category === 'fault' && !r.consistent ? ' (inconsistent)' : '';
      return `- ${r.id}${tag} ${parts.join('; ')}`;
    });
}
