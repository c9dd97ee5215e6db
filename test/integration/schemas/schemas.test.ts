import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  gitlabSpecInputs,
  renderActionYml,
  renderGitlabTemplate,
} from '../../../src/config/inputs-generate.ts';
import {
  parseYaml,
  parseYamlDocuments,
  readText,
  requireSchemasDir,
  schemaErrors,
  yamlFiles,
} from './validate.ts';

const WORKFLOWS = [...yamlFiles('.github/workflows'), ...yamlFiles('examples/github')];

describe('published schemas', () => {
  test('every schema named in test/schemas/SOURCES.md is in the repository', () => {
    const listed = [...readText('test/schemas/SOURCES.md').matchAll(/^\| `([^`]+\.json)`/gm)].map(
      (m) => m[1]!,
    );
    assert.ok(listed.length >= 7, `SOURCES.md lists ${listed.length} schema files`);
    for (const file of listed)
      assert.ok(existsSync(path.join(requireSchemasDir(), file)), `${file} is missing`);
  });

  test('the validators reject what the schemas forbid (a YAML 1.1 `on: true` key, a job without runs-on, an input without type)', () => {
    assert.ok(schemaErrors('github-workflow', { true: { push: null }, jobs: { a: { steps: [] } } }));
    assert.ok(schemaErrors('github-workflow', { on: 'push', jobs: { a: { steps: [{ run: 'x' }] } } }));
    assert.ok(
      schemaErrors('github-action', {
        name: 'x',
        description: 'y',
        runs: { using: 'node24' },
        inputs: { a: { default: 'z' } },
      }),
    );
    assert.ok(schemaErrors('gitlab-ci', { spec: { inputs: { a: { type: 'list' } } } }, '/properties/spec'));
    assert.ok(schemaErrors('gitlab-ci', { job: { script: 'x', when: 'sometimes' } }));
  });
});

describe('action.yml', () => {
  test('the current action.yml validates against the github-action schema', () => {
    assert.equal(schemaErrors('github-action', parseYaml(readText('action.yml'))), undefined);
  });

  test('action.yml with the generated inputs and outputs merged in validates too', () => {
    const merged = parseYaml(renderActionYml(readText('action.yml')));
    assert.equal(schemaErrors('github-action', merged), undefined);
    assert.ok('github_token' in (merged.inputs as object), 'the generated inputs are in the merged file');
  });
});

describe('GitHub workflows (.github/workflows and examples/github)', () => {
  test('there are workflows to validate', () => {
    for (const file of [
      '.github/workflows/ci.yml',
      '.github/workflows/check-dist.yml',
      '.github/workflows/e2e-kind.yml',
      '.github/workflows/release.yml',
    ]) {
      assert.ok(WORKFLOWS.includes(file), file);
    }
    assert.ok(
      WORKFLOWS.includes('examples/github/deploy.yml') && WORKFLOWS.includes('examples/github/promote.yml'),
    );
  });

  for (const file of WORKFLOWS) {
    test(`${file} validates, with \`on\` a string key`, () => {
      const workflow = parseYaml(readText(file));
      assert.ok(Object.keys(workflow).includes('on'), `${file}: expected an "on" key`);
      assert.equal(schemaErrors('github-workflow', workflow), undefined, file);
    });
  }

  test('release.yml: on a version tag, checks the tag, dist/ and drift, publishes with provenance, moves the major tag', () => {
    const workflow = parseYaml(readText('.github/workflows/release.yml')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(workflow.on, { push: { tags: ['v*.*.*'] } });
    const job = workflow.jobs.release;
    assert.deepEqual(job.permissions, { contents: 'write', 'id-token': 'write' });
    const runs = (job.steps as Array<{ run?: string }>).map((step) => step.run ?? '');
    const index = (pattern: RegExp) => runs.findIndex((run) => pattern.test(run));
    const order = [
      /"\$GITHUB_REF_NAME" != "v\$version"/,
      /npm run bundle[\s\S]*git status --porcelain -- dist\//,
      /sync-inputs\.ts --check/,
      /test\/integration\/package\/pack\.test\.ts/,
      /npm pkg set repository\.type=git "repository\.url=git\+\$GITHUB_SERVER_URL\/\$GITHUB_REPOSITORY\.git"/,
      /npm publish --provenance --access public/,
      /git push --force origin "refs\/tags\/\$major"/,
    ].map(index);
    assert.ok(!order.includes(-1), `every step is there: ${order.join(', ')}`);
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'checks first, then publish, then the major tag',
    );
    assert.equal(
      job.steps.at(-1).if,
      "steps.version.outputs.dist-tag == 'latest'",
      'no major tag for a pre-release',
    );
  });

  test('examples use the action by its published name and only inputs it declares', () => {
    const declared = Object.keys(parseYaml(renderActionYml(readText('action.yml'))).inputs as object);
    for (const file of ['examples/github/deploy.yml', 'examples/github/promote.yml']) {
      const jobs = parseYaml(readText(file)).jobs as Record<
        string,
        { steps?: Array<Record<string, unknown>> }
      >;
      const uses = Object.values(jobs).flatMap((job) =>
        (job.steps ?? []).filter((step) => String(step.uses).startsWith('org/canary-action')),
      );
      assert.ok(uses.length > 0, file);
      for (const step of uses) {
        assert.equal(step.uses, 'org/canary-action@v1');
        for (const input of Object.keys((step.with ?? {}) as object))
          assert.ok(declared.includes(input), `${file}: input ${input}`);
      }
    }
  });
});

