import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  REQUIRED_ACCESS,
  canaryName,
  checkPermissions,
  connect,
  createRouter,
  findLiveRelease,
  isEmpty,
  liveNotifier,
  lockName,
  promote,
  promotionFromCluster,
  recordedStable,
  rollBack,
  routerOf,
  stateOf
} from "./chunk-P3A5YK2E.js";
import {
  loadCommandConfig
} from "./chunk-T3G5B2HR.js";
import {
  kubeTarget,
  lockHolderFor,
  lockWaitMs,
  workloadName
} from "./chunk-KT432G5G.js";
import {
  defaultDurationMs,
  defaultRouter
} from "./chunk-BZVD2643.js";
import {
  ConfigError
} from "./chunk-4WLXK7BF.js";

// src/pipeline/manage.ts
async function withLock(options, fn) {
  const { cluster, platform, workload } = options;
  await cluster.version();
  const canary = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", name: canaryName(workload) });
  const router = routerOf(canary, options.router, { cluster, platform, workload });
  await checkPermissions(cluster, [...options.requiredAccess, ...router.access]);
  const lock = await cluster.acquireLock(lockName(workload), options.lockHolder, {
    leaseSeconds: 30,
    waitMs: options.lockWaitMs,
    signal: options.signal,
    onWait: (heldBy) => platform.info(`waiting for the lock ${lockName(workload)}, held by ${heldBy}`)
  });
  try {
    return await fn();
  } finally {
    await lock.release().catch((error) => platform.warning(`could not release the lock: ${error.message}`));
  }
}
function describeLive(release) {
  if (isEmpty(release)) return ["no canary is live"];
  const lines = [];
  for (const deployment of [release.canary, release.baseline]) {
    if (!deployment) continue;
    const state = stateOf(deployment);
    const status = deployment.status ?? {};
    const desired = deployment.spec.replicas ?? 1;
    lines.push(
      `${deployment.metadata.name}: phase ${state.phase}, revision ${state.revision}, image ${state.image}, ${status.readyReplicas ?? 0}/${desired} ready, run ${state.runId}${state.runUrl ? ` (${state.runUrl})` : ""}, started ${state.startedAt}`
    );
  }
  for (const clone of release.clones) lines.push(`${clone.kind} ${clone.metadata.name}`);
  return lines;
}
async function liveStatus(cluster, workload) {
  const release = await findLiveRelease(cluster, workload);
  return { ...release.canary ? { state: stateOf(release.canary) } : {}, lines: describeLive(release) };
}
async function promoteLive(options) {
  const { cluster, platform, workload } = options;
  const { image, canary } = await withLock(options, async () => {
    const release = await findLiveRelease(cluster, workload);
    if (!release.canary) {
      throw new ConfigError(
        "workload",
        `no live canary for deployment/${workload} in namespace "${cluster.namespace}": nothing to promote`
      );
    }
    const state = stateOf(release.canary);
    platform.info(
      `promoting ${release.canary.metadata.name}: revision ${state.revision}, image ${state.image} (phase ${state.phase})`
    );
    const promotion = promotionFromCluster(release.canary, release.clones);
    const stableBefore = recordedStable(release.canary)?.deployment ?? await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", name: workload });
    if (!stableBefore)
      throw new ConfigError(
        "workload",
        `deployment/${workload} was not found in namespace "${cluster.namespace}"`
      );
    const configsBefore = (await Promise.all(
      promotion.configs.map((c) => cluster.get({ apiVersion: "v1", kind: c.kind, name: c.metadata.name }))
    )).filter((o) => o !== void 0);
    await promote(cluster, promotion, {
      workload,
      canary: release.canary,
      stableBefore,
      configsBefore,
      timeoutMs: options.readyTimeoutMs,
      rollbackDeadlineMs: options.rollbackDeadlineMs,
      signal: options.signal,
      platform,
      router: options.router
    });
    return { image: state.image, canary: release.canary };
  });
  await options.notify?.("promoted", canary, `promoted by hand: deployment/${workload} runs ${image}`);
  return image;
}
async function rollbackLive(options) {
  const { cluster, platform, workload } = options;
  let removed;
  const result = await withLock(options, async () => {
    const release = await findLiveRelease(cluster, workload);
    if (isEmpty(release)) {
      platform.info(`no canary of deployment/${workload} is live: nothing to roll back`);
      return "nothing";
    }
    const state = release.canary ? stateOf(release.canary) : void 0;
    if (options.onlyRun && state && state.runId !== options.onlyRun) {
      platform.info(`the live canary belongs to run ${state.runId}, not ${options.onlyRun}: left alone`);
      return "skipped";
    }
    if (options.keepHeld && state && (state.phase === "held" || state.phase === "deployed")) {
      platform.info(`the live canary is ${state.phase} on purpose: left alone (use rollback to remove it)`);
      return "skipped";
    }
    const restores = release.canary !== void 0 && recordedStable(release.canary) !== void 0;
    await rollBack(cluster, workload, {
      platform,
      router: options.router,
      deadlineMs: options.rollbackDeadlineMs,
      restoreStable: true
    });
    platform.info(
      restores ? `rolled back: the interrupted promotion undone (deployment/${workload} as before), canary removed` : `rolled back: deployment/${workload} untouched, canary removed`
    );
    removed = release.canary;
    return "rolled-back";
  });
  if (removed) await options.notify?.("rolled-back", removed, options.reason ?? "rolled back by hand");
  return result;
}

// src/cli/target.ts
async function manageTarget(context) {
  const { settings, platform, signal } = context;
  const config = settings.config ? await loadCommandConfig(settings.config, context) : void 0;
  const workload = workloadName(
    settings.workload ?? config?.workload,
    settings.workload ? "--workload" : "workload"
  );
  const cluster = await connect(kubeTarget(settings, config), {
    retry: { budgetMs: config?.apiRetryBudgetMs ?? defaultDurationMs("apiRetryBudget") }
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
      traffic: config?.traffic ?? { router: "replicas", steps: [], baseline: true },
      acceptTimeoutMs: config?.readyTimeoutMs ?? defaultDurationMs("readyTimeout")
    }),
    workload,
    requiredAccess: REQUIRED_ACCESS,
    lockHolder: lockHolderFor(runId),
    lockWaitMs: lockWaitMs(settings, config),
    readyTimeoutMs: config?.readyTimeoutMs ?? defaultDurationMs("readyTimeout"),
    rollbackDeadlineMs: config?.rollbackDeadlineMs ?? defaultDurationMs("rollbackDeadline"),
    signal,
    ...notify ? { notify } : {}
  };
}

export {
  liveStatus,
  promoteLive,
  rollbackLive,
  manageTarget
};
