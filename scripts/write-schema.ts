// Writes schema/canary.schema.json from the config definition (src/config/schema.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { jsonSchemaDocument } from '../src/config/json-schema.ts';

await mkdir('schema', { recursive: true });
await writeFile('schema/canary.schema.json', `${JSON.stringify(jsonSchemaDocument(), null, 2)}\n`);