describe('GitLab CI', () => {
  const validateComponent = (text: string, label: string) => {
    const documents = parseYamlDocuments(text);
    assert.equal(documents.length, 2, `${label}: a spec header and the jobs, separated by ---`);
    const [header, jobs] = documents as [Record<string, unknown>, Record<string, unknown>];
    assert.deepEqual(Object.keys(header), ['spec'], `${label}: the header holds only spec`);
    assert.equal(schemaErrors('gitlab-ci', header.spec, '/properties/spec'), undefined, `${label} header`);
    assert.equal(schemaErrors('gitlab-ci', jobs), undefined, `${label} jobs`);
    return { header, jobs };
  };

  test('templates/canary.yml: the spec header and the jobs document each validate', () => {
    validateComponent(readText('templates/canary.yml'), 'templates/canary.yml');
  });

  test('the template with the generated spec:inputs validates, every input typed', () => {
    const { header } = validateComponent(
      renderGitlabTemplate(readText('templates/canary.yml')),
      'regenerated template',
    );
    const inputs = (header.spec as { inputs: Record<string, { type?: string }> }).inputs;
    for (const [name, input] of Object.entries(inputs)) assert.ok(input.type, `${name} has a type`);
    const generated = parseYaml(gitlabSpecInputs());
    assert.equal(schemaErrors('gitlab-ci', generated.spec, '/properties/spec'), undefined);
  });

  test('examples/gitlab/.gitlab-ci.yml validates and includes the component with inputs it declares', () => {
    const pipeline = parseYaml(readText('examples/gitlab/.gitlab-ci.yml'));
    assert.equal(schemaErrors('gitlab-ci', pipeline), undefined);
    assert.deepEqual(pipeline.stages, ['build', 'canary']);
    const [include] = pipeline.include as Array<{ component: string; inputs: Record<string, unknown> }>;
    assert.match(include!.component, /^\$CI_SERVER_FQDN\/.+\/canary@1$/);
    const header = parseYamlDocuments(readText('templates/canary.yml'))[0] as { spec: { inputs: object } };
    const declared = Object.keys(header.spec.inputs);
    for (const input of Object.keys(include!.inputs)) assert.ok(declared.includes(input), `input ${input}`);
  });

  test('.gitlab-ci.yml (this component project) validates: tests the component, a catalog release on version tags', () => {
    const pipeline = parseYaml(readText('.gitlab-ci.yml')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(schemaErrors('gitlab-ci', pipeline), undefined);
    assert.match(
      pipeline.component.script.join('\n'),
      /test\/integration\/gitlab\/gitlab-ci-local\.test\.ts/,
    );
    const tagRule = /^\$CI_COMMIT_TAG =~ \/(.*)\/$/;
    const versionTag = new RegExp(tagRule.exec(pipeline.release.rules[0].if)![1]!);
    assert.ok(versionTag.test('v1.2.3') && !versionTag.test('1.2.3') && !versionTag.test('v1.2.3-rc.1'));
    assert.deepEqual(pipeline.release.needs, ['version']);
    assert.equal(
      pipeline.release.release.tag_name,
      '$VERSION',
      'the catalog version is the tag without its v',
    );
    assert.equal(pipeline.release.release.ref, '$CI_COMMIT_SHA');
    assert.match(pipeline.release.release.description, /canary@\$VERSION/);
    assert.equal(pipeline.version.artifacts.reports.dotenv, 'version.env');
  });

  test('the template: a canary job with resource_group, environment and after_script; manual blocking promote', () => {
    const [, jobs] = parseYamlDocuments(readText('templates/canary.yml')) as [
      unknown,
      Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    ];
    const base = jobs['.canary-action']!;
    assert.equal(base.resource_group, '$[[ inputs.environment ]]');
    assert.equal(base.environment.url, '$CANARY_INPUT_ENVIRONMENT_URL');
    assert.match(
      jobs.canary.after_script.join('\n'),
      /CI_JOB_STATUS[\s\S]*failed[\s\S]*canceled[\s\S]*cleanup/,
    );
    assert.equal(jobs.canary.artifacts.reports.dotenv, 'canary.env');
    const rule = jobs['canary-promote'].rules[0];
    assert.equal(rule.when, 'manual');
    assert.equal(rule.allow_failure, false);
  });
});
