import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor, defuseCommands, redactStrings } from '../../../src/util/redact.ts';

describe('the redactor', () => {
  test('a secret in every form it is printed in: as written, URL-encoded, base64, JSON- and HTML-escaped', () => {
    const redactor = new Redactor();
    const secret = `p@ss "w'<rd>"/1`;
    redactor.add(secret);
    const forms = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      JSON.stringify(secret).slice(1, -1),
      'p@ss &quot;w&#39;&lt;rd&gt;&quot;/1',
    ];
    for (const form of forms) assert.equal(redactor.redact(`[${form}]`), '[***]', form);
  });

  test('a multi-line key line by line (its PEM markers kept); values under 4 characters ignored', () => {
    const redactor = new Redactor();
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END PRIVATE KEY-----\n';
    redactor.add(key);
    redactor.add('abc');
    assert.equal(
      redactor.redact('bad key line AQEFAASCBKcwggSjAgEAAoIB after -----BEGIN PRIVATE KEY----- abc'),
      'bad key line *** after -----BEGIN PRIVATE KEY----- abc',
    );
  });

  test('redactStrings: every string of a JSON value, keys included; other values kept', () => {
    const redact = (text: string) => text.replaceAll('tok-1', '***');
    assert.deepEqual(redactStrings({ a: ['x tok-1', 2, null], 'tok-1': { b: true } }, redact), {
      a: ['x ***', 2, null],
      '***': { b: true },
    });
  });
});

describe('defuseCommands', () => {
  test('no line (LF or CR) starts a GitHub workflow command, no old-style ##[ command; other text kept', () => {
    const text = defuseCommands(
      'run r1\n::error::injected\r::add-mask::web\n  ::warning::x ##[error]y\nplain: a::b',
    );
    assert.equal(
      text,
      'run r1\n> ::error::injected\n> ::add-mask::web\n  > ::warning::x ## [error]y\nplain: a::b',
    );
    assert.doesNotMatch(text, /^\s*::/m);
  });
});
