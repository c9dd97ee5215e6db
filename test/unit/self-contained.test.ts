import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../support/cli.ts';

// A user's clone has nothing beside it: no file in the repository may reach outside it for test data.
test('no file in the repository refers to a folder beside it (the reference folder "shared")', () => {
  const pattern = ['..', 'shared'].join('/');
  const grep = spawnSync('git', ['grep', '--untracked', '-l', '-F', pattern], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.ok(grep.status === 0 || grep.status === 1, `git grep failed: ${grep.stderr}`);
  assert.deepEqual(grep.stdout.split('\n').filter(Boolean), []);
});
