/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The replicas router with the selector most manifests have: a stable Deployment selecting only
 * `app: web`, the canary's and baseline's pods matching it too. Controllers claim pods by their
 * controller ownerReference, so the run promotes and rolls back without recreating the stable.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, type CliResult } from '../support/cli.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

const labels = { app: 'web' };

describe(
  'replicas router, stable selecting only app: web',
  { skip: sandboxOnly('a stable of its own') },
  () => {
    let env: ReleaseEnvironment;
    const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--kubeconfig', env.kubeconfig]);
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    const stable = () => env.get(`/apis/apps/v1/namespaces/${env.namespace}/deployments/web`);
    const deployments = async () =>
      (await env.get(`/apis/apps/v1/namespaces/${env.namespace}/deployments`)).items.map(
        (d: any) => d.metadata.name,
      );
    const release = async (name: string, image: string, appEnv?: Record<string, string>) => {
      // Error rate only: the judge is not under test here, and a loaded machine may leave latency inconclusive.
      const manifests = await writeManifests(env, name, {
        image,
        labels,
        ...(appEnv ? { env: appEnv } : {}),
      });
      const config = await writeConfig(env, name, { metrics: '    - {template: http-error-rate}' });
      return cli(['run', '--config', config, '--manifests', manifests, '--image', image, '--revision', name]);
    };

    before(async () => {
      env = await startReleaseEnvironment({ trafficPerSecond: 160, stableLabels: labels });
    });
    after(async () => {
      await env?.stop();
    });

    test('a bad release is rolled back; the stable keeps its pods and its spec', async () => {
      const before = await stable();
      const result = await release('common-bad', env.image('3.0.0'), { DEMO_ERROR_RATE: '0.3' });
      assert.equal(result.code, 1, show(result));
      assert.match(
        result.stdout,
        /selects app=web, which also matches the pods of web-canary and web-baseline; that is fine/,
      );
      assert.match(result.stdout, /HorizontalPodAutoscaler/);
      const after = await stable();
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.equal(after.status.readyReplicas, 2);
      assert.deepEqual(await deployments(), ['web']);
    });

    test('a good release is promoted without recreating the stable', async () => {
      const uid = (await stable()).metadata.uid;
      const image = env.image('2.0.0');
      const result = await release('common-good', image);
      assert.equal(result.code, 0, show(result));
      const after = await stable();
      assert.equal(after.metadata.uid, uid, 'the same Deployment object');
      assert.equal(after.spec.template.spec.containers[0].image, image);
      assert.deepEqual(after.spec.selector, { matchLabels: labels });
      assert.deepEqual(await deployments(), ['web']);
    });
  },
);
