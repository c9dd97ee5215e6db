/**
 * The one redaction every output goes through (logs, reports, dotenv, summaries, error messages):
 * each registered secret is replaced by `***` in the forms it is printed in — as written, URL-encoded,
 * base64, JSON- and HTML-escaped, and line by line when it spans lines (a private key).
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private longestFirst: string[] = [];

  add(value: string): void {
    // Very short values would shred ordinary words; they are not credentials anyway.
    if (value.length < 4) return;
    const forms = [
      value,
      encodeURIComponent(value),
      Buffer.from(value).toString('base64'),
      JSON.stringify(value).slice(1, -1),
      escapeHtml(value),
      ...value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length >= 16 && !/^-----(BEGIN|END) /.test(line)),
    ];
    for (const form of forms) this.secrets.add(form);
    this.longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  redact = (text: string): string => {
    let out = text;
    for (const secret of this.longestFirst) out = out.split(secret).join('***');
    return out;
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** `value` with `redact` applied to every string in it, keys included (plain JSON-safe data). */
export function redactStrings<T>(value: T, redact: (text: string) => string): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return redact(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [redact(key), walk(child)]));
    }
    return node;
  };
  return walk(value) as T;
}

/**
 * Log text that no CI can read as a command, whatever values it quotes: a line (a CR ends one too)
 * that starts with `::` is a GitHub workflow command, and `##[` anywhere in a line an old-style one.
 */
export function defuseCommands(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/^(\s*)::/gm, '$1> ::')
    .replace(/##\[/g, '## [');
}
