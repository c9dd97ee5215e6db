// src/notify is self-contained: it takes values only from leaf modules (util, the report's number
// formatting, the redactor) and types only from config, pipeline and analysis — so the config schema can
// include notifySchema, and the pipeline can call notifyAll, without an import cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { DURATION_PATTERN } from '../../../src/config/schema.ts';
import { NOTIFY_DURATION_PATTERN } from '../../../src/notify/schema.ts';

const DIR = new URL('../../../src/notify/', import.meta.url);
const VALUE_SOURCES = [
  /^\.\/[a-z-]+\.ts$/,
  /^\.\.\/util\//,
  /^\.\.\/report\/view\.ts$/,
  /^\.\.\/platform\/redact\.ts$/,
  /^node:/,
  /^axios$/,
];

test('src/notify imports values only from leaf modules, and only types from config, pipeline and analysis', () => {
  const offending: string[] = [];
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, DIR), 'utf8');
    for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
      const [, , typeOnly, from] = match;
      if (typeOnly || !from) continue;
      if (!VALUE_SOURCES.some((allowed) => allowed.test(from))) offending.push(`${file}: ${from}`);
    }
  }
  assert.deepEqual(offending, []);
});

test("notify's duration pattern is the config's", () => {
  assert.equal(NOTIFY_DURATION_PATTERN, DURATION_PATTERN);
});
