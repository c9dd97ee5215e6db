/**
 * The fault-injection and bad-input suite (issue #12): `npm run faults -- [options]`.
 *
 *   --category bad-input,fault,secret   only these categories
 *   --case ID,…                         only these cases (a trailing * matches a prefix)
 *   --json FILE                         every result, with its problems, leaks and runs, as JSON
 *   --jobs N                            cases at once (default 3; a case marked exclusive runs alone)
 *   --list                              print the case table and exit
 *   --keep                              keep the cases' directories (inputs, outputs, reports)
 *
 * Prints one line per case as it ends, then the table the README carries (per category: cases tried,
 * cases handled right, secrets found) and one line per failing case. Exit 0 when every case was
 * handled right, 1 otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../support/cli.ts';
import { ALL_CASES } from './cases/index.ts';
import { CLI_SOURCE } from './cli-process.ts';
import { startFaultEnvironment } from './environment.ts';
import { CATEGORIES, runCase, type Case, type CaseResult, type Category } from './harness.ts';
import { failureLines, summaryTable } from './table.ts';

function select(cases: readonly Case[], categories?: string, ids?: string): Case[] {
  const wanted = categories?.split(',').map((c) => c.trim());
  for (const category of wanted ?? []) {
    if (!CATEGORIES.includes(category as Category))
      throw new Error(`--category: unknown ${JSON.stringify(category)} (${CATEGORIES.join(', ')})`);
  }
  const patterns = ids?.split(',').map((id) => id.trim());
  const matches = (id: string) =>
    !patterns || patterns.some((p) => (p.endsWith('*') ? id.startsWith(p.slice(0, -1)) : id === p));
  for (const pattern of patterns ?? []) {
    if (
      !cases.some((c) => (pattern.endsWith('*') ? c.id.startsWith(pattern.slice(0, -1)) : c.id === pattern))
    )
      throw new Error(`--case: no case ${JSON.stringify(pattern)}`);
  }
  return cases.filter((c) => (!wanted || wanted.includes(c.category)) && matches(c.id));
}

/** Runs the cases, at most `jobs` at once; an exclusive case waits for the others and runs alone. */
async function schedule(
  cases: readonly Case[],
  jobs: number,
  run: (c: Case) => Promise<void>,
): Promise<void> {
  const queue = [...cases];
  const active = new Set<Promise<void>>();
  let exclusive = false;
  while (queue.length > 0 || active.size > 0) {
    const next = queue[0];
    const canStart =
      next !== undefined && !exclusive && active.size < jobs && (!next.exclusive || active.size === 0);
    if (canStart) {
      queue.shift();
      if (next.exclusive) exclusive = true;
      const task: Promise<void> = run(next).finally(() => {
        active.delete(task);
        if (next.exclusive) exclusive = false;
      });
      active.add(task);
      continue;
    }
    await Promise.race(active);
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      category: { type: 'string' },
      case: { type: 'string' },
      json: { type: 'string' },
      jobs: { type: 'string' },
      list: { type: 'boolean' },
      keep: { type: 'boolean' },
    },
  });
  const cases = select(ALL_CASES, values.category, values.case);
  if (values.list) {
    for (const c of cases) console.log(`${c.id}\t${c.category}\t${c.does}\t→ ${c.expects}`);
    return 0;
  }
  const jobs = Math.max(1, Number(values.jobs ?? 3));
  const started = Date.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'canary-faults-'));
  console.log(
    `faults: ${cases.length} case(s), ${jobs} at once, CLI ${CLI_SOURCE === 'dist' ? 'dist/cli.js' : 'src (tsx)'}, cases in ${root}`,
  );
  const env = await startFaultEnvironment({ spare: jobs });
  console.log(`environment ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const results: CaseResult[] = [];
  try {
    // Bad inputs first (fast), then secrets, then faults; exclusive cases last, so they wait for no one.
    const order = [...cases].sort(
      (a, b) =>
        Number(a.exclusive ?? false) - Number(b.exclusive ?? false) ||
        CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category),
    );
    await schedule(order, jobs, async (c) => {
      const result = await runCase(env, c, root);
      results.push(result);
      const mark = result.ok ? 'ok  ' : 'FAIL';
      const why = result.ok ? '' : `: ${failureLines([result])[0]?.replace(/^- \S+ /, '')}`;
      console.log(`${mark} ${c.id} (${(result.durationMs / 1000).toFixed(1)} s)${why}`);
    });
  } finally {
    await env.stop();
    if (!values.keep) await rm(root, { recursive: true, force: true });
  }
  const durationMs = Date.now() - started;
  results.sort((a, b) => cases.findIndex((c) => c.id === a.id) - cases.findIndex((c) => c.id === b.id));
  console.log('');
  console.log(summaryTable(results));
  const failing = failureLines(results);
  if (failing.length > 0) {
    console.log('');
    console.log('Failing cases:');
    console.log(failing.join('\n'));
  }
  const date = new Date().toISOString();
  console.log('');
  console.log(
    `${date}: ${results.length} cases in ${(durationMs / 1000).toFixed(0)} s on ${os.cpus().length} cores, ` +
      `Node ${process.version}, ${CLI_SOURCE === 'dist' ? 'dist/cli.js' : 'src'} at ${gitCommit()}`,
  );
  if (values.json) {
    await writeFile(
      values.json,
      `${JSON.stringify(
        {
          date,
          command: `npm run faults -- ${process.argv.slice(2).join(' ')}`.trim(),
          durationMs,
          node: process.version,
          cli: CLI_SOURCE,
          commit: gitCommit(),
          results,
        },
        null,
        2,
      )}\n`,
    );
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
