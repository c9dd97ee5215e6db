import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';
import { FILE_LIMITS, loadAllYamlChecked, readLimited } from '../util/yaml.ts';
import { checkManifestSet, checkObjectSchema } from './manifest-check.ts';

/** Where each parsed object came from (file and document), for messages. */
const ORIGIN = new WeakMap<KubeObject, string>();
export const originOf = (object: KubeObject): string => ORIGIN.get(object) ?? object.metadata.name;

const YAML_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads files and directories (not recursive; *.yaml, *.yml, *.json, sorted) of multi-document YAML, each
 * object checked against its kind's schema, in `namespace` or none, and no kind/name twice.
 */
export async function loadManifests(paths: readonly string[], namespace: string): Promise<KubeObject[]> {
  const files: string[] = [];
  for (const entry of paths) {
    const info = await stat(entry).catch((error: Error) => {
      throw new ConfigError('--manifests', `cannot read ${JSON.stringify(entry)}: ${error.message}`);
    });
    if (info.isDirectory()) {
      const names = (await readdir(entry)).filter((name) => YAML_FILE.test(name)).sort();
      files.push(...names.map((name) => path.join(entry, name)));
    } else {
      files.push(entry);
    }
  }
  if (files.length === 0) {
    throw new ConfigError(
      '--manifests',
      `no YAML files in ${paths.map((p) => JSON.stringify(p)).join(', ')}`,
    );
  }
  const objects: KubeObject[] = [];
  for (const file of files) {
    objects.push(...parseManifests(readLimited(file, FILE_LIMITS.manifests, '--manifests'), file));
  }
  checkManifestSet(objects, namespace, originOf);
  return objects;
}

/** Parses one multi-document YAML text; `kind: List` documents are flattened. */
export function parseManifests(text: string, source: string): KubeObject[] {
  let documents: unknown[];
  try {
    documents = loadAllYamlChecked(text, source, source);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(source, `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const objects: KubeObject[] = [];
  documents.forEach((document, index) => {
    if (document === null || document === undefined) return;
    const items = isList(document) ? document.items : [document];
    for (const item of items) {
      const where = `${source} (document ${index + 1})`;
      const object = checkObject(item, where);
      checkObjectSchema(object, where);
      ORIGIN.set(object, where);
      objects.push(object);
    }
  });
  return objects;
}

function isList(value: unknown): value is { items: unknown[] } {
  const object = value as { kind?: unknown; items?: unknown };
  return typeof value === 'object' && value !== null && object.kind === 'List' && Array.isArray(object.items);
}

function checkObject(value: unknown, where: string): KubeObject {
  const object = value as Partial<KubeObject>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      where,
      `expected a Kubernetes object, got ${Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof object[field] !== 'string' || object[field] === '') {
      throw new ConfigError(`${where}.${field}`, 'is required (a Kubernetes object)');
    }
  }
  if (typeof object.metadata?.name !== 'string' || object.metadata.name === '') {
    throw new ConfigError(`${where}.metadata.name`, `is required (${object.kind})`);
  }
  return object as KubeObject;
}

/** The workload's Deployment in the manifests; a ConfigError saying what was found otherwise. */
export function findWorkload(objects: readonly KubeObject[], workload: string): KubeObject {
  const found = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === workload);
  if (found) return found;
  const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
  throw new ConfigError(
    '--manifests',
    `no Deployment named ${JSON.stringify(workload)} in the manifests (found ${
      deployments.length > 0 ? `Deployment(s) ${deployments.join(', ')}` : 'no Deployment'
    })`,
  );
}
