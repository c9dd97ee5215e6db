/** promote/rollback/cleanup check the rights of the router that will move traffic back: the one the live canary recorded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollbackLive } from '../../../src/pipeline/manage.ts';
import { replicasRouter } from '../../../src/traffic/replicas.ts';
import { exitCodeOf } from '../../../src/util/errors.ts';
import { FakeCluster } from './fake-cluster.ts';
import { deployment, NEW_IMAGE } from './fixtures.ts';
import { quietPlatform } from './release-setup.ts';

test('a rollback without the config checks the gateway-api rights the live canary needs, before any change', async () => {
  const cluster = new FakeCluster();
  const canary = deployment({ image: NEW_IMAGE });
  canary.metadata = {
    ...canary.metadata,
    name: 'web-canary',
    labels: { 'app.kubernetes.io/managed-by': 'canary-action' },
    annotations: {
      'canary-action.dev/router': 'gateway-api',
      'canary-action.dev/route': 'httproute/web',
      'canary-action.dev/service': 'web',
    },
  };
  cluster.seed(canary);
  cluster.denied = [{ verb: 'update', resource: 'httproutes', group: 'gateway.networking.k8s.io' }];
  const error = await rollbackLive({
    cluster,
    platform: quietPlatform(),
    router: replicasRouter,
    workload: 'web',
    requiredAccess: [],
    lockHolder: 'cmd',
    lockWaitMs: 0,
    readyTimeoutMs: 1000,
    rollbackDeadlineMs: 0,
    signal: new AbortController().signal,
  }).then(
    () => assert.fail('the rollback went ahead'),
    (e: unknown) => e as Error,
  );
  assert.equal(exitCodeOf(error), 2);
  assert.match(error.message, /cannot update httproutes\.gateway\.networking\.k8s\.io in namespace "demo"/);
  assert.deepEqual(cluster.writes, []);
  assert.ok(cluster.objects.has('Deployment/web-canary'));
});
