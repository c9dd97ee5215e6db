/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * dist/action.js and dist/action-post.js run exactly as the GitHub runner runs them (runner.ts) against
 * the Kubernetes sandbox with a real Prometheus and traffic through the Service: a promoted and a
 * rolled-back release (outputs, job summary, Deployment statuses, the kubeconfig given as content and
 * never shown), then a held canary that the post step leaves alone on success and rolls back after a
 * cancellation. GitHub's Deployments API is a recording server on loopback (no internet here).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  REPOSITORY,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from '../../e2e/environment.ts';
import { runAction, runPost, visibleLog, type RunnerJob, type StepResult } from './runner.ts';

interface Recorded {
  method: string;
  url: string;
  body: any;
}

function startGitHubApi(): Promise<{ server: Server; url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: text ? JSON.parse(text) : undefined,
      });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: req.url?.endsWith('/deployments') ? 4242 : 1 }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

const show = (result: StepResult) => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;

describe('dist/action.js and dist/action-post.js on a simulated GitHub runner (sandbox + Prometheus)', () => {
  let env: ReleaseEnvironment;
  let api: Awaited<ReturnType<typeof startGitHubApi>>;
  let kubeconfigContent: string;
  let token: string;
  const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
  const stableImage = async () =>
    (await env.get(`${deployments()}/${WORKLOAD}`)).spec.template.spec.containers[0].image as string;
  const job = async (name: string, runId: string): Promise<RunnerJob> => {
    const workspace = path.join(env.dir, `workspace-${name}`);
    await mkdir(workspace, { recursive: true });
    return { workspace, runId, sha: `${runId}`.padStart(40, 'a'), env: { GITHUB_API_URL: api.url } };
  };
  const release = async (name: string, options: Parameters<typeof writeManifests>[2]) => ({
    config: await writeConfig(env, name),
    manifests: await writeManifests(env, name, options),
    image: options.image,
  });
  const assertNoSecret = (result: StepResult) => {
    for (const [where, text] of [
      ['the log', visibleLog(result)],
      ['the summary', result.summary],
      ['the outputs', JSON.stringify(result.outputs)],
      ['the state', JSON.stringify(result.state)],
    ] as const) {
      assert.ok(!text.includes(token), `the kubeconfig token appears in ${where}`);
      assert.ok(!text.includes('"certificate-authority-data"'), `kubeconfig content appears in ${where}`);
    }
    assert.match(result.stdout, new RegExp(`^::add-mask::${token}$`, 'm'), 'the token is masked');
  };

  before(async () => {
    [env, api] = await Promise.all([startReleaseEnvironment({ trafficPerSecond: 80 }), startGitHubApi()]);
    kubeconfigContent = await readFile(env.sandbox.kubeconfig, 'utf8');
    token = JSON.parse(kubeconfigContent).users[0].user.token;
  });
  after(async () => {
    await env?.stop();
    api?.server.close();
  });

  test('a good release: promoted, outputs and summary right, Deployment in_progress → success, kubeconfig never shown', async () => {
    const files = await release('good', { image: `${REPOSITORY}:2.0.0` });
    const runner = await job('good', '1001');
    const result = await runAction(runner, {
      kubeconfig: kubeconfigContent,
      config: files.config,
      manifests: files.manifests,
      image: files.image,
      environment: 'production',
      environment_url: 'https://web.example',
      github_token: 'ghs_faketoken1234',
      status: 'success',
    });
    assert.equal(result.code, 0, show(result));
    assert.equal(await stableImage(), files.image);
    assert.equal(result.outputs.verdict, 'pass');
    assert.equal(result.outputs.outcome, 'promoted');
    assert.equal(result.outputs.image, files.image);
    assert.equal(result.outputs.canary, `${WORKLOAD}-canary`);
    assert.equal(result.outputs.report, 'canary-report.json');
    const report = JSON.parse(await readFile(path.join(runner.workspace, 'canary-report.json'), 'utf8'));
    assert.equal(report.outcome, 'promoted');
    assert.equal(report.runId, 'github-1001-1');
    assert.match(result.summary, /^## .*Canary/m);
    assert.match(result.summary, /promoted/);
    assert.match(result.summary, /http-error-rate/);
    assert.match(result.summary, /xychart-beta/);
    assert.ok(result.summary.includes('https://github.example/org/web/actions/runs/1001'), result.summary);
    assert.match(result.stdout, /^::group::Preflight$/m);
    assert.match(result.stdout, /^::group::Promote$/m);
    assertNoSecret(result);
    assert.match(result.stdout, /^::add-mask::ghs_faketoken1234$/m, 'the GitHub token is masked');
    assert.ok(!visibleLog(result).includes('ghs_faketoken1234'));
    assert.equal(result.state.canary, 'none');
    assert.equal(result.state.kubeconfig_source, 'content');
    assert.equal(existsSync(result.state.kubeconfig_temp_dir!), false, 'the kubeconfig file is removed');
    const calls = api.requests.filter((request) => request.url.startsWith('/repos/org/web/deployments'));
    assert.deepEqual(
      calls.map((call) => [call.method, call.url, call.body.state ?? call.body.environment]),
      [
        ['POST', '/repos/org/web/deployments', 'production'],
        ['POST', '/repos/org/web/deployments/4242/statuses', 'in_progress'],
        ['POST', '/repos/org/web/deployments/4242/statuses', 'success'],
      ],
    );
    assert.equal(calls[0]!.body.ref, runner.sha);
    assert.equal(calls[2]!.body.environment_url, 'https://web.example');
    assert.equal(calls[2]!.body.log_url, 'https://github.example/org/web/actions/runs/1001');
  });

  test('raised errors: rolled back, the step fails with the reason, an annotation and exit code 1', async () => {
    const before = await stableImage();
    const files = await release('errors', { image: `${REPOSITORY}:3.0.0`, env: { DEMO_ERROR_RATE: '0.3' } });
    const result = await runAction(await job('errors', '1002'), {
      kubeconfig: kubeconfigContent,
      config: files.config,
      manifests: files.manifests,
      image: files.image,
      status: 'success',
    });
    assert.equal(result.code, 1, show(result));
    assert.equal(await stableImage(), before);
    assert.equal(result.outputs.verdict, 'fail');
    assert.equal(result.outputs.outcome, 'rolled-back');
    assert.match(result.stdout, /^::error::.*\(exit code 1\)$/m);
    assert.match(result.summary, /rolled.back/);
    assert.match(result.summary, /fail/);
    assert.equal(result.state.canary, 'none');
    assertNoSecret(result);
    const names = (await env.get(deployments())).items.map((d: any) => d.metadata.name);
    assert.deepEqual(names, [WORKLOAD]);
  });

  test('a cancelled job: the post step leaves a held canary alone on success and rolls it back when cancelled', async () => {
    const before = await stableImage();
    const files = await release('held', { image: `${REPOSITORY}:4.0.0` });
    const runner = await job('held', '1003');
    const inputs = {
      kubeconfig: kubeconfigContent,
      config: files.config,
      manifests: files.manifests,
      image: files.image,
      hold: 'true',
    };
    const main = await runAction(runner, { ...inputs, status: 'success' });
    assert.equal(main.code, 0, show(main));
    assert.equal(main.outputs.outcome, 'held');
    assert.equal(main.state.canary, 'live');
    const canary = await env.get(`${deployments()}/${WORKLOAD}-canary`);
    assert.equal(canary.metadata.annotations['canary-action.dev/phase'], 'held');

    const success = await runPost(runner, { ...inputs, status: 'success' }, main.state);
    assert.equal(success.code, 0, show(success));
    assert.match(success.stdout, /job status is "success": nothing to roll back/);
    assert.ok(await env.get(`${deployments()}/${WORKLOAD}-canary`), 'the held canary is still live');

    // The main step was killed before removing its kubeconfig file: the post step removes it.
    const leftBehind = path.join(runner.workspace, '_temp', 'canary-kubeconfig-left');
    await mkdir(leftBehind, { recursive: true });
    const cancelled = await runPost(
      runner,
      { ...inputs, status: 'cancelled' },
      { ...main.state, kubeconfig_temp_dir: leftBehind },
    );
    assert.equal(cancelled.code, 0, show(cancelled));
    assert.match(cancelled.stdout, /rolling back the canary of run github-1003-1/);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-canary`), undefined);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-baseline`), undefined);
    assert.equal(await stableImage(), before);
    assert.equal(existsSync(leftBehind), false);
    assertNoSecret({ ...cancelled, state: {} });
  });
});
