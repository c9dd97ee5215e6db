/** Replaces every registered secret (and its URL-encoded and base64 forms) in text with `***`. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string): void {
    // Very short values would shred ordinary words; they are not credentials anyway.
    if (value.length < 4) return;
    this.secrets.add(value);
    this.secrets.add(encodeURIComponent(value));
    this.secrets.add(Buffer.from(value).toString('base64'));
  }

  redact(text: string): string {
    let out = text;
    const longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of longestFirst) out = out.split(secret).join('***');
    return out;
  }
}
