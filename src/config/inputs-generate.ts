/**
 * Everything written from the table of inputs: action.yml's `inputs:`/`outputs:` blocks, the GitLab
 * template's `spec:inputs` header, and the docs' tables. scripts/sync-inputs.ts prints or writes them.
 */
import { dump, load } from 'js-yaml';
import { dotenvKey } from '../platform/outputs.ts';
import { PACKAGE } from '../version.ts';
import { INPUTS, inputsFor, OUTPUTS, type InputSpec, type Surface } from './inputs.ts';

const YAML_OPTIONS = { lineWidth: 110, noRefs: true, quoteStyle: 'single' } as const;

/** action.yml: every input is a string there; booleans and numbers are written as their text. */
export function actionInput(input: InputSpec): Record<string, string | boolean> {
  const entry: Record<string, string | boolean> = {
    description: input.description,
    required: input.required ?? false,
  };
  if (input.default !== undefined && !input.secret) entry.default = String(input.default);
  return entry;
}

/** The `inputs:` and `outputs:` blocks of action.yml, as YAML text. */
export function actionInputsYaml(): string {
  const inputs = Object.fromEntries(inputsFor('github').map((input) => [input.name, actionInput(input)]));
  const outputs = Object.fromEntries(
    OUTPUTS.map((output) => [output.name, { description: output.description }]),
  );
  return dump({ inputs, outputs }, YAML_OPTIONS);
}

/** GitLab's type for an input: a choice is a string with `options`. */
export const gitlabType = (input: InputSpec): 'string' | 'boolean' | 'number' =>
  input.type === 'choice' ? 'string' : input.type;

export function gitlabInput(input: InputSpec): Record<string, unknown> {
  const entry: Record<string, unknown> = { type: gitlabType(input) };
  const value = input.gitlabDefault ?? input.default;
  if (value !== undefined) entry.default = value;
  if (input.options) entry.options = [...input.options];
  entry.description = input.description;
  return entry;
}

/**
 * The GitLab template's header document (`spec: inputs: …`), without the `---` that separates it from
 * the jobs. Secrets are never inputs there: GitLab interpolates inputs into the pipeline configuration,
 * so they come from protected CI/CD variables instead (see docs/gitlab.md).
 */
export function gitlabSpecInputs(): string {
  const inputs = Object.fromEntries(inputsFor('gitlab').map((input) => [input.name, gitlabInput(input)]));
  return dump({ spec: { inputs } }, YAML_OPTIONS);
}

/** `$[[ inputs.NAME ]]` for every GitLab input, keyed by the job variable the template passes it in. */
export function gitlabInputVariables(): Record<string, string> {
  return Object.fromEntries(
    inputsFor('gitlab').map((input) => [
      `CANARY_INPUT_${input.name.toUpperCase()}`,
      `$[[ inputs.${input.name} ]]`,
    ]),
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function defaultText(input: InputSpec, surface: Surface): string {
  if (input.secret) return '(secret, none)';
  const value = surface === 'gitlab' ? (input.gitlabDefault ?? input.default) : input.default;
  if (value === undefined) return '(required)';
  if (value === '') return '`""`';
  return `\`${String(value)}\``;
}

function flagText(input: InputSpec): string {
  if (!input.cli) return '–';
  const negation = input.cli.negation ? ` / \`--${input.cli.negation}\`` : '';
  const perLine = input.cli.perLine ? ' (per line)' : '';
  const renames = Object.entries(input.cli.flagFor ?? {});
  const renamed = [...new Set(renames.map(([, flag]) => flag))].map(
    (flag) =>
      ` (\`--${flag}\` in ${renames
        .filter(([, other]) => other === flag)
        .map(([mode]) => mode)
        .join(', ')})`,
  );
  return `\`--${input.cli.flag}\`${negation}${perLine}${renamed.join('')}`;
}

/** The docs' table of inputs for one surface. */
export function inputsMarkdownTable(surface: Surface): string {
  const typeText = (input: InputSpec) =>
    input.type === 'choice' ? `choice: ${(input.options ?? []).join(', ')}` : input.type;
  const rows = inputsFor(surface).map(
    (input) =>
      `| \`${input.name}\` | ${cell(typeText(input))} | ${cell(defaultText(input, surface))} | ${flagText(input)} | ${cell(input.description)} |`,
  );
  return [
    '| Input | Type | Default | CLI flag | Description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The docs' table of outputs; `upperCase` names them as GitLab's dotenv variables (`decided-at` → `DECIDED_AT`). */
export function outputsMarkdownTable(upperCase = false): string {
  const rows = OUTPUTS.map(
    (output) => `| \`${upperCase ? dotenvKey(output.name) : output.name}\` | ${cell(output.description)} |`,
  );
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

export const ALL_INPUT_NAMES = INPUTS.map((input) => input.name);

const ACTION_KEY_ORDER = ['name', 'description', 'author', 'branding', 'inputs', 'outputs', 'runs'];

/** action.yml with its `inputs:` and `outputs:` replaced by the generated ones; other keys kept. */
export function renderActionYml(current: string): string {
  const action = load(current) as Record<string, unknown>;
  const generated = load(actionInputsYaml()) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...action, inputs: generated.inputs, outputs: generated.outputs };
  const rank = (key: string) => (ACTION_KEY_ORDER.includes(key) ? ACTION_KEY_ORDER.indexOf(key) : 99);
  const ordered = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => rank(a) - rank(b)));
  return dump(ordered, YAML_OPTIONS);
}

/**
 * The GitLab template with its header document replaced by the generated `spec:inputs`; the comment
 * lines at the top and the jobs document after `---` are kept as they are.
 */
export function renderGitlabTemplate(current: string): string {
  const separator = /^---[ \t]*$/m.exec(current);
  if (!separator) throw new Error('the GitLab template has no `---` line between its header and its jobs');
  const header = current.slice(0, separator.index);
  const comments = header.split('\n').filter((line) => line.startsWith('#'));
  const jobs = current.slice(separator.index);
  return [...comments, gitlabSpecInputs().trimEnd(), jobs].join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` (markers kept, blank lines around, as prettier writes). */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, from + start.length)}\n\n${content}\n\n${text.slice(to)}`;
}

/** Every `@scope/name@<version>` in a text pinned to this release (package.json's version). */
export function pinPackageMentions(text: string, info = PACKAGE): string {
  const escaped = info.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return text.replace(
    new RegExp(`(${escaped}@)\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?`, 'g'),
    `$1${info.version}`,
  );
}
