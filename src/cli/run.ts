import type { Config } from '../config/types.ts';
import { REQUIRED_ACCESS } from '../kube/access.ts';
import { connect } from '../kube/client.ts';
import { createAnalyseStep, createAnalysisDriver } from '../pipeline/analysis-driver.ts';
import { restartProbe } from '../pipeline/restarts.ts';
import {
  kubeTarget,
  lockHolderFor,
  lockWaitMs,
  releaseInputs,
  workloadName,
  type ReleaseSettings,
} from '../pipeline/request.ts';
import { runPipeline } from '../pipeline/run-pipeline.ts';
import { createRouter } from '../traffic/registry.ts';
import { ConfigError } from '../util/errors.ts';
import type { CommandContext } from './command.ts';
import { loadCommandConfig } from './config-file.ts';
import { buildForRelease } from './release-build.ts';

/** Loads the config file (required) with the workload resolved; shared by run and deploy. */
export async function loadReleaseConfig(context: CommandContext): Promise<Config> {
  const path = context.settings.config;
  if (!path) throw new ConfigError('--config', 'is required: the path of the config file');
  return loadCommandConfig(path, context);
}

export async function startRelease(context: CommandContext, deployOnly: boolean): Promise<number> {
  const { settings, env, platform, clock, signal, publish } = context;
  const fileConfig = await loadReleaseConfig(context);
  if (settings.build.registryPassword) platform.addSecret(settings.build.registryPassword);
  const repository = settings.image ?? fileConfig.image;
  const built = await buildForRelease(settings.build, settings.revision, repository, env, platform, signal);
  const { digest: _given, ...rest } = settings;
  const release: ReleaseSettings = built ? { ...rest, image: built } : settings;
  const workload = workloadName(
    settings.workload ?? fileConfig.workload,
    settings.workload ? '--workload' : 'workload',
  );
  const inputs = releaseInputs(release, fileConfig, env, clock.now());
  if (!fileConfig.traffic.baseline && !fileConfig.analysis.tracks) {
    throw new ConfigError(
      'traffic.baseline',
      'false needs analysis.tracks: without a baseline, say which series are the control',
    );
  }
  const cluster = await connect(kubeTarget(release, fileConfig), {
    retry: { budgetMs: fileConfig.apiRetryBudgetMs },
  });
  const config: Config = Object.freeze({
    ...fileConfig,
    namespace: cluster.namespace,
    workload,
    lockWaitMs: lockWaitMs(release, fileConfig),
    notifyDeadlineMs: settings.notifyDeadlineMs ?? fileConfig.notifyDeadlineMs,
  });
  const router = createRouter(config.traffic.router, {
    cluster,
    platform,
    workload,
    traffic: config.traffic,
    acceptTimeoutMs: config.readyTimeoutMs,
  });
  platform.info(
    `${deployOnly ? 'deploy' : 'run'}: deployment/${workload} in namespace ${cluster.namespace}, image ${inputs.image}, revision ${inputs.run.revision}, run ${inputs.run.runId}`,
  );
  const driver = createAnalysisDriver(config, platform, clock, restartProbe(cluster, workload));
  const { exitCode } = await runPipeline(
    {
      config,
      workload,
      namespace: cluster.namespace,
      image: inputs.image,
      manifestPaths: inputs.manifestPaths,
      run: inputs.run,
      dryRun: settings.dryRun ?? false,
      hold: settings.hold ?? false,
      deployOnly,
      aa: inputs.aa,
      lockHolder: lockHolderFor(inputs.run.runId),
      ...(settings.report ? { reportFile: settings.report } : {}),
    },
    {
      cluster,
      platform,
      clock,
      signal,
      requiredAccess: REQUIRED_ACCESS,
      router,
      analyse: createAnalyseStep(config, platform, driver),
      ...(deployOnly ? {} : { checkAnalysis: driver.check }),
      onReport: publish,
    },
  );
  return exitCode;
}

/** `run`: the whole release, from the first step to promotion or rollback. */
export const execute = (context: CommandContext): Promise<number> => startRelease(context, false);
