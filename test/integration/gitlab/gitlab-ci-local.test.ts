/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * gitlab-ci-local (a pinned devDependency; it needs Node 22 or later, so it runs on Node 24) runs a
 * project's .gitlab-ci.yml that includes this component the way a component's own project tests it,
 * `component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/canary@$CI_COMMIT_SHA` (templates/canary.yml at the
 * commit), with the shell executor, against the Kubernetes sandbox with a real Prometheus. The tool
 * types and interpolates spec:inputs, evaluates `rules:if` on job variables (the manual jobs), hands a
 * dotenv report to later jobs, writes File-type variables to files and runs after_script with
 * CI_JOB_STATUS. Four pipelines: a good release run by `npx --yes <package>` from the packed npm package
 * (the component's default path), a bad release, a manual promote after `hold`, and after_script
 * removing the canary of a job that failed after deploying it.
 *
 * Where it falls short of GitLab (component.test.ts keeps those checks): it sets GITLAB_CI=false, so the
 * CLI runs on its plain platform (no collapsible sections; its redaction of secrets is the same); it has
 * no runner image (--force-shell-executor runs the jobs on this machine); it has no protected or masked
 * variables (the CLI's own redaction is what keeps secrets out of the log, on GitLab too).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';
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
import { packTarball, type Packed } from '../../support/package.ts';

const GITLAB_CI_LOCAL = path.join(REPO_ROOT, 'node_modules/gitlab-ci-local/dist/index.js');
const PROM_TOKEN = 'prom-header-secret-9d1e2';
const COMPONENT = '$CI_SERVER_FQDN/$CI_PROJECT_PATH/canary@$CI_COMMIT_SHA';

interface Pipeline {
  code: number | null;
  output: string;
  dir: string;
}

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

describe('gitlab-ci-local runs the component from a pipeline, shell executor, Node 24 (sandbox + Prometheus)', () => {
  let env: ReleaseEnvironment;
  let token: string;
  let packed: Packed;
  const deployments = () => `/apis/apps/v1/namespaces/${env.namespace}/deployments`;
  const stableImage = async () =>
    (await env.get(`${deployments()}/${WORKLOAD}`)).spec.template.spec.containers[0].image as string;
  const cli = () => `node ${path.join(REPO_ROOT, 'dist/cli.js')}`;

  /**
   * A component project: templates/canary.yml as committed here, the given .gitlab-ci.yml, the release's
   * config and manifests, CI/CD variables (KUBECONFIG of type File), one commit, an origin remote.
   */
  async function project(
    name: string,
    image: string,
    pipeline: unknown,
    manifestEnv?: Record<string, string>,
  ) {
    const dir = path.join(env.dir, `gitlab-ci-local-${name}`);
    await mkdir(path.join(dir, 'templates'), { recursive: true });
    await copyFile(path.join(REPO_ROOT, 'templates/canary.yml'), path.join(dir, 'templates/canary.yml'));
    await writeFile(path.join(dir, '.gitlab-ci.yml'), dump(pipeline, { lineWidth: -1 }));
    const config = (await readFile(await writeConfig(env, name), 'utf8')).replace(
      /provider: \{type: prometheus, url: ([^}]+)\}/,
      "provider: {type: prometheus, url: $1, headers: {Authorization: 'Bearer ${PROM_TOKEN}'}}",
    );
    assert.match(config, /PROM_TOKEN/);
    await writeFile(path.join(dir, 'canary.yml'), config);
    const manifests = await writeManifests(env, name, {
      image,
      ...(manifestEnv ? { env: manifestEnv } : {}),
    });
    await copyFile(manifests, path.join(dir, 'web.yaml'));
    // CI/CD variables (Settings → CI/CD → Variables): the kubeconfig as a File variable, a metrics token.
    await writeFile(
      path.join(dir, '.gitlab-ci-local-variables.yml'),
      dump({
        KUBECONFIG: { type: 'file', values: { '*': await readFile(env.sandbox.kubeconfig, 'utf8') } },
        PROM_TOKEN,
      }),
    );
    await writeFile(path.join(dir, '.gitignore'), '.gitlab-ci-local/\n.gitlab-ci-local-variables.yml\n');
    const git = (...args: string[]) =>
      promisify(execFile)('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
        cwd: dir,
      });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', name);
    await git('remote', 'add', 'origin', 'https://gitlab.example/platform/canary-action.git');
    return dir;
  }

  /** gitlab-ci-local in the project, on Node 24, the jobs on the shell executor; extra arguments pick jobs. */
  async function gitlabCiLocal(dir: string, ...args: string[]): Promise<Pipeline> {
    const child = spawn(node24(), [GITLAB_CI_LOCAL, '--force-shell-executor', ...args], {
      cwd: dir,
      env: {
        PATH: pathWithNode24(),
        HOME: path.join(dir, '.gitlab-ci-local', 'home'),
        // Nothing from a registry: npx installs the packed tarball, which has no dependencies.
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    return { code, output, dir };
  }

  const artifact = (dir: string, job: string, file: string) =>
    readFile(path.join(dir, '.gitlab-ci-local/artifacts', job, file), 'utf8');
  const dotenvOf = async (dir: string, job: string) =>
    parseDotenv(await artifact(dir, job, '.gitlab-ci-reports/dotenv/canary.env'));

  /** What a job printed: gitlab-ci-local prefixes each line with the job's name. */
  const jobLines = (run: Pipeline, job: string) =>
    run.output
      .split('\n')
      .filter((line) => line.startsWith(`${job} `))
      .join('\n');

  const assertNoSecret = async (run: Pipeline, artifacts: string[]) => {
    for (const secret of [token, PROM_TOKEN]) {
      assert.ok(!run.output.includes(secret), 'a secret appears in the pipeline output');
      for (const text of artifacts) assert.ok(!text.includes(secret), 'a secret appears in an artifact');
    }
  };

  before(async () => {
    env = await startReleaseEnvironment({ trafficPerSecond: 80 });
    token = JSON.parse(await readFile(env.sandbox.kubeconfig, 'utf8')).users[0].user.token;
    const packDir = path.join(env.dir, 'package');
    await mkdir(packDir, { recursive: true });
    packed = await packTarball(packDir);
  });
  after(async () => {
    await env?.stop();
  });

  test('a good release through `npx --yes <package>` (the packed package): promoted; a later job reads the dotenv', async () => {
    const image = `${REPOSITORY}:2.0.0`;
    const dir = await project('good', image, {
      stages: ['deploy', 'verify'],
      include: [
        {
          component: COMPONENT,
          inputs: { package: packed.tarball, config: 'canary.yml', manifests: 'web.yaml', image },
        },
      ],
      verify: {
        stage: 'verify',
        needs: ['canary'],
        script: ['echo "release: outcome=$OUTCOME verdict=$VERDICT phase=$PHASE canary=$CANARY"'],
      },
    });
    const run = await gitlabCiLocal(dir);
    assert.equal(run.code, 0, run.output);
    assert.equal(await stableImage(), image);
    const canary = jobLines(run, 'canary');
    assert.match(canary, /npx --yes --package "\$CANARY_INPUT_PACKAGE" canary-action/, 'the job ran npx');
    assert.match(canary, new RegExp(`canary-action ${packed.version.replace(/\./g, '\\.')} \\(Node v24\\.`));
    assert.match(canary, /== Preflight/, "the CLI's plain platform: gitlab-ci-local sets GITLAB_CI=false");
    assert.match(canary, /job success, mode run: nothing to clean up/);
    assert.match(
      jobLines(run, 'verify'),
      /release: outcome=promoted verdict=pass phase=promoted canary=web-canary/,
    );
    assert.doesNotMatch(run.output, /canary-promote|canary-rollback/, 'no manual jobs without hold');
    const dotenv = await dotenvOf(dir, 'canary');
    assert.equal(dotenv.OUTCOME, 'promoted');
    const files = await Promise.all(
      ['canary-report.json', 'canary-report.md', 'canary-report.html'].map((file) =>
        artifact(dir, 'canary', file),
      ),
    );
    assert.match(JSON.parse(files[0]!).runId, /^gitlab-\d+$/, 'the run id is the job id');
    assert.match(files[1]!, /^## .*Canary/m);
    await assertNoSecret(run, files);
  });

  test('a bad release: rolled back, the job and the pipeline fail, after_script finds nothing left', async () => {
    const before = await stableImage();
    const image = `${REPOSITORY}:3.0.0`;
    const dir = await project(
      'bad',
      image,
      {
        include: [
          {
            component: COMPONENT,
            inputs: { cli: cli(), config: 'canary.yml', manifests: 'web.yaml', image },
          },
        ],
      },
      { DEMO_ERROR_RATE: '0.3' },
    );
    const run = await gitlabCiLocal(dir);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /FAIL\s+canary/);
    assert.equal(await stableImage(), before);
    const canary = jobLines(run, 'canary');
    assert.match(canary, /job failed, cleaning up the canary of run gitlab-\d+/);
    assert.match(canary, /no canary of deployment\/web is live: nothing to roll back/);
    const dotenv = await dotenvOf(dir, 'canary');
    assert.equal(dotenv.VERDICT, 'fail');
    assert.equal(dotenv.OUTCOME, 'rolled-back', 'after_script kept the outputs of the job');
    const names = (await env.get(deployments())).items.map((d: any) => d.metadata.name);
    assert.deepEqual(names, [WORKLOAD]);
    await assertNoSecret(run, [await artifact(dir, 'canary', 'canary-report.json')]);
  });

  test('hold: the canary stays live, canary-promote is a manual blocking job; run by hand, it promotes', async () => {
    const image = `${REPOSITORY}:4.0.0`;
    const dir = await project('hold', image, {
      include: [
        {
          component: COMPONENT,
          inputs: { cli: cli(), config: 'canary.yml', manifests: 'web.yaml', image, hold: true },
        },
      ],
    });
    const listed = await gitlabCiLocal(dir, '--list-json');
    assert.equal(listed.code, 0, listed.output);
    const jobs = JSON.parse(listed.output.slice(listed.output.indexOf('['))) as Array<Record<string, any>>;
    const promoteJob = jobs.find((job) => job.name === 'canary-promote');
    assert.equal(promoteJob?.when, 'manual', 'rules:if on the job variables made it manual');
    assert.equal(promoteJob?.allow_failure, false, 'the pipeline waits for the decision');
    assert.equal(jobs.find((job) => job.name === 'canary-rollback')?.when, 'manual');

    const held = await gitlabCiLocal(dir);
    assert.equal(held.code, 0, held.output);
    assert.equal((await dotenvOf(dir, 'canary')).OUTCOME, 'held');
    assert.ok(await env.get(`${deployments()}/${WORKLOAD}-canary`), 'the canary is live');
    assert.doesNotMatch(jobLines(held, 'canary-promote'), /from-inputs promote/, 'manual: not run by itself');

    const promoted = await gitlabCiLocal(dir, 'canary-promote');
    assert.equal(promoted.code, 0, promoted.output);
    assert.match(jobLines(promoted, 'canary-promote'), /from-inputs promote/);
    assert.equal(await stableImage(), image);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-canary`), undefined);
    assert.equal((await dotenvOf(dir, 'canary-promote')).OUTCOME, 'promoted');
    await assertNoSecret(promoted, []);
  });

  test('a job that fails after deploying its canary: after_script removes that canary', async () => {
    const before = await stableImage();
    const image = `${REPOSITORY}:5.0.0`;
    const dir = await project('after-script', image, {
      include: [
        {
          component: COMPONENT,
          inputs: { cli: cli(), mode: 'deploy', config: 'canary.yml', manifests: 'web.yaml', image },
        },
      ],
      // The job fails once the canary is live: a later command failing, as a smoke test would. GitLab runs
      // before_script and script in one shell, so an EXIT trap set here ends the job with its status.
      canary: { before_script: ['trap \'echo "smoke test failed"; exit 1\' EXIT'] },
    });
    const run = await gitlabCiLocal(dir);
    assert.notEqual(run.code, 0, run.output);
    const canary = jobLines(run, 'canary');
    assert.match(canary, /smoke test failed/);
    assert.match(canary, /job failed, cleaning up the canary of run gitlab-\d+/);
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-canary`), undefined, 'the canary is gone');
    assert.equal(await env.get(`${deployments()}/${WORKLOAD}-baseline`), undefined);
    assert.equal(await stableImage(), before);
    assert.equal((await dotenvOf(dir, 'canary')).OUTCOME, 'deployed', 'after_script kept the outputs');
    await assertNoSecret(run, []);
  });
});
