import { defaultDurationMs, defaultRouter } from '../config/defaults.ts';
import { loadConfigFile } from '../config/load.ts';
import { REQUIRED_ACCESS } from '../kube/access.ts';
import { connect } from '../kube/client.ts';
import type { ManageOptions } from '../pipeline/manage.ts';
import { kubeTarget, lockHolderFor, lockWaitMs, workloadName } from '../pipeline/request.ts';
import { createRouter } from '../traffic/registry.ts';
import type { CommandContext } from './command.ts';

/** The workload, cluster and lock settings of promote, rollback, status and cleanup (--config optional). */
export async function manageTarget(context: CommandContext): Promise<ManageOptions> {
  const { settings, env, platform, signal } = context;
  const config = settings.config ? await loadConfigFile(settings.config, env) : undefined;
  const workload = workloadName(
    settings.workload ?? config?.workload,
    settings.workload ? '--workload' : 'workload',
  );
  const cluster = await connect(kubeTarget(settings, config));
  const runId = settings.runId ?? `manual-${Date.now().toString(36)}`;
  return {
    cluster,
    platform,
    router: createRouter(config?.traffic.router ?? defaultRouter(), {
      cluster,
      platform,
      workload,
      traffic: config?.traffic ?? { router: 'replicas', steps: [], baseline: true },
      acceptTimeoutMs: config?.readyTimeoutMs ?? defaultDurationMs('readyTimeout'),
    }),
    workload,
    requiredAccess: REQUIRED_ACCESS,
    lockHolder: lockHolderFor(runId),
    lockWaitMs: lockWaitMs(settings, config),
    readyTimeoutMs: config?.readyTimeoutMs ?? defaultDurationMs('readyTimeout'),
    signal,
  };
}
