import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../../src/cli/commands.ts';
import { settingsFromArgv, settingsFromFlags } from '../../../src/cli/settings.ts';
import {
  describeCommandLine,
  flagValuesFromInputs,
  parseMode,
  secretInputValues,
  type InputReader,
} from '../../../src/config/inputs-settings.ts';
import {
  checkDrift,
  cliFlagsFromOptions,
  cliFlagsFromUsage,
  documentationFiles,
  packageMentionDrift,
} from '../../../src/config/inputs-drift.ts';
import {
  gitlabInputVariables,
  gitlabSpecInputs,
  inputsMarkdownTable,
  outputsMarkdownTable,
  pinPackageMentions,
  renderActionYml,
} from '../../../src/config/inputs-generate.ts';
import { PACKAGE, PACKAGE_SPECIFIER } from '../../../src/version.ts';
import { cliFlagFor, INPUTS, MODES, OUTPUTS, type Mode } from '../../../src/config/inputs.ts';
import { ConfigError } from '../../../src/util/errors.ts';

const ACTION =
  'name: canary-action\ndescription: d\nruns:\n  using: node24\n  main: dist/action.js\n  post: dist/action-post.js\n';
const JOB_VARIABLES = Object.entries(gitlabInputVariables())
  .map(([name, value]) => `    ${name}: ${value}\n`)
  .join('');
const TEMPLATE = `${gitlabSpecInputs()}---\ncanary:\n  variables:\n${JOB_VARIABLES}  script: [npx canary-action from-inputs]\n`;

