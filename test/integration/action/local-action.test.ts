/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * GitHub's own tool for running a JavaScript action on a workstation, @github/local-action (a pinned
 * devDependency), runs the committed dist/action.js with dist/action-post.js as its post step, on Node 24
 * (the action's `using: node24`), against the Kubernetes sandbox with a real Prometheus: a promoted and a
 * rolled-back release, and a held canary that the post step rolls back when the job failed. It imports
 * each entry point and calls its exported run(), as it does for GitHub's action template.
 *
 * Where it falls short of the runner (runner.ts and action.test.ts keep those checks):
 * - it masks only through its stub of @actions/core, which a bundled action does not load, so it prints
 *   `::add-mask::` commands as they are: the secrets must appear in no other line;
 * - it fills in no input defaults from action.yml for a bundled action: the .env file gives every input;
 * - it runs the post step right after the main step, in the same process and with the same inputs, so
 *   `status` stands for the job's status in both; the state reaches the post step because the main step
 *   also sets STATE_<name> in its own process (src/entrypoints/action.ts);
 * - it sets no GITHUB_OUTPUT file, so @actions/core prints outputs as `::set-output` commands.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  REPOSITORY,
  startReleaseEnvironment,
  WORKLOAD,
  writeConfig,
  writeManifests,
  type ReleaseEnvironment,
} from '../../e2e/environment.ts';
import { REPO_ROOT } from '../../support/cli.ts';
import { node24, pathWithNode24 } from '../../support/node24.ts';

