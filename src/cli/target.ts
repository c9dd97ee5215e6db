import { defaultDurationMs, defaultRouter } from '../config/defaults.ts';
import { REQUIRED_ACCESS } from '../kube/access.ts';
import { connect } from '../kube/client.ts';
import type { ManageOptions } from '../pipeline/manage.ts';
import { liveNotifier } from '../pipeline/notify.ts';
import { kubeTarget, lockHolderFor, lockWaitMs, workloadName } from '../pipeline/request.ts';
import { createRouter } from '../traffic/registry.ts';
import type { CommandContext } from './command.ts';
import { loadCommandConfig } from './config-file.ts';

/** The workload, cluster and lock settings of promote, rollback, status and cleanup (--config optional). */
export async function manageTarget(context: CommandContext): Promise<ManageOptions> {
  const { settings, platform, signal } = context;
  const config = settings.config ? await loadCommandConfig(settings.config, context) : undefined;
  const workload = workloadName(
    settings.workload ?? config?.workload,
    settings.workload ? '--workload' : 'workload',
  );
  const cluster = await connect(kubeTarget(settings, config), {
    retry: { budgetMs: config?.apiRetryBudgetMs ?? defaultDurationMs('apiRetryBudget') },
  });
  const runId = settings.runId ?? `manual-${Date.now().toString(36)}`;
  const notify = liveNotifier(config, platform, cluster.namespace, workload, settings.notifyDeadlineMs);
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
    rollbackDeadlineMs: config?.rollbackDeadlineMs ?? defaultDurationMs('rollbackDeadline'),
    signal,
    ...(notify ? { notify } : {}),
  };
}
