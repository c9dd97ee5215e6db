/**
 * Differences between the table of inputs and what action.yml, the GitLab template and the CLI declare,
 * in words a person can act on. An empty list means no drift.
 */
import { load, loadAll } from 'js-yaml';
import { actionInput, gitlabInput } from './inputs-generate.ts';
import { cliFlagFor, inputsFor, INPUTS, MODES, OUTPUTS } from './inputs.ts';

export interface DriftSources {
  /** action.yml's text. */
  actionYml?: string;
  /** gitlab-ci-template.yml's text (header document, `---`, jobs). */
  gitlabTemplate?: string;
  /** Flags (kebab-case, without `--`) each CLI command accepts, by command name. */
  cliFlags?: Record<string, readonly string[]>;
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
  // The package default follows package.json's version; the drift check accepts any pinned version.
  const expected = Object.fromEntries(
    inputsFor('gitlab').map((input) => {
      const entry = gitlabInput(input);
      if (input.name === 'package' && typeof record(inputs.package).default === 'string') {
        entry.default = record(inputs.package).default;
      }
      return [input.name, entry];
    }),
  );
  return [
    ...compareEntries('gitlab-ci-template.yml spec:inputs', expected, inputs),
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
      : [`gitlab-ci-template.yml jobs: input ${input.name} is not passed to the CLI as ${variable}`];
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

export function checkDrift(sources: DriftSources): string[] {
  return [
    ...(sources.actionYml === undefined ? [] : actionDrift(sources.actionYml)),
    ...(sources.gitlabTemplate === undefined ? [] : gitlabDrift(sources.gitlabTemplate)),
    ...(sources.cliFlags === undefined ? [] : cliDrift(sources.cliFlags)),
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
