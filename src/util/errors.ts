/** Exit codes shared by the CLI and the action (DESIGN.md §5). */
export const ExitCode = {
  Ok: 0,
  Regression: 1,
  InvalidInput: 2,
  Inconclusive: 3,
  Infrastructure: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: every error we raise on purpose carries the exit code it maps to. */
export abstract class CanaryError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: a config file, a flag or an environment variable. `path` names the field. */
export class ConfigError extends CanaryError {
  readonly exitCode = ExitCode.InvalidInput;
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(path ? `${path}: ${message}` : message, options);
  }
}

/** A permission the run needs is missing (named exactly). */
export class PermissionError extends CanaryError {
  readonly exitCode = ExitCode.InvalidInput;
}

/** A metrics backend, registry or cluster could not be reached or answered with an error. */
export class BackendError extends CanaryError {
  readonly exitCode = ExitCode.Infrastructure;
}

/** A query was rejected by the backend (syntax, unknown function): the user's input is wrong. */
export class QueryError extends CanaryError {
  readonly exitCode = ExitCode.InvalidInput;
  constructor(
    readonly query: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message}\n  query: ${query}`, options);
  }
}

/** A query returned no series at all. Not a failure by itself: the judge reports it as no data. */
export class NoDataError extends CanaryError {
  readonly exitCode = ExitCode.Inconclusive;
}

/** A rollout did not become ready (crash loop, image pull, progress deadline). */
export class RolloutError extends CanaryError {
  readonly exitCode = ExitCode.Regression;
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof CanaryError ? error.exitCode : ExitCode.Infrastructure;
}

/** A value for an error message, cut short: a pasted blob must not flood the log. */
export function showValue(value: unknown, max = 80): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? typeof value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
