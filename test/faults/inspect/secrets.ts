/**
 * The secret scanner: a case plants known secret values (a provider's bearer token, header values,
 * Datadog keys, the kubeconfig's token or client key, values of `${VAR}`s, a Secret's stringData in the
 * manifests …) and every output of the run is searched for each of them, as written and in the forms a
 * leak takes (base64, URL-encoded, JSON- and HTML-escaped): stdout, stderr, the --report JSON, the
 * markdown and HTML reports, the dotenv file, the GitHub step summary and output files, and any other
 * file under the case's output and temporary directories.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface PlantedSecret {
  /** What it is ("bearer token", "Datadog API key" …). */
  name: string;
  value: string;
}

export interface Leak {
  secret: string;
  /** Where it was found (stdout, stderr, out/report.json …) and in which form. */
  where: string;
  form: string;
}

/** A value no output contains by chance: `<prefix>-<24 hex>` (hex only, so a key format check accepts it). */
export const secretValue = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

const htmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The forms a value can take in an output. */
export function formsOf(value: string): Array<{ form: string; text: string }> {
  const forms = new Map<string, string>();
  const add = (form: string, text: string) => {
    if (text.length >= 6 && ![...forms.values()].includes(text)) forms.set(form, text);
  };
  add('as written', value);
  add('base64', Buffer.from(value).toString('base64').replace(/=+$/, ''));
  add('URL-encoded', encodeURIComponent(value));
  add('JSON-escaped', JSON.stringify(value).slice(1, -1));
  add('HTML-escaped', htmlEscape(value));
  // A multi-line value (a PEM key): its longest line alone is a leak too.
  const lines = value.split(/\r?\n/).filter((line) => line.length >= 24 && !/^-----/.test(line));
  if (lines.length > 1) add('a line of it', lines.sort((a, b) => b.length - a.length)[0]!);
  return [...forms].map(([form, text]) => ({ form, text }));
}

export function scan(
  secrets: readonly PlantedSecret[],
  outputs: ReadonlyArray<{ where: string; text: string }>,
): Leak[] {
  const leaks: Leak[] = [];
  for (const secret of secrets) {
    for (const { form, text } of formsOf(secret.value)) {
      for (const output of outputs) {
        if (output.text.includes(text)) leaks.push({ secret: secret.name, where: output.where, form });
      }
    }
  }
  return leaks;
}

/** Every regular file under `dir` (recursively), as text, with its path relative to `root`. */
export async function filesUnder(root: string, dir: string): Promise<Array<{ where: string; text: string }>> {
  const out: Array<{ where: string; text: string }> = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) out.push(...(await filesUnder(root, file)));
    else if (info.isFile() && info.size <= 64 * 1024 * 1024)
      out.push({ where: path.relative(root, file), text: await readFile(file, 'utf8') });
  }
  return out;
}

/**
 * What GitHub's runner would show of a step's stdout: `::add-mask::VALUE` lines register VALUE and are
 * not shown; every later line has the registered values replaced by `***`. A secret printed before it
 * was masked, or never masked, stays visible — a leak.
 */
export function asRunnerShowsIt(stdout: string): string {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of stdout.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      if (mask[1]) masks.push(mask[1]);
      continue;
    }
    let text = line;
    for (const value of [...masks].sort((a, b) => b.length - a.length)) text = text.split(value).join('***');
    shown.push(text);
  }
  return shown.join('\n');
}
