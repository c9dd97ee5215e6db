/** A missing permission is named (resource, verb, namespace) and stops the run before any change. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canaryRules } from '../sandbox/index.ts';
import { runCli } from '../support/cli.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

describe(
  'preflight permissions',
  {
    skip: sandboxOnly(
      'a second sandbox whose ci service account has reduced RBAC rules (no delete on deployments)',
    ),
  },
  () => {
    let env: ReleaseEnvironment;
    before(async () => {
      // The default rules minus delete on deployments.
      const rules = canaryRules('demo').map((rule) =>
        rule.resources.includes('deployments')
          ? { ...rule, verbs: rule.verbs.filter((v) => v !== 'delete') }
          : rule,
      );
      env = await startReleaseEnvironment({ prometheus: false, ciRules: rules });
    });
    after(async () => {
      await env?.stop();
    });

    test('a missing permission exits 2 naming verb, resource and namespace, before any change', async () => {
      const image = env.image('2.0.0');
      const manifests = await writeManifests(env, 'perm', { image });
      const config = await writeConfig(env, 'perm');
      const deployments = `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
      const before = JSON.stringify((await env.get(`${deployments}/${WORKLOAD}`)).spec);
      const result = await runCli([
        'run',
        '--config',
        config,
        '--manifests',
        manifests,
        '--image',
        image,
        '--revision',
        'p1',
        '--kubeconfig',
        env.kubeconfig,
      ]);
      assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stderr, /cannot delete deployments\.apps in namespace "demo"/);
      assert.doesNotMatch(result.stdout + result.stderr, /applied/);
      const names = (await env.get(deployments)).items.map(
        (d: { metadata: { name: string } }) => d.metadata.name,
      );
      assert.deepEqual(names, [WORKLOAD]);
      assert.equal(JSON.stringify((await env.get(`${deployments}/${WORKLOAD}`)).spec), before);
      assert.equal(
        await env.get(`/apis/coordination.k8s.io/v1/namespaces/${env.namespace}/leases/web-canary-lock`),
        undefined,
      );
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(env.sandbox.ciToken));
    });
  },
);
