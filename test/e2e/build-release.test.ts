/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * `canary-action run --builder buildah`: the real buildah builds and pushes to a real docker-registry on
 * loopback, and the canary — then the promoted stable — runs `repository@sha256:…` in the sandbox.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.ts';
import { startRegistry, type RunningRegistry } from '../support/registry.ts';
import { makeTempDir } from '../support/service.ts';
import {
  sandboxOnly,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from './environment.ts';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/build');

describe(
  'canary-action run --builder buildah (real buildah and registry, sandbox)',
  {
    concurrency: false,
    skip: sandboxOnly('a loopback docker-registry on a random port that the cluster can pull from'),
  },
  () => {
    let registry: RunningRegistry;
    let env: ReleaseEnvironment;
    let storage: string;
    let repository: string;
    const processEnv: Record<string, string> = {};
    const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
    const stableImage = async () =>
      (await env.get(`${deployments()}/${WORKLOAD}`)).spec.template.spec.containers[0].image as string;
    const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

    before(async () => {
      registry = await startRegistry();
      repository = `${registry.host}/team/web`;
      storage = await makeTempDir('run-build');
      const conf = path.join(storage, 'storage.conf');
      await writeFile(
        conf,
        `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/root"\nrunroot = "${storage}/run"\n`,
      );
      processEnv.CONTAINERS_STORAGE_CONF = conf;
      env = await startReleaseEnvironment({ trafficPerSecond: 80, repository });
    });

    after(async () => {
      await env?.stop();
      await registry?.stop();
      if (storage) await rm(storage, { recursive: true, force: true });
    });

    async function release(name: string, context: string, revision: string) {
      const manifests = await writeManifests(env, name, { image: `${repository}:from-manifests` });
      const config = await writeConfig(env, name);
      return runCli(
        [
          'run',
          '--config',
          config,
          '--manifests',
          manifests,
          '--kubeconfig',
          env.kubeconfig,
          '--builder',
          'buildah',
          '--image',
          repository,
          '--build-context',
          path.join(FIXTURES, context),
          '--insecure-registry',
          '--revision',
          revision,
          '--branch',
          'main',
        ],
        { env: processEnv },
      );
    }

    test('builds and pushes first, deploys by digest, and promotes repository@sha256:… to the stable', async () => {
      const result = await release('built', 'scratch', 'c0ffee1234567');
      assert.equal(result.code, 0, show(result));
      const image = await stableImage();
      assert.match(image, new RegExp(`^${repository.replace(/[.]/g, '\\.')}@sha256:[0-9a-f]{64}$`));
      const digest = image.split('@')[1];
      const tagged = await fetch(`${registry.url}/v2/team/web/manifests/c0ffee1234567`, {
        method: 'HEAD',
        headers: {
          Accept:
            'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
        },
      });
      assert.equal(
        tagged.headers.get('docker-content-digest'),
        digest,
        'the commit tag resolves to the deployed digest',
      );
      assert.match(result.stdout, new RegExp(`built ${repository.replace(/[.]/g, '\\.')}@sha256:`));
    });

    test("a broken Containerfile fails with the builder's error (exit 2) and deploys nothing", async () => {
      const before = JSON.stringify((await env.get(`${deployments()}/${WORKLOAD}`)).spec);
      const result = await release('broken', 'broken', 'badbad1234567');
      assert.equal(result.code, 2, show(result));
      assert.match(result.stdout + result.stderr, /[Uu]nknown instruction/);
      const names = (await env.get(deployments())).items.map((d: any) => d.metadata.name);
      assert.deepEqual(names, [WORKLOAD]);
      assert.equal(JSON.stringify((await env.get(`${deployments()}/${WORKLOAD}`)).spec), before);
    });
  },
);
