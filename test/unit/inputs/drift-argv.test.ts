import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { COMMANDS } from '../../../src/cli/commands.ts';
import { argvFromInputs, parseMode, secretInputValues } from '../../../src/config/inputs-argv.ts';
import { checkDrift, cliFlagsFromOptions, cliFlagsFromUsage } from '../../../src/config/inputs-drift.ts';
import {
  gitlabInputVariables,
  gitlabSpecInputs,
  renderActionYml,
} from '../../../src/config/inputs-generate.ts';
import { cliFlagFor, INPUTS, MODES } from '../../../src/config/inputs.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const ACTION =
  'name: canary-action\ndescription: d\nruns:\n  using: node24\n  main: dist/action.js\n  post: dist/action-post.js\n';
const JOB_VARIABLES = Object.entries(gitlabInputVariables())
  .map(([name, value]) => `    ${name}: ${value}\n`)
  .join('');
const TEMPLATE = `${gitlabSpecInputs({ packageVersion: '1.2.3' })}---\ncanary:\n  variables:\n${JOB_VARIABLES}  script: [npx canary-action from-inputs]\n`;

/** The flags the table expects, as if every CLI command declared exactly those. */
function tableFlags(): Record<string, string[]> {
  const flags: Record<string, string[]> = Object.fromEntries(MODES.map((mode) => [mode, []]));
  for (const input of INPUTS) {
    for (const command of input.cli?.commands ?? []) {
      flags[command]!.push(
        cliFlagFor(input.cli!, command),
        ...(input.cli!.negation ? [input.cli!.negation] : []),
      );
    }
  }
  return flags;
}

describe('drift check', () => {
  test('generated action.yml, template and matching CLI flags: no drift', () => {
    assert.deepEqual(
      checkDrift({ actionYml: renderActionYml(ACTION), gitlabTemplate: TEMPLATE, cliFlags: tableFlags() }),
      [],
    );
  });

  test('action.yml: a missing input, a changed default, an extra output are each named', () => {
    const drifted = renderActionYml(ACTION)
      .replace(/\n {2}hold:\n(?: {4}.*\n)+/, '\n')
      .replace('default: canary-report.json', 'default: report.json')
      .replace(/\noutputs:\n/, '\noutputs:\n  decided-at:\n    description: when\n');
    assert.deepEqual(checkDrift({ actionYml: drifted }), [
      'action.yml inputs: report.default is "report.json", the table says "canary-report.json"',
      'action.yml inputs: hold is missing',
      'action.yml outputs: decided-at is not in the table of inputs (src/config/inputs.ts)',
    ]);
  });

  test('GitLab template: a wrong type and a missing option are named', () => {
    const drifted = TEMPLATE.replace(/(\n {4}dry_run:\n {6}type: )boolean/, '$1string').replace(
      '        - cleanup\n',
      '',
    );
    const differences = checkDrift({ gitlabTemplate: drifted });
    assert.ok(
      differences.includes(
        'gitlab-ci-template.yml spec:inputs: dry_run.type is "string", the table says "boolean"',
      ),
      differences.join('\n'),
    );
    assert.ok(
      differences.some((line) => line.startsWith('gitlab-ci-template.yml spec:inputs: mode.options is [')),
    );
    assert.equal(differences.length, 2);
  });

  test('CLI: a flag a command lost and a mode without a command are named', () => {
    const flags = tableFlags();
    flags.run = flags.run!.filter((flag) => flag !== 'dry-run');
    delete flags.cleanup;
    const differences = checkDrift({ cliFlags: flags });
    assert.ok(differences.includes('CLI: run has no --dry-run, which input dry_run maps to'));
    assert.ok(differences.includes('CLI: mode cleanup has no command of that name'));
  });

  test('GitLab template: an input the job does not pass to the CLI is named', () => {
    const drifted = TEMPLATE.replace(/ {4}CANARY_INPUT_HOLD: .*\n/, '');
    assert.deepEqual(checkDrift({ gitlabTemplate: drifted }), [
      'gitlab-ci-template.yml jobs: input hold is not passed to the CLI as CANARY_INPUT_HOLD',
    ]);
  });

  test('CLI: a build input renamed in run (--build-context) must exist under that name there', () => {
    const flags = tableFlags();
    flags.deploy = flags.deploy!.filter((flag) => flag !== 'build-context').concat('context');
    assert.deepEqual(checkDrift({ cliFlags: flags }), [
      'CLI: deploy has no --build-context, which input context maps to',
    ]);
  });

  test("cliFlagsFromOptions reads the keys of each command's parseArgs options", () => {
    assert.deepEqual(
      cliFlagsFromOptions([
        { name: 'x', options: { config: { type: 'string' }, 'dry-run': { type: 'boolean' } } },
      ]),
      { x: ['config', 'dry-run'] },
    );
  });

  test('cliFlagsFromUsage reads the --flags of each help text', () => {
    assert.deepEqual(
      cliFlagsFromUsage([
        { name: 'build', usage: '  --push / --no-push   Push.\n  --tag T   (not x--y)\n  --tag again' },
      ]),
      { build: ['push', 'no-push', 'tag'] },
    );
  });
});

