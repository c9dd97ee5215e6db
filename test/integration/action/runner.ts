/**
 * Runs dist/action.js and dist/action-post.js the way the GitHub runner does: every input of action.yml
 * as INPUT_<NAME> (upper-cased, `_` and `-` kept; the declared defaults filled in), the file commands
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_STATE, an event payload at GITHUB_EVENT_PATH, the
 * GITHUB_* run variables, and the post step given the saved state as STATE_<name>.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import { REPO_ROOT } from '../../support/cli.ts';

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

export interface RunnerJob {
  workspace: string;
  runId: string;
  sha: string;
  /** Extra environment (GITHUB_API_URL, secrets the config reads …). */
  env?: Record<string, string>;
}

const actionDefaults = async (): Promise<Record<string, string>> => {
  const action = load(await readFile(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, input.default!]),
  );
};

/** The runner's name for an input's variable (actions/runner: ToUpperInvariant, spaces → `_`). */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/** Reads a file-command file: `name<<DELIMITER` … `DELIMITER` blocks, or `name=value` lines. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, index + 1);
      if (end < 0) throw new Error(`unterminated ${heredoc[1]} block`);
      values[heredoc[1]!] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

async function runStep(
  entry: 'action.js' | 'action-post.js',
  job: RunnerJob,
  inputs: Record<string, string>,
  state: Record<string, string>,
): Promise<StepResult> {
  const files = path.join(job.workspace, '_runner_file_commands', `${entry}-${Date.now()}`);
  await mkdir(files, { recursive: true });
  const file = (name: string) => path.join(files, name);
  await Promise.all(['output', 'summary', 'state', 'env', 'path'].map((name) => writeFile(file(name), '')));
  const event = { ref: 'refs/heads/main', after: job.sha, repository: { full_name: 'org/web' } };
  await writeFile(file('event.json'), JSON.stringify(event));
  const withDefaults = { ...(await actionDefaults()), ...inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: job.workspace,
    RUNNER_TEMP: path.join(job.workspace, '_temp'),
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: file('event.json'),
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_REPOSITORY: 'org/web',
    GITHUB_RUN_ID: job.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: job.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    ...job.env,
    ...Object.fromEntries(Object.entries(withDefaults).map(([name, value]) => [inputVariable(name), value])),
    ...Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value])),
  };
  await mkdir(env.RUNNER_TEMP!, { recursive: true });
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', entry)], {
    cwd: job.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseFileCommand(await readFile(file('output'), 'utf8')),
    state: parseFileCommand(await readFile(file('state'), 'utf8')),
    summary: await readFile(file('summary'), 'utf8'),
  };
}

export const runAction = (job: RunnerJob, inputs: Record<string, string>) =>
  runStep('action.js', job, inputs, {});

export const runPost = (job: RunnerJob, inputs: Record<string, string>, state: Record<string, string>) =>
  runStep('action-post.js', job, inputs, state);

/** What the runner would print: it consumes `::add-mask::` commands instead of showing them. */
export const visibleLog = (result: StepResult) =>
  `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
