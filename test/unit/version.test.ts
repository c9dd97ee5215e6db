import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { isMainModule } from '../../src/entrypoints/main-module.ts';
import { PACKAGE, PACKAGE_SPECIFIER } from '../../src/version.ts';
import { REPO_ROOT } from '../support/cli.ts';

describe('package name and version', () => {
  test('come from package.json, the one place they are stated', () => {
    const json = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    assert.deepEqual(PACKAGE, { name: json.name, version: json.version });
    assert.equal(PACKAGE_SPECIFIER, `${json.name}@${json.version}`);
    assert.match(PACKAGE.name, /^@[a-z0-9-]+\/[a-z0-9-]+$/, 'a scoped name: nobody else can publish it');
  });
});

describe('isMainModule', () => {
  test("Node 24's import.meta.main decides when present", () => {
    assert.equal(isMainModule({ url: 'file:///x.js', main: true }, '/elsewhere.js'), true);
    assert.equal(isMainModule({ url: 'file:///x.js', main: false }, '/x.js'), false);
  });

  test('otherwise: the module node was started with, also through a symlink (a bin link)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'main-module-'));
    const file = path.join(dir, 'action.js');
    await writeFile(file, '');
    await symlink(file, path.join(dir, 'link'));
    const url = pathToFileURL(file).href;
    assert.equal(isMainModule({ url }, file), true);
    assert.equal(isMainModule({ url }, path.join(dir, 'link')), true);
    assert.equal(isMainModule({ url }, path.join(dir, 'other.js')), false);
    assert.equal(isMainModule({ url }, undefined), false);
  });
});
