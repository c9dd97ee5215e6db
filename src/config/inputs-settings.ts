/**
 * From inputs (the action's `with:`, the template's `$[[ inputs.* ]]` as CANARY_INPUT_* variables) to the
 * flag values of the command they run, as the inputs table maps them; src/cli/settings.ts turns those into
 * the command's Settings, as it does for the CLI's own flags. Inputs are validated here, naming the input.
 */
import { ConfigError } from '../util/errors.ts';
import { cliFlagFor, INPUTS, MODES, type InputSpec, type Mode } from './inputs.ts';
import type { FlagValues } from './settings.ts';

/** Reads one input by name; '' when unset (as @actions/core's getInput does). */
export type InputReader = (name: string) => string;

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function parseMode(value: string): Mode {
  const mode = value.trim() || 'run';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new ConfigError('mode', `expected one of ${MODES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return mode as Mode;
}

/** One input's flag and value for a mode; undefined when it is empty (the command's default applies). */
function flagValue(input: InputSpec, raw: string, mode: Mode): [string, FlagValues[string]] | undefined {
  const cli = input.cli;
  if (!cli) return undefined;
  const flag = cliFlagFor(cli, mode);
  const value = raw.trim();
  if (input.type === 'boolean') {
    if (value === '') return undefined;
    if (TRUE.includes(value)) return [flag, true];
    if (FALSE.includes(value)) return cli.negation ? [cli.negation, true] : undefined;
    throw new ConfigError(input.name, `expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (value === '') return undefined;
  if (input.type === 'number' && !Number.isFinite(Number(value))) {
    throw new ConfigError(input.name, `expected a number, got ${JSON.stringify(raw)}`);
  }
  if (input.type === 'choice' && !input.options?.includes(value)) {
    throw new ConfigError(
      input.name,
      `expected one of ${input.options?.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  if (cli.perLine) {
    const lines = value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    return [flag, lines];
  }
  return [flag, input.secret ? raw : value];
}

/** The flag values of a mode's command: only the inputs that command takes, empty ones left to its defaults. */
export function flagValuesFromInputs(mode: Mode, read: InputReader): FlagValues {
  const values: FlagValues = {};
  for (const input of INPUTS.filter((candidate) => candidate.cli?.commands.includes(mode))) {
    const entry = flagValue(input, read(input.name), mode);
    if (entry) values[entry[0]] = entry[1];
  }
  return values;
}

/** Later flag values win; repeatable flags (lists) add up, as on a command line. */
export function mergeFlagValues(first: FlagValues, then: FlagValues): FlagValues {
  const merged: FlagValues = { ...first };
  for (const [flag, value] of Object.entries(then)) {
    const before = merged[flag];
    merged[flag] = Array.isArray(before) && Array.isArray(value) ? [...before, ...value] : value;
  }
  return merged;
}

/** The equivalent command line, for the log: `canary-action run --config=… --hold`, credentials hidden. */
export function describeCommandLine(mode: Mode, values: FlagValues): string {
  const hidden = new Set(['kubeconfig', 'registry-password']);
  const words = Object.entries(values).flatMap(([flag, value]) => {
    if (value === true) return [`--${flag}`];
    if (value === undefined || value === false) return [];
    const shown = (text: string) => `--${flag}=${hidden.has(flag) ? '***' : text}`;
    return Array.isArray(value) ? value.map(shown) : [shown(value)];
  });
  return ['canary-action', mode, ...words].join(' ');
}

/** The values of the secret inputs that are set: to be masked/redacted before anything is logged. */
export function secretInputValues(read: InputReader): string[] {
  return INPUTS.filter((input) => input.secret)
    .map((input) => read(input.name))
    .filter((value) => value.trim() !== '');
}
