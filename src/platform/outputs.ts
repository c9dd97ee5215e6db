/**
 * GitLab's `artifacts:reports:dotenv` file. GitLab's parser (Ci::ParseDotenvArtifactService) reads each
 * line as `^(.*?)=(.*)$`, strips both sides, keeps quotes literally, rejects empty lines and files of
 * 5 KB or more, and stores the values as expandable variables (`$X` in a value is expanded later).
 * So: one `KEY=value` line per output, upper-case keys of [A-Z0-9_], lists joined with commas, `$`
 * written as `$$`, and a value with a line break or edge whitespace rejected rather than mangled.
 */
import { ConfigError } from '../util/errors.ts';
import { writeArtifact, type Redaction } from './artifacts.ts';

/** GitLab's default `dotenv_size` limit: the file must be smaller than this. */
export const DOTENV_MAX_BYTES = 5 * 1024;

export type OutputValue = string | readonly string[] | undefined;

/** `decided-at` → `DECIDED_AT`; anything that cannot become a GitLab variable name is an error. */
export function dotenvKey(name: string): string {
  const key = name.replace(/-/g, '_').toUpperCase();
  if (!/^[A-Z0-9_]+$/.test(key)) {
    throw new ConfigError(
      `output ${JSON.stringify(name)}`,
      'expected letters, digits, `_` or `-` in an output name',
    );
  }
  return key;
}

export function dotenvValue(name: string, value: string | readonly string[]): string {
  const text = typeof value === 'string' ? value : value.join(',');
  if (/[\r\n]/.test(text)) {
    throw new ConfigError(
      `output ${name}`,
      `a dotenv value must be one line (GitLab does not support multi-line values), got ${JSON.stringify(text)}`,
    );
  }
  if (text !== text.trim()) {
    throw new ConfigError(
      `output ${name}`,
      `leading or trailing whitespace would be stripped by GitLab's dotenv parser, got ${JSON.stringify(text)}`,
    );
  }
  return text.replace(/\$/g, '$$$$');
}

/** The dotenv text for the given outputs, in their order; undefined values are left out. */
export function formatDotenv(outputs: Record<string, OutputValue>): string {
  const lines: string[] = [];
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const key = dotenvKey(name);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ConfigError(`output ${name}`, `becomes ${key}, the same variable as output ${earlier}`);
    }
    seen.set(key, name);
    lines.push(`${key}=${dotenvValue(name, value)}`);
  }
  const text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (Buffer.byteLength(text) >= DOTENV_MAX_BYTES) {
    throw new ConfigError(
      'dotenv',
      `the outputs take ${Buffer.byteLength(text)} bytes; GitLab accepts dotenv files under ${DOTENV_MAX_BYTES} bytes`,
    );
  }
  return text;
}

/** Writes the dotenv report file (created or replaced). */
export async function writeDotenv(
  platform: Redaction,
  file: string,
  outputs: Record<string, OutputValue>,
): Promise<void> {
  await writeArtifact(platform, file, formatDotenv(outputs));
}
