/**
 * Where the engine runs: the GitHub runner, a GitLab job or a plain shell. Only src/platform knows which.
 * Its members are plain functions (no `this`), so `const say = platform.info` is safe.
 */
export interface Platform {
  readonly name: 'github' | 'gitlab' | 'local';
  /** Registers a value that must never appear in any output. */
  addSecret: (value: string) => void;
  /** Text with every registered secret replaced by `***`: what every file the tool writes goes through. */
  redact: (text: string) => string;
  info: (message: string) => void;
  warning: (message: string) => void;
  error: (message: string) => void;
  /** Runs `fn` inside a collapsible log section. */
  group: <T>(title: string, fn: () => Promise<T>) => Promise<T>;
  setOutput: (name: string, value: string) => void;
}
