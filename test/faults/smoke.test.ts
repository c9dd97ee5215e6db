/**
 * A few cases of the fault suite that the CLI handles right today and that are cheap, run in the
 * test suite so the harness itself keeps working (environment, namespace pool, judge, scanner). The
 * whole suite is `npm run faults` (test/faults/README.md); its cases that fail today become tests with
 * the fixes of issue #12.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ALL_CASES } from './cases/index.ts';
import { startFaultEnvironment, type FaultEnvironment } from './environment.ts';
import { runCase } from './harness.ts';

const SMOKE = [
  'cli.workload.kind',
  'config.apiVersion.wrong',
  'kubeconfig.token.wrong',
  'manifests.no-deployment',
  'kubeconfig.permission.leases',
  'secret.kubeconfig.refused-token',
  'fault.signal.sigint-analysis',
  'fault.none.good-release',
];

describe('fault suite (smoke: cases handled right today)', () => {
  let env: FaultEnvironment;
  let root: string;

  before(async () => {
    env = await startFaultEnvironment({ spare: 1 });
    root = await mkdtemp(path.join(os.tmpdir(), 'canary-faults-smoke-'));
  });
  after(async () => {
    await env?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  for (const id of SMOKE) {
    test(id, async () => {
      const spec = ALL_CASES.find((c) => c.id === id);
      assert.ok(spec, `no case ${id}`);
      const result = await runCase(env, spec, root);
      const leaks = result.leaks.map((l) => `leaked ${l.secret} in ${l.where}`);
      assert.ok(result.ok, [...result.problems, ...leaks].join('\n'));
    });
  }
});
