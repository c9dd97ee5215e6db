import { parentPort, workerData } from 'node:worker_threads';
import { createJudges, type JudgeId } from './judges/index.ts';
import type { CanaryActionSettings } from './judges/canary-action.ts';
import { runScenario } from './runner.ts';
import { findScenario } from './scenarios.ts';

export interface WorkerSetup {
  judgeIds: JudgeId[];
  tuning: Partial<CanaryActionSettings>;
}

export interface Task {
  scenario: string;
  firstRun: number;
  endRun: number;
}

const setup = workerData as WorkerSetup;
const judges = await createJudges(setup.judgeIds, setup.tuning);

parentPort?.on('message', (task: Task) => {
  const runs = Array.from({ length: task.endRun - task.firstRun }, (_, i) => task.firstRun + i);
  parentPort?.postMessage(runScenario(findScenario(task.scenario), judges, runs));
});
parentPort?.postMessage('ready');
