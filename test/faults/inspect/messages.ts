/**
 * Is what the CLI printed a clear message? For a bad input the error must name the field, the value
 * and what was expected (each case gives the pattern), be of a readable size, and be an error the
 * tool raised on purpose: no stack trace, no "unexpected error", no crash of the runtime, no text said
 * twice, no Node warning, and no line a CI would read as a command (`::error::`, `::add-mask::`).
 */

export interface MessageExpectation {
  /** What the message must say (field, value, expectation). */
  says: RegExp;
  /** What it must not say (a known wrong wording). */
  notSays?: RegExp;
}

export const MAX_MESSAGE_BYTES = 4000;

/**
 * A clause said twice (the same cause printed twice): the message split at `;`, `: `, parentheses and
 * line breaks, clauses of at least `length` characters compared. A file path alone repeated is not one.
 */
export function repeatedText(text: string, length = 25): string | undefined {
  const seen = new Set<string>();
  for (const raw of text.split(/[;()\n]|: /)) {
    const clause = raw.trim().replace(/\s+/g, ' ');
    if (clause.length < length || /^["']?\/[^\s]*["']?$/.test(clause)) continue;
    if (seen.has(clause)) return clause;
    seen.add(clause);
  }
  return undefined;
}

export function nodeWarnings(stderr: string): string[] {
  return [...stderr.matchAll(/\(node:\d+\) (\[\w+\] )?(\w*Warning)[^\n]*/g)].map((m) => m[2]!);
}

export function workflowCommands(stdout: string): string[] {
  return [...stdout.matchAll(/^::(error|warning|notice|add-mask|set-output|stop-commands)\b[^\n]*/gm)].map(
    (m) => m[0].slice(0, 80),
  );
}

/** The problems with an error message; empty when it is clear. */
export function messageProblems(stdout: string, stderr: string, expect: MessageExpectation): string[] {
  const problems: string[] = [];
  const errors = stderr
    .split('\n')
    .filter((line) => line.startsWith('error: '))
    .join('\n');
  const message = errors || stderr;
  const shown = (text: string) => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);
  if (!errors) problems.push(`no "error:" line (stderr ${shown(stderr)})`);
  if (!expect.says.test(message)) problems.push(`the message does not say ${expect.says}: ${shown(message)}`);
  if (expect.notSays?.test(message)) problems.push(`the message says ${expect.notSays}: ${shown(message)}`);
  if (Buffer.byteLength(stderr) > MAX_MESSAGE_BYTES)
    problems.push(`${Buffer.byteLength(stderr)} bytes on stderr (at most ${MAX_MESSAGE_BYTES})`);
  const crash =
    /unexpected error|\n\s+at \S+ \(|\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|bad_alloc|FATAL ERROR|JavaScript heap/.exec(
      stderr,
    );
  if (crash) problems.push(`not an error raised on purpose: ${shown(crash[0])}`);
  const repeated = repeatedText(message);
  if (repeated) problems.push(`says the same thing twice: ${shown(repeated)}`);
  for (const warning of nodeWarnings(stderr)) problems.push(`Node warning ${warning}`);
  for (const command of workflowCommands(stdout))
    problems.push(`a CI workflow command in stdout: ${shown(command)}`);
  return problems;
}
