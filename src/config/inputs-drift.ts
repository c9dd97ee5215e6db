/**
 * Differences between the table of inputs and what action.yml, the GitLab template and the CLI declare,
 * in words a person can act on. An empty list means no drift.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { load, loadAll } from 'js-yaml';
import { PACKAGE } from '../version.ts';
import { actionInput, gitlabInput, inputsMarkdownTable, outputsMarkdownTable } from './inputs-generate.ts';
import { cliFlagFor, inputsFor, INPUTS, MODES, OUTPUTS } from './inputs.ts';

export interface DriftSources {
  /** action.yml's text. */
  actionYml?: string;
  /** templates/canary.yml's text (header document, `---`, jobs). */
  gitlabTemplate?: string;
  /** Flags (kebab-case, without `--`) each CLI command accepts, by command name. */
  cliFlags?: Record<string, readonly string[]>;
  /** docs/github.md's and docs/gitlab.md's text: their generated inputs and outputs tables. */
  githubDocs?: string;
  gitlabDocs?: string;
  /** Files that name the npm package (README, docs, examples), by path: name and version as package.json says. */
  packageMentions?: Record<string, string>;
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

function compareEntries(
  where: string,
  expected: Record<string, Record<string, unknown>>,
  actual: Record<string, unknown>,
): string[] {
  const differences: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    if (!(name in actual)) {
      differences.push(`${where}: ${name} is missing`);
      continue;
    }
    const have = record(actual[name]);
    for (const key of new Set([...Object.keys(want), ...Object.keys(have)])) {
      if (JSON.stringify(want[key]) !== JSON.stringify(have[key])) {
        differences.push(`${where}: ${name}.${key} is ${show(have[key])}, the table says ${show(want[key])}`);
      }
    }
  }
  for (const name of Object.keys(actual)) {
    if (!(name in expected))
      differences.push(`${where}: ${name} is not in the table of inputs (src/config/inputs.ts)`);
  }
  return differences;
}

function actionDrift(text: string): string[] {
  const action = record(load(text));
  const inputs = Object.fromEntries(inputsFor('github').map((input) => [input.name, actionInput(input)]));
  const outputs = Object.fromEntries(
    OUTPUTS.map((output) => [output.name, { description: output.description }]),
  );
  return [
    ...compareEntries('action.yml inputs', inputs, record(action.inputs)),
    ...compareEntries('action.yml outputs', outputs, record(action.outputs)),
  ];
}

function gitlabDrift(text: string): string[] {
  const [header] = loadAll(text);
  const inputs = record(record(record(header).spec).inputs);
  // The package default is this release, `name@version` from package.json (src/version.ts).
  const expected = Object.fromEntries(inputsFor('gitlab').map((input) => [input.name, gitlabInput(input)]));
  return [
    ...compareEntries('templates/canary.yml spec:inputs', expected, inputs),
    ...gitlabJobDrift(text.slice(text.search(/^---[ \t]*$/m) + 1)),
  ];
}

/** Every input must reach the job as CANARY_INPUT_<NAME> (read by `canary-action from-inputs`). */
function gitlabJobDrift(jobs: string): string[] {
  return inputsFor('gitlab').flatMap((input) => {
    const variable = `CANARY_INPUT_${input.name.toUpperCase()}`;
    const binding = new RegExp(`\\b${variable}[:=] ?\\$\\[\\[ inputs\\.${input.name} \\]\\]`);
    return binding.test(jobs)
      ? []
      : [`templates/canary.yml jobs: input ${input.name} is not passed to the CLI as ${variable}`];
  });
}

function cliDrift(cliFlags: Record<string, readonly string[]>): string[] {
  const differences: string[] = [];
  for (const input of INPUTS) {
    if (!input.cli) continue;
    for (const command of input.cli.commands) {
      const flags = cliFlags[command];
      if (!flags) {
        differences.push(`CLI: command ${command} (mode of input ${input.name}) does not exist`);
        continue;
      }
      for (const flag of [
        cliFlagFor(input.cli, command),
        ...(input.cli.negation ? [input.cli.negation] : []),
      ]) {
        if (!flags.includes(flag)) {
          differences.push(`CLI: ${command} has no --${flag}, which input ${input.name} maps to`);
        }
      }
    }
  }
  for (const mode of MODES) {
    if (!(mode in cliFlags)) differences.push(`CLI: mode ${mode} has no command of that name`);
  }
  return [...new Set(differences)];
}

