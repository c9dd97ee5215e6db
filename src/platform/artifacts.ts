/**
 * The one way the tool writes a file someone reads (the --report JSON, its markdown and HTML renderings,
 * the dotenv file, the job summary): through the platform's redaction, so an artifact added later
 * cannot forget it. ESLint allows `writeFile` nowhere else but where a credential is written on purpose
 * (a kubeconfig given as content, a registry auth file).
 */
import { writeFile } from 'node:fs/promises';
import { redactStrings } from '../util/redact.ts';
import type { Platform } from './types.ts';

export type Redaction = Pick<Platform, 'redact'>;

/** `text`, every registered secret replaced by `***`, written to `file` (created or replaced). */
export async function writeArtifact(platform: Redaction, file: string, text: string): Promise<void> {
  await writeFile(file, platform.redact(text));
}

/** `value` as indented JSON; its strings are redacted before they are escaped, then the text again. */
export async function writeJsonArtifact(platform: Redaction, file: string, value: unknown): Promise<void> {
  await writeArtifact(platform, file, `${JSON.stringify(redactStrings(value, platform.redact), null, 2)}\n`);
}
