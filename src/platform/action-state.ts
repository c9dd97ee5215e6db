/**
 * What the action's main step hands its post step (core.saveState → STATE_* variables): enough to find
 * and roll back the canary this job started, and to remove a kubeconfig file the main step left behind.
 */
import path from 'node:path';
import type { KubeconfigSource } from './kubeconfig-input.ts';

/** `started`: a run/deploy began changing the cluster; `live`: it ended with the canary left (held/deployed). */
export type CanaryState = 'none' | 'started' | 'live';

export interface ActionState {
  mode: string;
  runId: string;
  config: string;
  workload: string;
  namespace: string;
  kubeContext: string;
  kubeconfigSource: KubeconfigSource;
  /** The kubeconfig path, when the input was a path. */
  kubeconfigPath: string;
  /** The temporary directory the main step wrote the kubeconfig content to. */
  kubeconfigTempDir: string;
  canary: CanaryState;
}

const KEYS: Record<keyof ActionState, string> = {
  mode: 'mode',
  runId: 'run_id',
  config: 'config',
  workload: 'workload',
  namespace: 'namespace',
  kubeContext: 'kube_context',
  kubeconfigSource: 'kubeconfig_source',
  kubeconfigPath: 'kubeconfig_path',
  kubeconfigTempDir: 'kubeconfig_temp_dir',
  canary: 'canary',
};

export function saveActionState(state: Partial<ActionState>, save: (name: string, value: string) => void) {
  for (const [key, value] of Object.entries(state)) {
    if (value !== undefined) save(KEYS[key as keyof ActionState], value);
  }
}

export function readActionState(read: (name: string) => string): ActionState {
  const value = (key: keyof ActionState) => read(KEYS[key]);
  const source = value('kubeconfigSource');
  const canary = value('canary');
  return {
    mode: value('mode'),
    runId: value('runId'),
    config: value('config'),
    workload: value('workload'),
    namespace: value('namespace'),
    kubeContext: value('kubeContext'),
    kubeconfigSource: source === 'content' || source === 'path' ? source : 'default',
    kubeconfigPath: value('kubeconfigPath'),
    kubeconfigTempDir: value('kubeconfigTempDir'),
    canary: canary === 'started' || canary === 'live' ? canary : 'none',
  };
}

/** Whether an ended release left its canary live on purpose. */
export const leftLive = (outcome: string | undefined) => outcome === 'held' || outcome === 'deployed';

/**
 * What the post step is told once a release ended: a canary left on purpose is `live`; one whose rollback
 * could not finish stays `started`, so a failed job's post step tries that rollback once more; otherwise
 * nothing of this run is left (a lost lease included: the run that took the Lease clears what it finds).
 */
export const canaryStateAfter = (outcome: string): CanaryState =>
  leftLive(outcome) ? 'live' : outcome === 'rollback-incomplete' ? 'started' : 'none';

const ROLL_BACK_ON = ['failure', 'cancelled'];

/** Why nothing is to be done, or undefined when the canary must be rolled back. */
export function reasonToSkip(status: string, state: ActionState): string | undefined {
  if (!ROLL_BACK_ON.includes(status))
    return `job status is ${JSON.stringify(status || '(empty)')}: nothing to roll back (only on failure or cancelled)`;
  if (state.canary === 'none')
    return `the job is ${status}, but this job left no canary live (mode ${state.mode || 'unknown'}): nothing to roll back`;
  return undefined;
}

/** The flags of `cleanup --all` for this run's canary: the target the main step acted on, and why. */
export function cleanupFlags(
  state: ActionState,
  kubeconfig: string | undefined,
  status = '',
): Record<string, string | boolean> {
  const flags: Array<[string, string | undefined]> = [
    ['config', state.config],
    ['kubeconfig', kubeconfig],
    ['context', state.kubeContext],
    ['namespace', state.namespace],
    ['workload', state.workload],
    ['run-id', state.runId],
  ];
  const reason = status === 'cancelled' ? 'job cancelled' : 'job failed';
  return { all: true, reason, ...Object.fromEntries(flags.filter(([, value]) => value)) };
}

/** Only a directory prepareKubeconfig made is ever removed on the state's word. */
export const isOwnTempDir = (dir: string) =>
  dir !== '' && path.basename(dir).startsWith('canary-kubeconfig-');
