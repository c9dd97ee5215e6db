/**
 * Validators for what the notifiers send: Slack's Block Kit shape and the Adaptive Card 1.4 schema
 * (test/schemas, see SOURCES.md), and the webhook schema this project publishes (schema/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { REPO_ROOT } from '../../support/cli.ts';
import { SCHEMAS_DIR } from '../../support/schemas.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function compile2020(file: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(read(file));
}

export const validators = {
  slack: compile2020(path.join(SCHEMAS_DIR, 'slack-block-kit.schema.json')),
  webhook: compile2020(path.join(REPO_ROOT, 'schema', 'notification-webhook.schema.json')),
  adaptiveCard: (() => {
    // Published as draft-06 with a draft-04 style top-level `id`, which ajv refuses by default: that keyword
    // is dropped from ajv (the file stays as published) and strict mode is off, as for the other schemas.
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.removeKeyword('id');
    ajv.addMetaSchema(draft06);
    addFormats(ajv);
    return ajv.compile(read(path.join(SCHEMAS_DIR, 'adaptive-card-1.4.schema.json')));
  })(),
};

/** Undefined when valid, else the errors, one per line. */
export function schemaErrors(validate: ValidateFunction, data: unknown): string | undefined {
  if (validate(data)) return undefined;
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('\n');
}
