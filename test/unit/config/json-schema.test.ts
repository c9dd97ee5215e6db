import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { jsonSchemaDocument } from '../../../src/config/json-schema.ts';
import { configSchema } from '../../../src/config/schema.ts';
import { validateSchema } from '../../../src/config/validate.ts';

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(jsonSchemaDocument());

const documents: Array<[string, unknown]> = [
  [
    'minimal',
    {
      apiVersion: 'canary-action/v1',
      analysis: {
        provider: { type: 'prometheus', url: 'http://p' },
        metrics: [{ template: 'http-latency' }],
      },
    },
  ],
  [
    'threshold without bounds',
    {
      apiVersion: 'canary-action/v1',
      analysis: {
        provider: { type: 'prometheus', url: 'http://p' },
        metrics: [{ name: 't', type: 'threshold', query: 'q' }],
      },
    },
  ],
  [
    'ratio without total',
    {
      apiVersion: 'canary-action/v1',
      analysis: {
        provider: { type: 'prometheus', url: 'http://p' },
        metrics: [{ name: 'r', type: 'ratio', bad: 'q' }],
      },
    },
  ],
  ['unknown top-level key', { apiVersion: 'canary-action/v1', analyses: {} }],
  [
    'traffic share off',
    {
      apiVersion: 'canary-action/v1',
      analysis: {
        provider: { type: 'influxdb', url: 'http://i', database: 'db' },
        trafficShare: false,
        metrics: [{ name: 'g', type: 'gauge', query: 'q', blocking: true }],
      },
    },
  ],
  [
    'traffic share true',
    {
      apiVersion: 'canary-action/v1',
      analysis: {
        provider: { type: 'influxdb', url: 'http://i' },
        trafficShare: true,
        metrics: [{ name: 'g', type: 'gauge', query: 'q' }],
      },
    },
  ],
  [
    'bad duration',
    {
      apiVersion: 'canary-action/v1',
      analysis: {
        provider: { type: 'prometheus', url: 'http://p' },
        interval: '10',
        metrics: [{ template: 'pod-restarts' }],
      },
    },
  ],
];

describe('published JSON Schema', () => {
  test('schema/canary.schema.json is the generated one (run npm run schema)', async () => {
    const published = JSON.parse(
      await readFile(new URL('../../../schema/canary.schema.json', import.meta.url), 'utf8'),
    );
    assert.deepEqual(published, jsonSchemaDocument());
  });

  for (const [name, document] of documents) {
    test(`a standard validator and ours agree: ${name}`, () => {
      const ours = validateSchema(configSchema, document).length === 0;
      assert.equal(validate(document), ours, JSON.stringify(validate.errors));
    });
  }

  test('the README example validates', async () => {
    const readme = await readFile(new URL('../../../examples/canary.yml', import.meta.url), 'utf8');
    assert.equal(validate(load(readme)), true, JSON.stringify(validate.errors));
  });
});
