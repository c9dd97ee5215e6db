/**
 * Judge benchmark: `npm run bench:judge -- [--quick] [--runs N] [--scenario id,...] [--judge id,...]
 * [--tune key=value,...] [--workers N] --out FILE`. See bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CANARY_ACTION_30M, CANARY_ACTION_DEFAULTS } from './judges/canary-action.ts';
import { createJudges, defaultJudgeIds, parseJudgeIds, parseTuning } from './judges/index.ts';
import { checkTargets, formatTable, formatTargets, summarise } from './report.ts';
import type { RunOutcome } from './runner.ts';
import { BACKGROUND, findScenario, SCENARIOS, type Scenario } from './scenarios.ts';
import type { Task, WorkerSetup } from './worker.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    scenario: { type: 'string' },
    judge: { type: 'string' },
    tune: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
  },
});

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name}: expected a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const RUNS = args.quick ? { aa: 400, other: 100 } : { aa: 2000, other: 500 };
const CHUNK = 20;

function runsFor(scenario: Scenario): number {
  if (args.runs !== undefined) return positiveInteger('runs', args.runs, 1);
  return scenario.kind === 'aa' ? RUNS.aa : RUNS.other;
}

const scenarios = args.scenario ? args.scenario.split(',').map(findScenario) : [...SCENARIOS];
const tuning = args.tune ? parseTuning(args.tune) : {};
const judgeIds = args.judge ? parseJudgeIds(args.judge) : defaultJudgeIds();
if (args.tune && !judgeIds.includes('canary-action-tuned')) judgeIds.push('canary-action-tuned');
const workerCount = positiveInteger('workers', args.workers, Math.min(2, availableParallelism()));

const tasks: Task[] = scenarios.flatMap((scenario) => {
  const total = runsFor(scenario);
  return Array.from({ length: Math.ceil(total / CHUNK) }, (_, i) => ({
    scenario: scenario.id,
    firstRun: i * CHUNK,
    endRun: Math.min(total, (i + 1) * CHUNK),
  }));
});

function runInWorkers(setup: WorkerSetup): Promise<RunOutcome[]> {
  const queue = [...tasks];
  const outcomes: RunOutcome[] = [];
  let done = 0;
  return new Promise((resolve, reject) => {
    const workers = Array.from({ length: Math.min(workerCount, tasks.length) }, () => {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: setup });
      const next = () => {
        const task = queue.shift();
        if (task) worker.postMessage(task);
      };
      worker.on('message', (message: 'ready' | RunOutcome[]) => {
        if (message !== 'ready') {
          outcomes.push(...message);
          done++;
          if (done % Math.ceil(tasks.length / 10) === 0)
            process.stderr.write(`${done}/${tasks.length} chunks\n`);
          if (done === tasks.length) {
            workers.forEach((w) => void w.terminate());
            resolve(outcomes);
            return;
          }
        }
        next();
      });
      worker.on('error', (error) => {
        workers.forEach((w) => void w.terminate());
        reject(error);
      });
      return worker;
    });
  });
}

async function runInline(setup: WorkerSetup): Promise<RunOutcome[]> {
  const { runScenario } = await import('./runner.ts');
  const judges = await createJudges(setup.judgeIds, setup.tuning);
  return tasks.flatMap((task) =>
    runScenario(
      findScenario(task.scenario),
      judges,
      Array.from({ length: task.endRun - task.firstRun }, (_, i) => task.firstRun + i),
    ),
  );
}

const started = performance.now();
const setup: WorkerSetup = { judgeIds, tuning };
const outcomes = workerCount > 1 ? await runInWorkers(setup) : await runInline(setup);
const elapsedSeconds = (performance.now() - started) / 1000;

const order = (judge: string) => judgeIds.indexOf(judge as (typeof judgeIds)[number]);
const scenarioOrder = (id: string) => scenarios.findIndex((s) => s.id === id);
const rows = summarise(outcomes).sort(
  (a, b) => scenarioOrder(a.scenario) - scenarioOrder(b.scenario) || order(a.judge) - order(b.judge),
);
const judges = await createJudges(judgeIds, tuning).catch(() => []);
const targets = judgeIds
  .filter((id) => id.startsWith('canary-action'))
  .flatMap((id) => checkTargets(rows, id));

console.log(formatTable(rows));
if (targets.length > 0) console.log(`\nTargets (issue 10) for our judge:\n${formatTargets(targets)}`);
console.log(`\n${outcomes.length} judged runs in ${elapsedSeconds.toFixed(1)} s on ${workerCount} worker(s)`);

if (args.out) {
  const report = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench:judge -- ${process.argv.slice(2).join(' ')}`,
    elapsedSeconds,
    workers: workerCount,
    judges: judges.map((j) => ({ id: j.id, configuration: j.configuration })),
    canaryActionSettings: { shipped: CANARY_ACTION_DEFAULTS, '30m': CANARY_ACTION_30M },
    tuning,
    background: BACKGROUND,
    scenarios: scenarios.map((s) => ({ ...s, runs: runsFor(s) })),
    results: rows,
    targets,
  };
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${args.out}`);
}
