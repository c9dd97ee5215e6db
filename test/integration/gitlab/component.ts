/**
 * The GitLab component as GitLab runs it: `spec:inputs` defaults merged with the given inputs (types
 * checked), `$[[ inputs.NAME ]]` interpolated (a value that is one whole interpolation keeps the input's
 * type, anything else becomes text), `extends` merged, then a job's `script` run in one bash and its
 * `after_script` in another, with the job's variables and GitLab's predefined variables.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { REPO_ROOT } from '../../support/cli.ts';

type Value = string | boolean | number;
type Job = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WHOLE = /^\$\[\[ inputs\.([a-z_]+) \]\]$/;
const ANY = /\$\[\[ inputs\.([a-z_]+) \]\]/g;

export async function loadComponent(given: Record<string, Value>) {
  const [header, jobs] = loadAll(await readFile(path.join(REPO_ROOT, 'templates/canary.yml'), 'utf8')) as [
    { spec: { inputs: Record<string, { type: string; default?: Value; options?: string[] }> } },
    Record<string, Job>,
  ];
  const specs = header.spec.inputs;
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) throw new Error(`input ${name} is required`);
    if (typeof value !== spec.type) throw new Error(`input ${name}: expected a ${spec.type}`);
    if (spec.options && !spec.options.includes(String(value)))
      throw new Error(`input ${name}: not an option`);
    inputs[name] = value;
  }
  for (const name of Object.keys(given)) if (!(name in specs)) throw new Error(`unknown input ${name}`);
  const lookup = (name: string) => {
    if (!(name in inputs)) throw new Error(`unknown interpolation inputs.${name}`);
    return inputs[name]!;
  };
  const interpolate = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      return whole ? lookup(whole[1]!) : node.replace(ANY, (_, name: string) => String(lookup(name)));
    }
    if (Array.isArray(node)) return node.map(interpolate);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolate(value)]));
    return node;
  };
  const resolved = interpolate(jobs) as Record<string, Job>;
  const merge = (base: Job, over: Job): Job => {
    const out: Job = { ...base };
    for (const [key, value] of Object.entries(over)) {
      out[key] =
        value && typeof value === 'object' && !Array.isArray(value) && typeof base[key] === 'object'
          ? merge(base[key], value)
          : value;
    }
    return out;
  };
  const job = (name: string): Job => {
    const raw = resolved[name];
    if (!raw) throw new Error(`no job ${name}`);
    const { extends: parent, ...rest } = raw;
    return parent ? merge(job(parent as string), rest) : rest;
  };
  return { inputs, job };
}

/** A variable's value as the job's environment holds it (GitLab rejects booleans there). */
export function jobVariables(job: Job): Record<string, string> {
  return Object.fromEntries(
    Object.entries((job.variables ?? {}) as Record<string, unknown>).map(([name, value]) => {
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new Error(`variable ${name} is a ${typeof value}: GitLab accepts only strings and numbers`);
      return [name, String(value)];
    }),
  );
}

export interface ScriptResult {
  code: number | null;
  output: string;
}

/** Runs script lines as the runner does: one shell, stopping at the first failing line. */
export function runScript(lines: string[], env: Record<string, string>, cwd: string): Promise<ScriptResult> {
  const child = spawn('bash', ['-e', '-c', lines.join('\n')], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A `rules:if` of the form `$VAR =~ /regex/` evaluated against the job's variables. */
export function ruleMatches(job: Job, variables: Record<string, string>): Job | undefined {
  for (const rule of (job.rules ?? []) as Job[]) {
    const match = /^\$([A-Z_]+) =~ \/(.*)\/$/.exec(String(rule.if));
    if (!match) throw new Error(`unsupported rule ${String(rule.if)}`);
    if (new RegExp(match[2]!).test(variables[match[1]!] ?? '')) return rule;
  }
  return undefined;
}