/** A markdown table's rows as trimmed cells, so that prettier's column padding does not count. */
const tableRows = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((row) =>
      row
        .trim()
        .replace(/^\||(?<!\\)\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join(' | '),
    );

function docsTableDrift(where: string, text: string, marker: string, expected: string): string[] {
  const start = text.indexOf(`<!-- ${marker}:start -->`);
  const end = text.indexOf(`<!-- ${marker}:end -->`);
  if (start < 0 || end < start)
    return [`${where}: no <!-- ${marker}:start --> … <!-- ${marker}:end --> table`];
  const have = tableRows(text.slice(start + `<!-- ${marker}:start -->`.length, end));
  const want = tableRows(expected);
  const differences = want
    .filter((row) => !have.includes(row))
    .map((row) => `${where} ${marker}: row missing or different: ${row}`);
  for (const row of have)
    if (!want.includes(row)) differences.push(`${where} ${marker}: row not in the table of inputs: ${row}`);
  return differences;
}

/**
 * The npm package as the docs name it: `@scope/name` from package.json, pinned (if at all) to this
 * version. Flags the unscoped name (`npx canary-action`, `canary-action@1.0.0`: anybody could publish
 * that) and a pin to another version. GitHub refs (`org/canary-action@v1`) are not npm names.
 */
export function packageMentionDrift(files: Record<string, string>, info = PACKAGE): string[] {
  const differences: string[] = [];
  const escaped = info.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pinned = new RegExp(`${escaped}@(\\d[^\\s"'\`)]*)`, 'g');
  const unscoped =
    /(?:npx(?: --yes| -y)?|npm (?:install|i|exec)(?: -g| --global)?) (canary-action\b[^\s]*)|(?<![\w/@.-])(canary-action@[^\s"'`)]+)/g;
  for (const [file, text] of Object.entries(files)) {
    text.split('\n').forEach((line, index) => {
      for (const match of line.matchAll(pinned)) {
        const version = match[1]!.replace(/[.,;:]+$/, '');
        if (version !== info.version)
          differences.push(
            `${file}:${index + 1}: ${info.name}@${version} is not this release (${info.name}@${info.version})`,
          );
      }
      for (const match of line.matchAll(unscoped)) {
        differences.push(
          `${file}:${index + 1}: ${match[1] ?? match[2]} is not the package's name (${info.name}; the command it installs is canary-action)`,
        );
      }
    });
  }
  return differences;
}

export function checkDrift(sources: DriftSources): string[] {
  return [
    ...(sources.actionYml === undefined ? [] : actionDrift(sources.actionYml)),
    ...(sources.gitlabTemplate === undefined ? [] : gitlabDrift(sources.gitlabTemplate)),
    ...(sources.cliFlags === undefined ? [] : cliDrift(sources.cliFlags)),
    ...(sources.githubDocs === undefined
      ? []
      : [
          ...docsTableDrift('docs/github.md', sources.githubDocs, 'inputs', inputsMarkdownTable('github')),
          ...docsTableDrift('docs/github.md', sources.githubDocs, 'outputs', outputsMarkdownTable()),
        ]),
    ...(sources.gitlabDocs === undefined
      ? []
      : [
          ...docsTableDrift('docs/gitlab.md', sources.gitlabDocs, 'inputs', inputsMarkdownTable('gitlab')),
          ...docsTableDrift('docs/gitlab.md', sources.gitlabDocs, 'outputs', outputsMarkdownTable(true)),
        ]),
    ...(sources.packageMentions === undefined ? [] : packageMentionDrift(sources.packageMentions)),
  ];
}

/** The flags each command really parses: the keys of its parseArgs options (src/cli/commands.ts's COMMANDS). */
export function cliFlagsFromOptions(
  commands: ReadonlyArray<{ name: string; options: Readonly<Record<string, unknown>> }>,
): Record<string, string[]> {
  return Object.fromEntries(commands.map((command) => [command.name, Object.keys(command.options)]));
}

/** The flags each command's help text lists (`--name`). Help can say less than the parser; prefer cliFlagsFromOptions. */
export function cliFlagsFromUsage(
  commands: ReadonlyArray<{ name: string; usage: string }>,
): Record<string, string[]> {
  return Object.fromEntries(
    commands.map((command) => [
      command.name,
      [...new Set([...command.usage.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((match) => match[1]!))],
    ]),
  );
}

/** The files a user reads for how to install and call the CLI: README.md, docs/, examples/, templates/. */
export async function documentationFiles(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(relative);
      else if (/\.(md|ya?ml)$/.test(entry.name))
        files[relative] = await readFile(path.join(root, relative), 'utf8');
    }
  };
  files['README.md'] = await readFile(path.join(root, 'README.md'), 'utf8');
  for (const dir of ['docs', 'examples', 'templates']) await walk(dir);
  return files;
}