describe('inputs to CLI arguments', () => {
  const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  test('run: only the inputs run takes, empty ones left out, per-line inputs repeated', () => {
    const argv = argvFromInputs(
      'run',
      reader({
        config: 'canary.yml',
        kube_context: 'prod',
        manifests: 'k8s/app.yaml\n\n  k8s/svc.yaml  \n',
        image: 'ghcr.io/org/web',
        digest: 'sha256:1',
        report: 'canary-report.json',
        dry_run: 'false',
        hold: 'true',
        builder: 'docker',
        environment: 'production',
      }),
    );
    assert.deepEqual(argv, [
      'run',
      '--config=canary.yml',
      '--context=prod',
      '--manifests=k8s/app.yaml',
      '--manifests=k8s/svc.yaml',
      '--image=ghcr.io/org/web',
      '--digest=sha256:1',
      '--builder=docker',
      '--report=canary-report.json',
      '--hold',
    ]);
  });

  test("run and deploy: build inputs become the --build-* flags where build's own names would clash", () => {
    const values = reader({
      builder: 'buildah',
      image: 'r/web',
      context: 'app',
      file: 'app/Containerfile',
      target: 'prod',
      platform: 'linux/arm64',
      build_args: 'A=1',
      labels: 'team=web',
      tags: '{{sha}}',
      branch: 'main',
      push: 'false',
      rebuild: 'true',
      kube_context: 'prod',
    });
    for (const mode of ['run', 'deploy'] as const) {
      assert.deepEqual(argvFromInputs(mode, values), [
        mode,
        '--context=prod',
        '--image=r/web',
        '--builder=buildah',
        '--build-context=app',
        '--build-file=app/Containerfile',
        '--build-arg=A=1',
        '--build-target=prod',
        '--build-platform=linux/arm64',
        '--label=team=web',
        '--tag={{sha}}',
        '--rebuild',
        '--branch=main',
      ]);
    }
  });

  test('build: the build context is --context; push false becomes --no-push; values starting with - stay values', () => {
    const argv = argvFromInputs(
      'build',
      reader({
        image: 'r/web',
        context: 'app',
        push: 'false',
        build_args: 'A=1\nB=-x',
        tags: '{{sha}}',
        kube_context: 'x',
      }),
    );
    assert.deepEqual(argv, [
      'build',
      '--image=r/web',
      '--context=app',
      '--build-arg=A=1',
      '--build-arg=B=-x',
      '--tag={{sha}}',
      '--no-push',
    ]);
  });

  test('a bad boolean or mode is a ConfigError naming the input, the value and what was expected', () => {
    assert.throws(
      () => argvFromInputs('run', reader({ dry_run: 'yes' })),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, 'dry_run: expected true or false, got "yes"');
        return true;
      },
    );
    assert.throws(
      () => parseMode('ship'),
      /mode: expected one of run, build, deploy, analyze, promote, rollback, cleanup, got "ship"/,
    );
    assert.equal(parseMode(''), 'run');
  });

  test('secret input values are collected for masking; empty ones are not', () => {
    assert.deepEqual(
      secretInputValues(
        reader({ kubeconfig: 'apiVersion: v1', registry_password: '', github_token: 'ghs_x' }),
      ),
      ['apiVersion: v1', 'ghs_x'],
    );
  });
});

describe('the real files', () => {
  test('action.yml, gitlab-ci-template.yml and every CLI command parser follow the table: no drift', async () => {
    const root = new URL('../../../', import.meta.url);
    const differences = checkDrift({
      actionYml: await readFile(new URL('action.yml', root), 'utf8'),
      gitlabTemplate: await readFile(new URL('gitlab-ci-template.yml', root), 'utf8'),
      cliFlags: cliFlagsFromOptions(COMMANDS),
    });
    assert.deepEqual(differences, []);
  });
});
