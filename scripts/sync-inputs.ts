/**
 * Prints, checks or writes what follows from the table of inputs (src/config/inputs.ts).
 *   tsx scripts/sync-inputs.ts                 print action.yml's inputs/outputs and the GitLab spec:inputs
 *   tsx scripts/sync-inputs.ts --check         list drift between the table, action.yml, the template, the CLI, the docs'
 *                                              tables and the npm package named in README.md, docs/, examples/; exit 1 on drift
 *   tsx scripts/sync-inputs.ts --write docs    regenerate the tables in docs/github.md and docs/gitlab.md, and pin
 *                                              every `@canary-action/cli@x.y.z` in README.md, docs/, examples/ to package.json's version
 *   tsx scripts/sync-inputs.ts --write action  rewrite action.yml's inputs/outputs
 *   tsx scripts/sync-inputs.ts --write gitlab  rewrite templates/canary.yml's spec:inputs header
 *   tsx scripts/sync-inputs.ts --write all
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { COMMANDS } from '../src/cli/commands.ts';
import { checkDrift, cliFlagsFromOptions, documentationFiles } from '../src/config/inputs-drift.ts';
import {
  actionInputsYaml,
  gitlabSpecInputs,
  inputsMarkdownTable,
  outputsMarkdownTable,
  pinPackageMentions,
  renderActionYml,
  renderGitlabTemplate,
  replaceBetweenMarkers,
} from '../src/config/inputs-generate.ts';

const root = resolve(import.meta.dirname, '..');
const file = (name: string) => resolve(root, name);
const { values } = parseArgs({ options: { check: { type: 'boolean' }, write: { type: 'string' } } });

async function rewrite(name: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(file(name), 'utf8');
  const after = change(before);
  if (after !== before) await writeFile(file(name), after);
  console.log(`${after === before ? 'unchanged' : 'wrote'} ${name}`);
}

if (values.check) {
  const differences = checkDrift({
    actionYml: await readFile(file('action.yml'), 'utf8'),
    gitlabTemplate: await readFile(file('templates/canary.yml'), 'utf8'),
    cliFlags: cliFlagsFromOptions(COMMANDS),
    githubDocs: await readFile(file('docs/github.md'), 'utf8'),
    gitlabDocs: await readFile(file('docs/gitlab.md'), 'utf8'),
    packageMentions: await documentationFiles(root),
  });
  for (const difference of differences) console.log(difference);
  console.log(differences.length === 0 ? 'no drift' : `${differences.length} differences`);
  process.exitCode = differences.length === 0 ? 0 : 1;
} else if (values.write) {
  const targets = values.write === 'all' ? ['docs', 'action', 'gitlab'] : values.write.split(',');
  for (const target of targets) {
    if (target === 'docs') {
      for (const name of Object.keys(await documentationFiles(root))) await rewrite(name, pinPackageMentions);
      await rewrite('docs/github.md', (text) =>
        replaceBetweenMarkers(
          replaceBetweenMarkers(text, 'inputs', inputsMarkdownTable('github')),
          'outputs',
          outputsMarkdownTable(),
        ),
      );
      await rewrite('docs/gitlab.md', (text) =>
        replaceBetweenMarkers(
          replaceBetweenMarkers(text, 'inputs', inputsMarkdownTable('gitlab')),
          'outputs',
          outputsMarkdownTable(true),
        ),
      );
    } else if (target === 'action') await rewrite('action.yml', renderActionYml);
    else if (target === 'gitlab') await rewrite('templates/canary.yml', (text) => renderGitlabTemplate(text));
    else {
      console.error(`--write: expected docs, action, gitlab or all, got ${JSON.stringify(target)}`);
      process.exitCode = 2;
    }
  }
} else {
  console.log('# action.yml');
  console.log(actionInputsYaml());
  console.log('# templates/canary.yml (header document)');
  console.log(gitlabSpecInputs());
}
