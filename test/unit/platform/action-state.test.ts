import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanupFlags,
  isOwnTempDir,
  readActionState,
  reasonToSkip,
  canaryStateAfter,
  saveActionState,
} from '../../../src/platform/action-state.ts';

describe('the state the post step reads', () => {
  const saved: Record<string, string> = {};
  saveActionState(
    {
      mode: 'run',
      runId: 'github-1-1',
      config: 'canary.yml',
      workload: 'deployment/web',
      namespace: '',
      kubeContext: 'prod',
      kubeconfigSource: 'content',
      kubeconfigPath: '',
      kubeconfigTempDir: '/tmp/canary-kubeconfig-abc',
      canary: 'started',
    },
    (name, value) => (saved[name] = value),
  );
  const state = readActionState((name) => saved[name] ?? '');

  test('round trip through saveState names', () => {
    assert.equal(saved.run_id, 'github-1-1');
    assert.equal(state.canary, 'started');
    assert.equal(state.kubeconfigSource, 'content');
    assert.equal(readActionState(() => '').canary, 'none');
  });

  test('rolls back only on failure or cancelled, and only a canary this job started', () => {
    assert.equal(reasonToSkip('failure', state), undefined);
    assert.equal(reasonToSkip('cancelled', { ...state, canary: 'live' }), undefined);
    assert.match(reasonToSkip('success', state)!, /job status is "success": nothing to roll back/);
    assert.match(reasonToSkip('failure', { ...state, canary: 'none' })!, /left no canary live/);
  });

  test('after a release: held/deployed live, an unfinished rollback retried by the post step, else nothing left', () => {
    assert.equal(canaryStateAfter('held'), 'live');
    assert.equal(canaryStateAfter('deployed'), 'live');
    assert.equal(canaryStateAfter('rollback-incomplete'), 'started');
    assert.equal(
      reasonToSkip('failure', { ...state, canary: canaryStateAfter('rollback-incomplete') }),
      undefined,
    );
    for (const outcome of ['promoted', 'rolled-back', 'failed', 'lease-lost'])
      assert.equal(canaryStateAfter(outcome), 'none', outcome);
  });

  test('the cleanup command line: this run only, held canaries included, empty values left out', () => {
    assert.deepEqual(cleanupFlags(state, '/tmp/k', 'failure'), {
      all: true,
      reason: 'job failed',
      config: 'canary.yml',
      kubeconfig: '/tmp/k',
      context: 'prod',
      workload: 'deployment/web',
      'run-id': 'github-1-1',
    });
    assert.equal(cleanupFlags(state, undefined, 'cancelled').reason, 'job cancelled');
  });

  test("only a directory the action made is removed on the state's word", () => {
    assert.equal(isOwnTempDir('/tmp/canary-kubeconfig-abc'), true);
    assert.equal(isOwnTempDir('/home/runner'), false);
    assert.equal(isOwnTempDir(''), false);
  });
});
