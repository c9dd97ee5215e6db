import { defaultDurationMs } from '../config/defaults.ts';
import { loadConfigFile } from '../config/load.ts';
import { REQUIRED_ACCESS } from '../kube/access.ts';
import { connect } from '../kube/client.ts';
import type { ManageOptions } from '../pipeline/manage.ts';
import {
  kubeTarget,
  lockHolderFor,
  lockWaitMs,
  workloadName,
  type ReleaseFlags,
} from '../pipeline/request.ts';
import { createRouter } from '../traffic/registry.ts';
import type { CommandContext } from './command.ts';

/** The workload, cluster and lock settings of promote, rollback, status and cleanup (--config optional). */
export async function manageTarget(
  context: CommandContext,
  values: ReleaseFlags & { config?: string },
): Promise<ManageOptions> {
  const { env, platform, signal } = context;
  const config = values.config ? await loadConfigFile(values.config, env) : undefined;
  const workload = workloadName(
    values.workload ?? config?.workload,
    values.workload ? '--workload' : 'workload',
  );
  const cluster = await connect(kubeTarget(values, config));
  const runId = values['run-id'] ?? `manual-${Date.now().toString(36)}`;
  return {
    cluster,
    platform,
    router: createRouter(config?.traffic.router ?? 'replicas'),
    workload,
    requiredAccess: REQUIRED_ACCESS,
    lockHolder: lockHolderFor(runId),
    lockWaitMs: lockWaitMs(values, config),
    readyTimeoutMs: config?.readyTimeoutMs ?? defaultDurationMs('readyTimeout'),
    signal,
  };
}
