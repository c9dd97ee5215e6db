/**
 * Validation of what users install against the published schemas in test/schemas (SchemaStore's
 * github-action and github-workflow schemas, GitLab's CI schema). Schemas are compiled by the `$schema`
 * draft they declare; formats are checked with ajv-formats; strict mode is off (the schemas use
 * editor-only keywords such as markdownDescription).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { load, loadAll } from 'js-yaml';
import { REPO_ROOT } from '../../support/cli.ts';
import { SCHEMAS_DIR } from '../../support/schemas.ts';

export { REPO_ROOT, SCHEMAS_DIR };

export type SchemaName = 'github-action' | 'github-workflow' | 'gitlab-ci';

export function requireSchemasDir(): string {
  return SCHEMAS_DIR;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2019 | Ajv2020) => void;

function validatorFor(schema: Record<string, unknown>): Ajv | Ajv2019 | Ajv2020 {
  const draft = String(schema.$schema ?? '');
  const options = { strict: false, allErrors: true };
  const ajv = draft.includes('2020-12')
    ? new Ajv2020(options)
    : draft.includes('2019-09')
      ? new Ajv2019(options)
      : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();

/** A validator for the whole schema, or for one of its parts by JSON pointer (e.g. `/properties/spec`). */
export function schemaValidator(name: SchemaName, pointer = ''): ValidateFunction {
  const key = `${name}#${pointer}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const schema = JSON.parse(
    readFileSync(path.join(requireSchemasDir(), `${name}.schema.json`), 'utf8'),
  ) as Record<string, unknown>;
  const ajv = validatorFor(schema);
  ajv.addSchema(schema as AnySchema, name);
  const validate = ajv.compile({ $ref: `${name}#${pointer}` });
  compiled.set(key, validate);
  return validate;
}

/** Undefined when valid, else ajv's errors, one per line. */
export function schemaErrors(name: SchemaName, data: unknown, pointer = ''): string | undefined {
  const validate = schemaValidator(name, pointer);
  if (validate(data)) return undefined;
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('\n');
}

export const readText = (relative: string) => readFileSync(path.join(REPO_ROOT, relative), 'utf8');

/** js-yaml 5 parses with the YAML 1.2 core schema: `on:` stays the string key "on". */
export const parseYaml = (text: string) => load(text) as Record<string, unknown>;
export const parseYamlDocuments = (text: string) => loadAll(text) as Array<Record<string, unknown>>;

export function yamlFiles(relativeDir: string): string[] {
  const dir = path.join(REPO_ROOT, relativeDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => path.posix.join(relativeDir, file));
}
