/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * templates/canary.yml's jobs run as a GitLab runner runs them (component.ts): the `canary` job's
 * script and after_script, and the manual `canary-promote` job, in bash with GitLab's predefined
 * variables, against the Kubernetes sandbox with a real Prometheus. `npx --yes <package>` is replaced
 * through the component's `cli` input by the local bundle, `node dist/cli.js`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
import { jobVariables, loadComponent, ruleMatches, runScript, type ScriptResult } from './component.ts';

const PROM_TOKEN = 'prom-header-secret-7f3a9';
const REGISTRY_PASSWORD = 'registry-pass-secret-51c2';

/** GitLab's dotenv parsing (one KEY=value per line, `$$` is a literal `$`). */
const parseDotenv = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => [
        line.slice(0, line.indexOf('=')),
        line.slice(line.indexOf('=') + 1).replace(/\$\$/g, '$'),
      ]),
  );

describe('templates/canary.yml jobs run with GitLab predefined variables (sandbox + Prometheus)', () => {
  let env: ReleaseEnvironment;
  let token: string;
  const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
  const stableImage = async () =>
    (await env.get(`${deployments()}/${WORKLOAD}`)).spec.template.spec.containers[0].image as string;

  /** A release's files in a fresh project directory (CI_PROJECT_DIR), paths relative to it. */
  async function project(name: string, image: string) {
    const dir = path.join(env.dir, `project-${name}`);
    await mkdir(dir, { recursive: true });
    const config = (await readFile(await writeConfig(env, name), 'utf8')).replace(
      /provider: \{type: prometheus, url: ([^}]+)\}/,
      "provider: {type: prometheus, url: $1, headers: {Authorization: 'Bearer ${PROM_TOKEN}'}}",
    );
    assert.match(config, /PROM_TOKEN/);
    await writeFile(path.join(dir, 'canary.yml'), config);
    await writeFile(
      path.join(dir, 'web.yaml'),
      await readFile(await writeManifests(env, name, { image }), 'utf8'),
    );
    return dir;
  }

  /** Runs one job of the component with the given inputs; `status` is CI_JOB_STATUS for after_script. */
  async function runJob(
    name: string,
    dir: string,
    jobId: string,
    inputs: Record<string, string | boolean>,
    status?: 'success' | 'failed' | 'canceled',
  ): Promise<{
    script: ScriptResult;
    afterScript?: ScriptResult;
    variables: Record<string, string>;
    job: any;
  }> {
    const component = await loadComponent({
      cli: `${process.execPath} ${path.join(REPO_ROOT, 'dist/cli.js')}`,
      config: 'canary.yml',
      manifests: 'web.yaml',
      environment: 'production',
      environment_url: 'https://web.example',
      ...inputs,
    });
    const job = component.job(name);
    const variables = jobVariables(job);
    const predefined = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      CI: 'true',
      GITLAB_CI: 'true',
      CI_SERVER_FQDN: 'gitlab.example',
      CI_PROJECT_DIR: dir,
      CI_PROJECT_URL: 'https://gitlab.example/org/web',
      CI_COMMIT_SHA: `${jobId}`.padStart(40, 'c'),
      CI_COMMIT_REF_NAME: 'main',
      CI_PIPELINE_ID: '77',
      CI_JOB_ID: jobId,
      CI_JOB_NAME: name,
      CI_JOB_URL: `https://gitlab.example/org/web/-/jobs/${jobId}`,
      CI_ENVIRONMENT_NAME: String(component.inputs.environment),
      // CI/CD variables: KUBECONFIG of type File (a path), masked variables for the rest.
      KUBECONFIG: env.sandbox.kubeconfig,
      PROM_TOKEN,
      CANARY_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
    };
    const script = await runScript(
      job.script,
      { ...predefined, ...variables, CI_JOB_STATUS: 'running' },
      dir,
    );
    const finalStatus = status ?? (script.code === 0 ? 'success' : 'failed');
    const afterScript = job.after_script
      ? await runScript(job.after_script, { ...predefined, ...variables, CI_JOB_STATUS: finalStatus }, dir)
      : undefined;
    return { script, ...(afterScript ? { afterScript } : {}), variables, job };
  }

  const assertGitLabLog = (output: string, files: string[]) => {
    for (const secret of [token, PROM_TOKEN, REGISTRY_PASSWORD]) {
      assert.ok(!output.includes(secret), `a secret appears in the job log`);
      for (const file of files) assert.ok(!file.includes(secret), 'a secret appears in an artifact');
    }
    assert.doesNotMatch(output, /^::[a-z-]+::/m, 'no GitHub workflow commands on GitLab');
  };

  before(async () => {
    env = await startReleaseEnvironment({ trafficPerSecond: 80 });
    token = JSON.parse(await readFile(env.sandbox.kubeconfig, 'utf8')).users[0].user.token;
  });
  after(async () => {
    await env?.stop();
  });

  test('mode run: promoted; dotenv, JSON, markdown and HTML reports written; sections; no secret printed', async () => {
    const image = `${REPOSITORY}:2.0.0`;
    const dir = await project('run', image);
    const { script, afterScript, variables, job } = await runJob('canary', dir, '501', { image });
    assert.equal(script.code, 0, script.output);
    assert.equal(await stableImage(), image);
    assert.equal(job.resource_group, 'production');
    assert.deepEqual(job.environment, {
      name: 'production',
      url: '$CANARY_INPUT_ENVIRONMENT_URL',
      action: 'start',
    });
    assert.equal(variables.CANARY_INPUT_ENVIRONMENT_URL, 'https://web.example');
    const dotenvFile = path.join(dir, job.artifacts.reports.dotenv);
    const dotenv = parseDotenv(await readFile(dotenvFile, 'utf8'));
    assert.equal(dotenv.VERDICT, 'pass');
    assert.equal(dotenv.OUTCOME, 'promoted');
    assert.equal(dotenv.IMAGE, image);
    assert.equal(dotenv.CANARY, `${WORKLOAD}-canary`);
    assert.equal(dotenv.REPORT, 'canary-report.json');
    const artifacts = job.artifacts.paths as string[];
    assert.deepEqual(artifacts, ['canary-report.json', 'canary-report.md', 'canary-report.html']);
    const [json, markdown, html] = await Promise.all(
      artifacts.map((file) => readFile(path.join(dir, file), 'utf8')),
    );
    assert.equal(JSON.parse(json!).runId, 'gitlab-501');
    assert.match(markdown!, /^## .*Canary/m);
    assert.match(markdown!, /xychart-beta/);
    assert.ok(markdown!.includes('https://gitlab.example/org/web/-/jobs/501'));
    assert.match(html!, /<html/);
    const escape = String.fromCharCode(27);
    assert.match(script.output, /section_start:\d+:canary_\d+\[collapsed=false\]\r.\[0KPreflight/);
    assert.ok(script.output.includes(`${escape}[0Ksection_start:`), 'sections start with ESC[0K');
    assert.match(script.output, /section_end:\d+:canary_\d+/);
    assert.match(afterScript!.output, /job success, mode run: nothing to clean up/);
    assertGitLabLog(script.output + afterScript!.output, [json!, markdown!, html!, JSON.stringify(dotenv)]);
    assert.equal(
      ruleMatches(await (await loadComponent({ config: 'x' })).job('canary-promote'), variables),
      undefined,
    );
  });

  test('mode deploy and a failed job: after_script removes the canary and keeps the job outputs', async () => {
    const before = await stableImage();
    const dir = await project('failed', `${REPOSITORY}:3.0.0`);
    const { script, afterScript } = await runJob(
      'canary',
      dir,
      '502',
      { mode: 'deploy', image: `${REPOSITORY}:3.0.0` },
      'failed',
    );
    assert.equal(script.code, 0, script.output);
    assert.match(afterScript!.output, /cleaning up the canary of run gitlab-502/);
    assert.equal(afterScript!.code, 0, afterScript!.output);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-canary`), undefined);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-baseline`), undefined);
    assert.equal(await stableImage(), before);
    const dotenv = parseDotenv(await readFile(path.join(dir, 'canary.env'), 'utf8'));
    assert.equal(dotenv.OUTCOME, 'deployed', 'the cleanup did not overwrite the job outputs');
    assertGitLabLog(script.output + afterScript!.output, [
      await readFile(path.join(dir, 'canary-report.json'), 'utf8'),
    ]);
  });

  test('mode deploy, then the manual canary-promote job (manual, blocking) promotes the live canary', async () => {
    const image = `${REPOSITORY}:4.0.0`;
    const dir = await project('promote', image);
    const inputs = { mode: 'deploy', image };
    const deployed = await runJob('canary', dir, '503', inputs);
    assert.equal(deployed.script.code, 0, deployed.script.output);
    assert.match(deployed.afterScript!.output, /nothing to clean up/);
    assert.ok(await env.get(`${deployments()}/${WORKLOAD}-canary`));
    const promote = await runJob('canary-promote', dir, '504', inputs);
    assert.deepEqual(ruleMatches(promote.job, promote.variables), {
      if: promote.job.rules[0].if,
      when: 'manual',
      allow_failure: false,
    });
    assert.equal(promote.script.code, 0, promote.script.output);
    assert.equal(await stableImage(), image);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-canary`), undefined);
    const dotenv = parseDotenv(await readFile(path.join(dir, 'canary.env'), 'utf8'));
    assert.equal(dotenv.OUTCOME, 'promoted');
    assertGitLabLog(promote.script.output, []);
  });
});
