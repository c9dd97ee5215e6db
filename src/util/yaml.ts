/**
 * Every YAML file the tool reads (config, kubeconfig, manifests) goes through here: read up to a size
 * limit (so `/dev/zero` or a 64 MB file is refused, not swallowed), parsed, and walked with a node budget
 * so an alias bomb (a few lines that expand to billions of nodes) is refused before anything walks it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { load, loadAll } from 'js-yaml';
import { ConfigError } from './errors.ts';

const MB = 1024 * 1024;

/** Size limits of the files read; documented in the README's "Limits" section. */
export const FILE_LIMITS = {
  config: 1 * MB,
  kubeconfig: 4 * MB,
  manifests: 8 * MB,
} as const;

/** Nodes a parsed document may expand to (aliases counted each time they are used). */
export const MAX_YAML_NODES = 1_000_000;

const formatBytes = (bytes: number) => (bytes >= MB ? `${bytes / MB} MB` : `${bytes} bytes`);

/** The file's text, refused past `maxBytes` without reading more than that (an endless device too). */
export function readLimited(file: string, maxBytes: number, field: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new ConfigError(field, `cannot read ${JSON.stringify(file)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) {
        throw new ConfigError(
          field,
          `${JSON.stringify(file)} is too large: expected at most ${formatBytes(maxBytes)}`,
        );
      }
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(field, `cannot read ${JSON.stringify(file)}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    closeSync(fd);
  }
}

/** Throws when `value` expands to more than `maxNodes` nodes (an alias bomb, or a cycle). */
export function checkExpansion(value: unknown, field: string, maxNodes = MAX_YAML_NODES): void {
  let budget = maxNodes;
  const stack: unknown[] = [value];
  while (stack.length > 0 && budget >= 0) {
    const node = stack.pop();
    budget--;
    if (typeof node === 'object' && node !== null) {
      for (const child of Array.isArray(node) ? node : Object.values(node)) {
        if (typeof child === 'object' && child !== null) stack.push(child);
        else budget--;
      }
    }
  }
  if (budget < 0) {
    throw new ConfigError(
      field,
      `expands to more than ${maxNodes.toLocaleString('en')} YAML nodes (aliases counted each time they are used): expected a document without an alias bomb`,
    );
  }
}

/** One YAML document; parser errors are thrown as-is (callers word them), expansion checked. */
export function loadYamlChecked(text: string, field: string, filename: string): unknown {
  const document: unknown = load(text, { filename });
  checkExpansion(document, field);
  return document;
}

/** Every document of a multi-document YAML text, expansion checked over all of them. */
export function loadAllYamlChecked(text: string, field: string, filename: string): unknown[] {
  const documents = loadAll(text, null, { filename });
  checkExpansion(documents, field);
  return documents;
}
