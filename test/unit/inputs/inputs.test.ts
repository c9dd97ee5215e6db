import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { load, loadAll } from 'js-yaml';
import { INPUTS, inputsFor, MODES, OUTPUTS } from '../../../src/config/inputs.ts';
import {
  actionInputsYaml,
  gitlabSpecInputs,
  inputsMarkdownTable,
  outputsMarkdownTable,
  renderActionYml,
  renderGitlabTemplate,
  replaceBetweenMarkers,
} from '../../../src/config/inputs-generate.ts';

import { PACKAGE_SPECIFIER } from '../../../src/version.ts';

type Entry = Record<string, unknown>;

describe('the table of inputs', () => {
  test('names are unique snake_case, flags kebab-case; the inputs the issue names are all there', () => {
    const names = INPUTS.map((input) => input.name);
    assert.equal(new Set(names).size, names.length);
    for (const input of INPUTS) {
      assert.match(input.name, /^[a-z][a-z0-9_]*$/, input.name);
      if (input.cli) assert.match(input.cli.flag, /^[a-z][a-z0-9-]*$/, input.name);
      assert.ok(input.description.length > 10 && input.description.length <= 1024, input.name);
    }
    for (const name of [
      'mode',
      'config',
      'kubeconfig',
      'kube_context',
      'namespace',
      'workload',
      'manifests',
      'image',
      'builder',
      'context',
      'file',
      'build_args',
      'target',
      'platform',
      'labels',
      'tags',
      'push',
      'insecure_registry',
      'registry_username',
      'registry_password',
      'rebuild',
      'revision',
      'report',
      'github_token',
      'environment',
      'dry_run',
      'hold',
      'status',
    ]) {
      assert.ok(names.includes(name), `input ${name}`);
    }
    assert.deepEqual(
      OUTPUTS.map((output) => output.name),
      [
        'verdict',
        'decided-at',
        'outcome',
        'phase',
        'image',
        'digest',
        'reference',
        'tags',
        'canary',
        'report',
      ],
    );
  });

  test('mode is a choice of the seven modes, run by default; every choice default is one of its options', () => {
    const mode = INPUTS.find((input) => input.name === 'mode');
    assert.deepEqual(mode?.options, ['run', 'build', 'deploy', 'analyze', 'promote', 'rollback', 'cleanup']);
    assert.equal(mode?.default, 'run');
    for (const input of INPUTS.filter((candidate) => candidate.type === 'choice')) {
      assert.ok(input.options?.includes(String(input.default)), input.name);
    }
  });

  test('secrets have no default and are never GitLab inputs; the post step status defaults to job.status', () => {
    const secrets = INPUTS.filter((input) => input.secret).map((input) => input.name);
    assert.deepEqual(secrets.sort(), ['github_token', 'kubeconfig', 'registry_password']);
    for (const input of INPUTS.filter((candidate) => candidate.secret))
      assert.equal(input.default, undefined);
    assert.equal(inputsFor('gitlab').filter((input) => input.secret).length, 0);
    assert.equal(INPUTS.find((input) => input.name === 'status')?.default, '${{ job.status }}');
  });

  test('every CLI mapping names existing modes; booleans defaulting to true have a negation flag', () => {
    for (const input of INPUTS) {
      for (const command of input.cli?.commands ?? [])
        assert.ok(MODES.includes(command), `${input.name}: ${command}`);
      if (input.type === 'boolean' && input.default === true) assert.ok(input.cli?.negation, input.name);
    }
  });
});

