import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOTENV_MAX_BYTES, dotenvKey, formatDotenv, writeDotenv } from '../../../src/platform/outputs.ts';
import { ConfigError } from '../../../src/util/errors.ts';

/** GitLab's reading of a dotenv file (Ci::ParseDotenvArtifactService#scan_line!), with `$$` → `$` expansion. */
function parseLikeGitLab(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split(/(?<=\n)/)) {
    const match = /^(.*?)=(.*)$/m.exec(line);
    assert.ok(match, `GitLab rejects the line ${JSON.stringify(line)} (Invalid Format)`);
    const key = match[1]!.trim();
    assert.match(key, /^[a-zA-Z0-9_]+$/);
    variables[key] = match[2]!.trim().replace(/\$\$/g, '$');
  }
  return variables;
}

describe('GitLab dotenv outputs', () => {
  test('upper-case keys, one line each, lists joined with commas; GitLab reads back the same values', () => {
    const text = formatDotenv({
      verdict: 'pass',
      image: 'registry.local:5000/web',
      digest: 'sha256:abc',
      tags: ['registry.local:5000/web:1a2b', 'registry.local:5000/web:main-1a2b'],
      canary: 'web-canary',
      report: 'canary-report.json',
      'decided-at': '2026-01-01T00:00:00.000Z',
      outcome: undefined,
    });
    assert.equal(
      text,
      'VERDICT=pass\nIMAGE=registry.local:5000/web\nDIGEST=sha256:abc\n' +
        'TAGS=registry.local:5000/web:1a2b,registry.local:5000/web:main-1a2b\nCANARY=web-canary\n' +
        'REPORT=canary-report.json\nDECIDED_AT=2026-01-01T00:00:00.000Z\n',
    );
    assert.deepEqual(parseLikeGitLab(text), {
      VERDICT: 'pass',
      IMAGE: 'registry.local:5000/web',
      DIGEST: 'sha256:abc',
      TAGS: 'registry.local:5000/web:1a2b,registry.local:5000/web:main-1a2b',
      CANARY: 'web-canary',
      REPORT: 'canary-report.json',
      DECIDED_AT: '2026-01-01T00:00:00.000Z',
    });
  });

  test('`$`, `=` and quotes survive: `$` is doubled so GitLab does not expand it, quotes stay literal', () => {
    const text = formatDotenv({ report: 'out/$CI_JOB_ID/"r"=1.json', empty: '' });
    assert.equal(text, 'REPORT=out/$$CI_JOB_ID/"r"=1.json\nEMPTY=\n');
    assert.deepEqual(parseLikeGitLab(text), { REPORT: 'out/$CI_JOB_ID/"r"=1.json', EMPTY: '' });
  });

  test('a value with a line break or edge whitespace is rejected, naming the output', () => {
    assert.throws(
      () => formatDotenv({ verdict: 'pass\nINJECTED=1' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^output verdict: a dotenv value must be one line .*"pass\\nINJECTED=1"/);
        return true;
      },
    );
    assert.throws(() => formatDotenv({ tags: ['a', 'b\r'] }), /output tags: a dotenv value must be one line/);
    assert.throws(() => formatDotenv({ image: ' web ' }), /output image: leading or trailing whitespace/);
  });

  test('keys: hyphens become underscores; other characters and collisions are rejected', () => {
    assert.equal(dotenvKey('decided-at'), 'DECIDED_AT');
    assert.throws(() => dotenvKey('bad name'), /output "bad name": expected letters, digits/);
    assert.throws(
      () => formatDotenv({ 'decided-at': 'x', decided_at: 'y' }),
      /DECIDED_AT, the same variable as output decided-at/,
    );
  });

  test('a file GitLab would refuse for its size is an error, not a silent truncation', () => {
    assert.throws(
      () => formatDotenv({ tags: Array.from({ length: 300 }, (_, i) => `registry.local/web:${i}`) }),
      (error: unknown) => new RegExp(`under ${DOTENV_MAX_BYTES} bytes`).test((error as Error).message),
    );
  });

  test('writeDotenv writes the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotenv-'));
    try {
      const file = join(dir, 'canary.env');
      await writeDotenv({ redact: (text) => text }, file, { verdict: 'fail', canary: 'web-canary' });
      assert.equal(await readFile(file, 'utf8'), 'VERDICT=fail\nCANARY=web-canary\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
