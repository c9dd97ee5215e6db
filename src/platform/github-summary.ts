/**
 * The job summary: the release or analysis report rendered by src/report/markdown.ts, or, for commands
 * without one (build, promote, rollback, cleanup, a failure before any report), a short account of
 * what happened. Pure: inputs in, markdown out.
 */
import { escapeMarkdown, renderMarkdown } from '../report/markdown.ts';
import { safeUrl, type RenderableReport, type ReportLinks } from '../report/view.ts';

export interface SummaryInput {
  mode: string;
  exitCode: number;
  /** The error message, when the command threw. */
  message?: string;
  outputs: Record<string, string>;
  report?: RenderableReport;
  links: ReportLinks;
}

const OUTPUT_ORDER = ['outcome', 'verdict', 'image', 'digest', 'reference', 'tags', 'canary', 'report'];

export function jobSummary(input: SummaryInput): string {
  if (input.report) {
    const rendered = renderMarkdown(input.report, input.links);
    return input.message ? `${rendered}\n**Error:** ${escapeMarkdown(input.message)}\n` : rendered;
  }
  const ok = input.exitCode === 0;
  const outcome = input.outputs.outcome ?? (ok ? 'done' : 'failed');
  const lines = [
    `## ${ok ? '✅' : '❌'} canary-action ${escapeMarkdown(input.mode)}: ${escapeMarkdown(outcome)}`,
  ];
  if (input.message) lines.push(`**Reason:** ${escapeMarkdown(input.message)} (exit code ${input.exitCode})`);
  else if (!ok) lines.push(`Exit code ${input.exitCode}.`);
  const facts = OUTPUT_ORDER.filter((name) => input.outputs[name]).map((name) => {
    const value = input.outputs[name]!.split('\n').map(escapeMarkdown).join(', ');
    return `**${name}:** ${value}`;
  });
  if (facts.length > 0) lines.push(facts.join(' · '));
  const runUrl = safeUrl(input.links.runUrl);
  if (runUrl) lines.push(`[Run](${runUrl})`);
  return `${lines.join('\n\n')}\n`;
}