describe('action.yml inputs and outputs', () => {
  const generated = load(actionInputsYaml()) as {
    inputs: Record<string, Entry>;
    outputs: Record<string, Entry>;
  };

  test('round trip: the YAML parses and holds every GitHub input with its description and string default', () => {
    assert.deepEqual(
      Object.keys(generated.inputs),
      inputsFor('github').map((input) => input.name),
    );
    for (const input of inputsFor('github')) {
      const entry = generated.inputs[input.name];
      assert.equal(entry?.description, input.description);
      assert.equal(entry?.required, false);
      if (input.secret) assert.equal('default' in (entry ?? {}), false, `${input.name} has no default`);
      else assert.equal(entry?.default, String(input.default), input.name);
    }
    assert.equal(generated.inputs.push?.default, 'true');
    assert.equal(generated.inputs.status?.default, '${{ job.status }}');
    assert.equal('stage' in generated.inputs, false, 'GitLab-only inputs stay out');
  });

  test('outputs: every output with its description', () => {
    assert.deepEqual(
      Object.keys(generated.outputs),
      OUTPUTS.map((output) => output.name),
    );
    for (const output of OUTPUTS)
      assert.equal(generated.outputs[output.name]?.description, output.description);
  });

  test('renderActionYml replaces inputs and outputs and keeps runs, branding and the rest', () => {
    const current =
      'name: x\ndescription: d\nruns:\n  using: node24\n  main: dist/action.js\ninputs:\n  old:\n    description: gone\nbranding:\n  icon: activity\n  color: green\n';
    const rendered = load(renderActionYml(current)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(rendered), ['name', 'description', 'branding', 'inputs', 'outputs', 'runs']);
    assert.deepEqual(rendered.runs, { using: 'node24', main: 'dist/action.js' });
    assert.deepEqual(rendered.inputs, generated.inputs);
  });
});

describe('GitLab spec:inputs', () => {
  const header = load(gitlabSpecInputs()) as {
    spec: { inputs: Record<string, Entry> };
  };
  const inputs = header.spec.inputs;

  test('round trip: every GitLab input has a type GitLab knows, a typed default, options for choices', () => {
    assert.deepEqual(
      Object.keys(inputs),
      inputsFor('gitlab').map((input) => input.name),
    );
    for (const input of inputsFor('gitlab')) {
      const entry = inputs[input.name]!;
      assert.ok(['string', 'boolean', 'number'].includes(String(entry.type)), input.name);
      assert.equal(typeof entry.default, entry.type, `${input.name}: default of type ${String(entry.type)}`);
      if (input.type === 'choice') assert.deepEqual(entry.options, input.options);
      assert.equal(entry.description, input.description);
    }
    assert.equal(inputs.push?.default, true);
    assert.equal(inputs.dry_run?.default, false);
  });

  test('no secret and no GitHub-only input; the package default is this release', () => {
    for (const name of ['kubeconfig', 'registry_password', 'github_token', 'status'])
      assert.equal(name in inputs, false, name);
    assert.equal(inputs.package?.default, PACKAGE_SPECIFIER);
  });

  test('renderGitlabTemplate replaces the header, keeps the top comments and the jobs document', () => {
    const current =
      '# a component\n# include: …\nspec:\n  inputs:\n    old: {type: string}\n---\njob:\n  script:\n    - echo $[[ inputs.stage ]]\n';
    const rendered = renderGitlabTemplate(current);
    assert.ok(rendered.startsWith('# a component\n# include: …\nspec:\n'));
    assert.ok(rendered.endsWith('---\njob:\n  script:\n    - echo $[[ inputs.stage ]]\n'));
    const [spec, jobs] = loadAll(rendered) as [typeof header, Entry];
    assert.deepEqual(spec, header);
    assert.deepEqual(jobs, { job: { script: ['echo $[[ inputs.stage ]]'] } });
  });
});

describe('docs tables', () => {
  test('one row per input of the surface; secrets say they have no default; pipes in text are escaped', () => {
    const github = inputsMarkdownTable('github').split('\n');
    assert.equal(github.length, inputsFor('github').length + 2);
    assert.match(
      github.find((row) => row.startsWith('| `kubeconfig`')) ?? '',
      /\(secret, none\) \| `--kubeconfig` \|/,
    );
    assert.match(
      github.find((row) => row.startsWith('| `push`')) ?? '',
      /`true` \| `--push` \/ `--no-push` \|/,
    );
    for (const row of github) assert.equal(row.split(/(?<!\\)\|/).length, 7, row);
    assert.equal(inputsMarkdownTable('gitlab').split('\n').length, inputsFor('gitlab').length + 2);
    assert.match(outputsMarkdownTable(true), /\| `VERDICT` \|/);
  });

  test('replaceBetweenMarkers swaps the generated part only', () => {
    const text = 'intro\n<!-- inputs:start -->\nold\n<!-- inputs:end -->\nrest\n';
    assert.equal(
      replaceBetweenMarkers(text, 'inputs', 'new'),
      'intro\n<!-- inputs:start -->\n\nnew\n\n<!-- inputs:end -->\nrest\n',
    );
    assert.throws(() => replaceBetweenMarkers('no markers', 'inputs', 'x'), /markers <!-- inputs:start -->/);
  });
});