interface PackageJson {
  name: string;
  version: string;
}

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
      .replace(/\noutputs:\n/, '\noutputs:\n  elapsed:\n    description: how long\n');
    assert.deepEqual(checkDrift({ actionYml: drifted }), [
      'action.yml inputs: report.default is "report.json", the table says "canary-report.json"',
      'action.yml inputs: hold is missing',
      'action.yml outputs: elapsed is not in the table of inputs (src/config/inputs.ts)',
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
        'templates/canary.yml spec:inputs: dry_run.type is "string", the table says "boolean"',
      ),
      differences.join('\n'),
    );
    assert.ok(
      differences.some((line) => line.startsWith('templates/canary.yml spec:inputs: mode.options is [')),
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

  test("GitLab template: a package default other than this release (package.json's name@version) is named", () => {
    const drifted = TEMPLATE.replace(`'${PACKAGE_SPECIFIER}'`, 'canary-action@0.1.0');
    assert.notEqual(drifted, TEMPLATE);
    assert.deepEqual(checkDrift({ gitlabTemplate: drifted }), [
      `templates/canary.yml spec:inputs: package.default is "canary-action@0.1.0", the table says "${PACKAGE_SPECIFIER}"`,
    ]);
  });

  test('docs tables: padding does not count; a missing output or a changed description is named', () => {
    const docs = (inputs: string, outputs: string) =>
      `# x\n<!-- inputs:start -->\n\n${inputs}\n\n<!-- inputs:end -->\n<!-- outputs:start -->\n${outputs}\n<!-- outputs:end -->\n`;
    const padded = outputsMarkdownTable().replace(/\| /g, '|    ').replace(/---/g, '--------');
    assert.deepEqual(checkDrift({ githubDocs: docs(inputsMarkdownTable('github'), padded) }), []);
    const withoutPhase = outputsMarkdownTable()
      .split('\n')
      .filter((row) => !row.startsWith('| `phase`'))
      .join('\n');
    const changed = inputsMarkdownTable('github').replace('Registry login user.', 'Login.');
    const differences = checkDrift({ githubDocs: docs(changed, withoutPhase) });
    assert.equal(differences.length, 3, differences.join('\n'));
    assert.match(
      differences[0]!,
      /^docs\/github\.md inputs: row missing or different: `registry_username` .*Registry login user\./,
    );
    assert.match(differences[1]!, /^docs\/github\.md inputs: row not in the table of inputs: .*Login\./);
    assert.match(differences[2]!, /^docs\/github\.md outputs: row missing or different: `phase`/);
    assert.match(outputsMarkdownTable(true), /^\| `DECIDED_AT` \|/m, 'dotenv keys, as GitLab sees them');
  });

  test('package mentions: the unscoped name and another version are named; GitHub refs are not npm names', () => {
    const info = { name: '@canary-action/cli', version: '1.2.3' };
    const text = [
      'npx @canary-action/cli@1.2.3 run',
      'npx --yes @canary-action/cli promote',
      'uses: org/canary-action@v1',
      'npx canary-action run',
      'npm install -g canary-action@1.0.0',
      'package: @canary-action/cli@1.2.2.',
    ].join('\n');
    assert.deepEqual(packageMentionDrift({ 'a.md': text }, info), [
      "a.md:4: canary-action is not the package's name (@canary-action/cli; the command it installs is canary-action)",
      "a.md:5: canary-action@1.0.0 is not the package's name (@canary-action/cli; the command it installs is canary-action)",
      'a.md:6: @canary-action/cli@1.2.2 is not this release (@canary-action/cli@1.2.3)',
    ]);
    assert.equal(
      pinPackageMentions('npx @canary-action/cli@1.2.2 x; npx @canary-action/cli@0.9.0-rc.1 y', info),
      'npx @canary-action/cli@1.2.3 x; npx @canary-action/cli@1.2.3 y',
    );
  });

  test('GitLab template: an input the job does not pass to the CLI is named', () => {
    const drifted = TEMPLATE.replace(/ {4}CANARY_INPUT_HOLD: .*\n/, '');
    assert.deepEqual(checkDrift({ gitlabTemplate: drifted }), [
      'templates/canary.yml jobs: input hold is not passed to the CLI as CANARY_INPUT_HOLD',
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

  /**
   * The command line the inputs amount to (as the action logs it), checked against the CLI: the settings
   * the command gets from the inputs are the ones the same command line gives it.
   */
  function argvFromInputs(mode: Mode, read: InputReader): string[] {
    const values = flagValuesFromInputs(mode, read);
    const argv = describeCommandLine(mode, values).split(' ').slice(1);
    const command = COMMANDS.find((candidate) => candidate.name === mode);
    assert.ok(command);
    assert.deepEqual(settingsFromFlags(mode, values), settingsFromArgv(command, argv.slice(1)));
    return argv;
  }

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
  test('action.yml, templates/canary.yml, every CLI command parser, the docs tables and package mentions follow the table: no drift', async () => {
    const root = new URL('../../../', import.meta.url);
    const differences = checkDrift({
      actionYml: await readFile(new URL('action.yml', root), 'utf8'),
      gitlabTemplate: await readFile(new URL('templates/canary.yml', root), 'utf8'),
      cliFlags: cliFlagsFromOptions(COMMANDS),
      githubDocs: await readFile(new URL('docs/github.md', root), 'utf8'),
      gitlabDocs: await readFile(new URL('docs/gitlab.md', root), 'utf8'),
      packageMentions: await documentationFiles(fileURLToPath(root)),
    });
    assert.deepEqual(differences, []);
  });

  test("the GitLab component's default package is exactly this release: package.json's name@version", async () => {
    const root = new URL('../../../', import.meta.url);
    const json = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as PackageJson;
    const template = await readFile(new URL('templates/canary.yml', root), 'utf8');
    assert.ok(template.includes(`      default: '${json.name}@${json.version}'\n`), 'package default');
    assert.deepEqual(PACKAGE, { name: json.name, version: json.version });
  });

  test('every output a command sets is declared (action.yml, the docs), and no other', async () => {
    const root = fileURLToPath(new URL('../../../src', import.meta.url));
    const set = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(file);
        else if (file.endsWith('.ts'))
          for (const match of (await readFile(file, 'utf8')).matchAll(/\bsetOutput\('([a-z-]+)'/g))
            set.add(match[1]!);
      }
    };
    await walk(root);
    assert.deepEqual([...set].sort(), OUTPUTS.map((output) => output.name).sort());
  });
});
