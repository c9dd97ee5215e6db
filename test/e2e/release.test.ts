/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The release engine end to end: the CLI as a process against the Kubernetes sandbox (or the cluster
 * CANARY_E2E_KUBECONFIG names), with a real Prometheus scraping the pods and steady traffic through the
 * Service.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.ts';
import { loadK8sSchemas, waitFor } from '../integration/sandbox/helpers.ts';
import {
  E2E_MODE,
  MISSING_TAG,
  startE2eEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type E2eEnvironment,
} from './environment.ts';
import { TRAFFIC_DEPLOYMENT } from './release-objects.ts';

const schemas = loadK8sSchemas();

describe(`canary-action run (${E2E_MODE} + Prometheus)`, () => {
  let env: E2eEnvironment;
  const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
  const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--kubeconfig', env.kubeconfig]);
  const show = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
  const stableImage = async () =>
    (await env.get(`${deployments()}/${WORKLOAD}`)).spec.template.spec.containers[0].image as string;
  const leftovers = async () => {
    const names = (await env.get(deployments())).items.map((d: any) => d.metadata.name);
    const configMaps = (await env.get(`/api/v1/namespaces/${env.namespace}/configmaps`)).items
      .filter((c: any) => c.metadata.labels?.['app.kubernetes.io/managed-by'] === 'canary-action')
      .map((c: any) => c.metadata.name);
    return [...names.filter((n: string) => n !== WORKLOAD && n !== TRAFFIC_DEPLOYMENT), ...configMaps];
  };

  before(async () => {
    env = await startE2eEnvironment({ trafficPerSecond: 160 });
  });
  after(async () => {
    await env?.stop();
  });

  test('a good release is promoted: the stable runs the new image, nothing of the run remains', async () => {
    const image = env.image('2.0.0');
    const manifests = await writeManifests(env, 'good', { image, configData: { GREETING: 'v2' } });
    const config = await writeConfig(env, 'good');
    const report = path.join(env.dir, 'good-report.json');
    const result = await cli([
      'run',
      '--config',
      config,
      '--manifests',
      manifests,
      '--image',
      image,
      '--revision',
      'good1',
      '--report',
      report,
    ]);
    assert.equal(result.code, 0, show(result));
    assert.equal(await stableImage(), image);
    const stable = await env.get(`${deployments()}/${WORKLOAD}`);
    assert.equal(schemas.deployment(stable), undefined);
    assert.deepEqual(await leftovers(), []);
    const json = JSON.parse(await readFile(report, 'utf8'));
    assert.equal(json.outcome, 'promoted');
    assert.equal(json.image, image);
    assert.equal(json.canary, 'web-canary');
    assert.equal(json.verdict, 'pass');
    // The stable fleet's and the baseline's pods were queried one by one for the pod-noise floor.
    const latency = json.metrics.find((m: any) => m.name === 'http-latency');
    assert.match(
      latency.queries['stable.histogram.pods'],
      new RegExp(
        String.raw`^sum by \(pod, le\) \(increase\(http_request_duration_seconds_bucket\{namespace="${env.namespace}", ` +
          String.raw`pod=~"web-\[a-z0-9\]\+-\[a-z0-9\]\+"\}`,
      ),
    );
    assert.ok(latency.podSpread?.pods >= 2, JSON.stringify(latency.podSpread));
  });

  const stableSpec = async () => JSON.stringify((await env.get(`${deployments()}/${WORKLOAD}`)).spec);
  /** `run` of a release's files, image and revision, plus extra flags. */
  const runRelease = (
    files: { config: string; manifests: string },
    image: string,
    revision: string,
    ...extra: string[]
  ) =>
    cli([
      'run',
      '--config',
      files.config,
      '--manifests',
      files.manifests,
      '--image',
      image,
      '--revision',
      revision,
      ...extra,
    ]);
  const release = async (
    name: string,
    options: Parameters<typeof writeManifests>[2],
    config?: Parameters<typeof writeConfig>[2],
  ) => ({
    manifests: await writeManifests(env, name, options),
    config: await writeConfig(env, name, config),
  });

  test('--aa runs the stable template on both arms, promotes nothing and leaves the cluster as it was', async () => {
    const before = await stableSpec();
    const config = await writeConfig(env, 'aa');
    const report = path.join(env.dir, 'aa-report.json');
    const result = await cli(['run', '--aa', '--config', config, '--revision', 'aa1', '--report', report]);
    assert.equal(result.code, 0, show(result));
    assert.match(result.stdout, /A\/A run: canary and baseline both run the stable template/);
    assert.equal(await stableSpec(), before);
    assert.deepEqual(await leftovers(), []);
    const json = JSON.parse(await readFile(report, 'utf8'));
    assert.equal(json.verdict, 'pass');
    assert.equal(json.outcome, 'rolled-back');
    assert.match(json.reason, /A\/A run passed/);
  });

  test('raised errors (DEMO_ERROR_RATE) are rolled back with exit 1; the stable is left exactly as it was', async () => {
    const before = await stableSpec();
    const image = env.image('3.0.0');
    const files = await release('errors', { image, env: { DEMO_ERROR_RATE: '0.3' } });
    const result = await runRelease(files, image, 'errors1');
    assert.equal(result.code, 1, show(result));
    assert.match(result.stdout + result.stderr, /http-error-rate/);
    assert.equal(await stableSpec(), before);
    assert.deepEqual(await leftovers(), []);
  });

  test('raised latency (DEMO_LATENCY_MS) is rolled back with exit 1', async () => {
    const before = await stableSpec();
    const image = env.image('3.1.0');
    const files = await release('latency', { image, env: { DEMO_LATENCY_MS: '80' } });
    const result = await runRelease(files, image, 'latency1');
    assert.equal(result.code, 1, show(result));
    assert.match(result.stdout + result.stderr, /http-latency[^\n]*fail/);
    assert.equal(await stableSpec(), before);
    assert.deepEqual(await leftovers(), []);
  });

  for (const [what, tag, appEnv, reason] of [
    ['a crash-looping canary (DEMO_CRASH)', '4.0.0', { DEMO_CRASH: '1' }, /CrashLoopBackOff/],
    ['a missing image', MISSING_TAG, {}, /ImagePullBackOff|ErrImagePull/],
  ] as const) {
    test(`${what} fails before analysis with the pod's reason and is rolled back`, async () => {
      const before = await stableSpec();
      const image = env.image(tag);
      const files = await release(`broken-${tag}`, { image, env: appEnv });
      const result = await runRelease(files, image, 'broken');
      const output = result.stdout + result.stderr;
      assert.equal(result.code, 1, show(result));
      assert.match(output, reason);
      assert.doesNotMatch(output, /analysis of step/);
      assert.equal(await stableSpec(), before);
      assert.deepEqual(await leftovers(), []);
    });
  }

  test('--dry-run prints the planned objects and changes nothing', async () => {
    const image = env.image('5.0.0');
    const files = await release('dry', { image });
    const result = await runRelease(files, image, 'dry', '--dry-run');
    assert.equal(result.code, 0, show(result));
    assert.match(result.stdout, /apply Deployment web-canary: 1 replica/);
    assert.match(result.stdout, /canary-action\.dev\/revision: dry/);
    assert.deepEqual(await leftovers(), []);
  });

  test('--hold leaves a passing canary live; status shows it and promote promotes it', async () => {
    const image = env.image('6.0.0');
    const files = await release('hold', { image });
    const held = await runRelease(files, image, 'hold1', '--hold');
    assert.equal(held.code, 0, show(held));
    const canary = await env.get(`${deployments()}/web-canary`);
    const baseline = await env.get(`${deployments()}/web-baseline`);
    assert.equal(canary.metadata.annotations['canary-action.dev/phase'], 'held');
    for (const object of [canary, baseline]) assert.equal(schemas.deployment(object), undefined);
    assert.equal(canary.spec.template.spec.containers[0].image, image);
    const status = await cli(['status', '--config', files.config]);
    assert.equal(status.code, 0, show(status));
    assert.match(status.stdout, /web-canary: phase held, revision hold1/);
    const promoted = await cli(['promote', '--config', files.config]);
    assert.equal(promoted.code, 0, show(promoted));
    assert.equal(await stableImage(), image);
    assert.deepEqual(await leftovers(), []);
    const again = await cli(['promote', '--config', files.config]);
    assert.equal(again.code, 2, `promote without a live canary says so: ${show(again)}`);
  });

  test('onInconclusive: hold leaves the canary live; rollback removes it and leaves the stable as it was', async () => {
    const before = await stableSpec();
    const image = env.image('7.0.0');
    const files = await release(
      'inconclusive',
      { image },
      {
        analysis: '  onInconclusive: hold',
        minDuration: env.timings.tooShort,
        maxDuration: env.timings.tooShort,
      },
    );
    const held = await runRelease(files, image, 'inc1');
    assert.equal(held.code, 0, show(held));
    assert.equal(
      (await env.get(`${deployments()}/web-canary`)).metadata.annotations['canary-action.dev/phase'],
      'held',
    );
    const rolledBack = await cli(['rollback', '--config', files.config]);
    assert.equal(rolledBack.code, 0, show(rolledBack));
    assert.equal(await stableSpec(), before);
    assert.deepEqual(await leftovers(), []);
  });

  test('a concurrent second run is held off by the lock; SIGTERM mid-analysis rolls back (exit 130)', async () => {
    const before = await stableSpec();
    const image = env.image('8.0.0');
    const files = await release(
      'sigterm',
      { image },
      { minDuration: env.timings.long, maxDuration: env.timings.long },
    );
    const args = [
      'run',
      '--config',
      files.config,
      '--manifests',
      files.manifests,
      '--image',
      image,
      '--revision',
      'term1',
      '--kubeconfig',
      env.kubeconfig,
    ];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src/entrypoints/cli.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const analysing = waitFor(
        'the first run to be analysing',
        async () => {
          const canary = await env.get(`${deployments()}/web-canary`);
          return canary?.metadata.annotations?.['canary-action.dev/phase'] === 'analysing';
        },
        env.timings.waitMs,
      );
      await Promise.race([
        analysing,
        exited.then((c) => {
          throw new Error(`the first run ended early: exit ${c}\n${output}`);
        }),
      ]);
      const second = await runRelease(files, image, 'term2', '--lock-wait', '2s');
      assert.equal(second.code, 4, show(second));
      assert.match(second.stdout + second.stderr, /web-canary-lock/);
      assert.equal(
        (await env.get(`${deployments()}/web-canary`)).metadata.annotations['canary-action.dev/revision'],
        'term1',
      );
      child.kill('SIGTERM');
      assert.equal(await exited, 130, output);
    } finally {
      child.kill('SIGKILL');
    }
    assert.match(output, /rolling back/);
    assert.equal(await stableSpec(), before);
    assert.deepEqual(await leftovers(), []);
    const lease = await env.get(
      `/apis/coordination.k8s.io/v1/namespaces/${env.namespace}/leases/web-canary-lock`,
    );
    assert.equal(lease, undefined, 'the lock is released');
  });
});
