/**
 * From inputs (the action's `with:`, the template's `$[[ inputs.* ]]`) to the CLI command line, so the
 * action and the GitLab job run exactly the CLI's code path with the CLI's validation.
 */
import { ConfigError } from '../util/errors.ts';
import { cliFlagFor, INPUTS, MODES, type InputSpec, type Mode } from './inputs.ts';

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

function flagsFor(input: InputSpec, raw: string, mode: Mode): string[] {
  const cli = input.cli;
  if (!cli) return [];
  const flag = cliFlagFor(cli, mode);
  const value = raw.trim();
  if (input.type === 'boolean') {
    if (value === '') return [];
    if (TRUE.includes(value)) return [`--${flag}`];
    if (FALSE.includes(value)) return cli.negation ? [`--${cli.negation}`] : [];
    throw new ConfigError(input.name, `expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (value === '') return [];
  if (input.type === 'number' && !Number.isFinite(Number(value))) {
    throw new ConfigError(input.name, `expected a number, got ${JSON.stringify(raw)}`);
  }
  if (input.type === 'choice' && !input.options?.includes(value)) {
    throw new ConfigError(
      input.name,
      `expected one of ${input.options?.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  // `--flag=value` keeps a value that starts with `-` from being read as a flag.
  if (cli.perLine) {
    return value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => `--${flag}=${line}`);
  }
  return [`--${flag}=${input.secret ? raw : value}`];
}

/** `[command, ...flags]` for a mode: only the inputs that command takes, empty ones left to its defaults. */
export function argvFromInputs(mode: Mode, read: InputReader): string[] {
  const flags = INPUTS.filter((input) => input.cli?.commands.includes(mode)).flatMap((input) =>
    flagsFor(input, read(input.name), mode),
  );
  return [mode, ...flags];
}

/** The values of the secret inputs that are set: to be masked/redacted before anything is logged. */
export function secretInputValues(read: InputReader): string[] {
  return INPUTS.filter((input) => input.secret)
    .map((input) => read(input.name))
    .filter((value) => value.trim() !== '');
}