const LOCAL_ACTION = path.join(REPO_ROOT, 'node_modules/@github/local-action/bin/local-action.js');
const VERSION = (
  JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

interface LocalRun {
  code: number | null;
  output: string;
  /** The main step's outputs, and the post step's (which the runner ignores). */
  outputs: Record<string, string>;
  postOutputs: Record<string, string>;
  summary: string;
}

/** `::set-output name=NAME::VALUE` lines, as @actions/core prints outputs without GITHUB_OUTPUT. */
const setOutputs = (output: string) =>
  Object.fromEntries(
    [...output.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
  );

describe('@github/local-action runs dist/ with its post step on Node 24 (sandbox + Prometheus)', () => {
  let env: ReleaseEnvironment;
  let kubeconfig: string;
  let token: string;
  const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
  const stableImage = async () =>
    (await env.get(`${deployments()}/${WORKLOAD}`)).spec.template.spec.containers[0].image as string;

  /** `local-action run <repo> dist/action.js <.env> --post dist/action-post.js`, inputs in the .env file. */
  async function localAction(name: string, inputs: Record<string, string>): Promise<LocalRun> {
    const dir = path.join(env.dir, `local-action-${name}`);
    await mkdir(path.join(dir, 'temp'), { recursive: true });
    const summary = path.join(dir, 'summary.md');
    await writeFile(summary, '');
    const variables: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(inputs).map(([key, value]) => [`INPUT_${key.toUpperCase()}`, value]),
      ),
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: path.join(dir, 'temp'),
    };
    // dotenv: single quotes keep a value literal (the kubeconfig is one line of JSON, without quotes of that kind).
    const dotenv = Object.entries(variables).map(([key, value]) => {
      assert.ok(!value.includes("'") && !value.includes('\n'), `${key} fits a single-quoted dotenv value`);
      return `${key}='${value}'`;
    });
    const dotenvFile = path.join(dir, '.env');
    await writeFile(dotenvFile, `${dotenv.join('\n')}\n`);
    // From the repository, where `npm exec tsx` (how local-action starts) finds the pinned tsx; offline,
    // so nothing is fetched from a registry.
    const child = spawn(
      node24(),
      [LOCAL_ACTION, 'run', REPO_ROOT, 'dist/action.js', dotenvFile, '--post', 'dist/action-post.js'],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: pathWithNode24(),
          HOME: process.env.HOME ?? '/tmp',
          npm_config_offline: 'true',
          npm_config_update_notifier: 'false',
          FORCE_COLOR: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const post = output.indexOf('Running Post Step');
    return {
      code,
      output,
      outputs: setOutputs(post < 0 ? output : output.slice(0, post)),
      postOutputs: post < 0 ? {} : setOutputs(output.slice(post)),
      summary: await readFile(summary, 'utf8'),
    };
  }

  const release = async (name: string, options: Parameters<typeof writeManifests>[2]) => ({
    kubeconfig,
    config: await writeConfig(env, name),
    manifests: await writeManifests(env, name, options),
    image: options.image,
    report: path.join(env.dir, `local-action-${name}-report.json`),
  });

  /** The main step, then the post step, each on Node 24, each calling the entry point's run(). */
  const assertBothSteps = (run: LocalRun) => {
    const main = run.output.indexOf(`canary-action ${VERSION} on Node v24.`);
    const post = run.output.indexOf(`canary-action ${VERSION} post step on Node v24.`);
    assert.ok(main >= 0, `the main step ran on Node 24:\n${run.output}`);
    assert.ok(post > main, `the post step ran after it, on Node 24:\n${run.output}`);
    assert.match(run.output.slice(main, post), /Running Post Step/);
    assert.doesNotMatch(run.output, /does not export a run\(\) function/);
  };

  /** local-action prints add-mask commands instead of consuming them: the token may appear there only. */
  const assertTokenOnlyInMaskCommands = (run: LocalRun) => {
    const lines = run.output.split('\n').filter((line) => line.includes(token));
    assert.ok(lines.length > 0, 'the token is registered as a secret');
    for (const line of lines) assert.match(line, /^::add-mask::/, `the token is shown: ${line}`);
    assert.ok(!run.summary.includes(token), 'the token is in the job summary');
  };

  before(async () => {
    env = await startReleaseEnvironment({ trafficPerSecond: 80 });
    // The kubeconfig as content (one line of JSON), as a workflow passes a secret.
    kubeconfig = JSON.stringify(JSON.parse(await readFile(env.sandbox.kubeconfig, 'utf8')));
    token = JSON.parse(kubeconfig).users[0].user.token;
  });
  after(async () => {
    await env?.stop();
  });

  test('a good release: promoted, outputs and job summary, then the post step finds nothing to roll back', async () => {
    const files = await release('good', { image: `${REPOSITORY}:2.0.0` });
    const run = await localAction('good', { mode: 'run', status: 'success', ...files });
    assert.equal(run.code, 0, run.output);
    assertBothSteps(run);
    assert.equal(await stableImage(), files.image);
    assert.equal(run.outputs.verdict, 'pass', run.output);
    assert.equal(run.outputs.outcome, 'promoted');
    assert.equal(run.outputs.phase, 'promoted');
    assert.equal(run.outputs.canary, `${WORKLOAD}-canary`);
    assert.equal(run.outputs.report, files.report);
    assert.equal(JSON.parse(await readFile(files.report, 'utf8')).outcome, 'promoted');
    assert.match(run.summary, /^## .*Canary/m);
    assert.match(run.summary, /promoted/);
    assert.match(run.summary, /http-error-rate/);
    assert.match(run.output, /job status is "success": nothing to roll back/);
    assertTokenOnlyInMaskCommands(run);
  });

  test('raised errors: rolled back, the step fails with exit code 1, the post step has nothing left to roll back', async () => {
    const before = await stableImage();
    const files = await release('errors', { image: `${REPOSITORY}:3.0.0`, env: { DEMO_ERROR_RATE: '0.3' } });
    const run = await localAction('errors', { mode: 'run', status: 'failure', ...files });
    assert.equal(run.code, 1, run.output);
    assertBothSteps(run);
    assert.equal(await stableImage(), before);
    assert.equal(run.outputs.verdict, 'fail');
    assert.equal(run.outputs.outcome, 'rolled-back');
    assert.match(run.output, /^::error::.*\(exit code 1\)$/m);
    assert.match(run.summary, /rolled-back/);
    assert.match(run.output, /the job is failure, but this job left no canary live \(mode run\)/);
    const names = (await env.get(deployments())).items.map((d: any) => d.metadata.name);
    assert.deepEqual(names, [WORKLOAD]);
    assertTokenOnlyInMaskCommands(run);
  });

  test('a held canary in a failed job: the post step rolls it back', async () => {
    const before = await stableImage();
    const files = await release('held', { image: `${REPOSITORY}:4.0.0` });
    const run = await localAction('held', { mode: 'run', hold: 'true', status: 'failure', ...files });
    assert.equal(run.code, 0, run.output);
    assertBothSteps(run);
    assert.equal(run.outputs.outcome, 'held');
    assert.match(run.output, /the job is failure; rolling back the canary of run local-/);
    assert.equal(run.postOutputs.outcome, 'rolled-back');
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-canary`), undefined, 'the canary is gone');
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-baseline`), undefined);
    assert.equal(await stableImage(), before);
    assertTokenOnlyInMaskCommands(run);
  });
});
