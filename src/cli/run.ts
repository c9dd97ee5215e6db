import { loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { REQUIRED_ACCESS } from '../kube/access.ts';
import { connect } from '../kube/client.ts';
import { createAnalyseStep } from '../pipeline/analyse-step.ts';
import { restartProbe } from '../pipeline/restarts.ts';
import { configSecrets } from '../pipeline/analyze-command.ts';
import {
  kubeTarget,
  lockHolderFor,
  lockWaitMs,
  releaseInputs,
  workloadName,
  type ReleaseFlags,
} from '../pipeline/request.ts';
import type { ManageOptions } from '../pipeline/manage.ts';
import { runPipeline } from '../pipeline/run-pipeline.ts';
import { createRouter } from '../traffic/registry.ts';
import { ConfigError } from '../util/errors.ts';
import { parseFlags, type Command, type CommandContext } from './command.ts';
import { buildForRelease, RELEASE_BUILD_OPTIONS, RELEASE_BUILD_USAGE } from './release-build.ts';

/** Flags every command that acts on a workload takes. */
export const TARGET_OPTIONS = {
  config: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string' },
  workload: { type: 'string' },
  'lock-wait': { type: 'string' },
} as const;

export const TARGET_USAGE = `  --config FILE         Config file (YAML, apiVersion canary-action/v1).
  --kubeconfig FILE     Kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster).
  --context NAME        Kubeconfig context (default: its current context).
  --namespace NAME      Namespace (default: the config's, else the context's).
  --workload deployment/NAME   The stable Deployment (or the config key workload).
  --lock-wait DURATION  How long to wait for another run's lock (default: lockWait, 5m).`;

export const RELEASE_OPTIONS = {
  ...TARGET_OPTIONS,
  ...RELEASE_BUILD_OPTIONS,
  manifests: { type: 'string', multiple: true },
  image: { type: 'string' },
  digest: { type: 'string' },
  revision: { type: 'string' },
  report: { type: 'string' },
  'dry-run': { type: 'boolean' },
  hold: { type: 'boolean' },
  'run-id': { type: 'string' },
  aa: { type: 'boolean' },
} as const;

const RELEASE_USAGE = `${TARGET_USAGE}
  --manifests PATH...   Files or directories of multi-document YAML with the new Deployment.
  --image REF           The new image: registry/name:tag, name@sha256:…, or a repository with --digest.
  --digest sha256:…     The digest a build step pushed (when --image is a repository).
  --revision SHA        The commit (default: GITHUB_SHA, CI_COMMIT_SHA, else git rev-parse HEAD).
  --report FILE         Write the JSON report here.
  --dry-run             Print the planned objects and changes; change nothing.
  --run-id ID           Identify the run (default: from the CI, else generated).
  --aa                  A/A run: canary and baseline both run the stable's template, nothing is promoted
                        (measures false alarms on your cluster; also analysis.aa: true).
${RELEASE_BUILD_USAGE}`;

/** Loads the config file (required) with the workload resolved; shared by run and deploy. */
export async function loadReleaseConfig(path: string | undefined, env: NodeJS.ProcessEnv): Promise<Config> {
  if (!path) throw new ConfigError('--config', 'is required: the path of the config file');
  return loadConfigFile(path, env);
}

export async function startRelease(context: CommandContext, deployOnly: boolean): Promise<number> {
  const { argv, env, platform, clock, signal } = context;
  const { values, positionals } = parseFlags(argv, RELEASE_OPTIONS);
  const fileConfig = await loadReleaseConfig(values.config, env);
  configSecrets(fileConfig).forEach((secret) => platform.addSecret(secret));
  if (values['registry-password']) platform.addSecret(values['registry-password']);
  const built = await buildForRelease(values, values.image ?? fileConfig.image, env, platform, signal);
  const flags = (built ? { ...values, image: built, digest: undefined } : values) as ReleaseFlags &
    typeof values;
  const workload = workloadName(
    values.workload ?? fileConfig.workload,
    values.workload ? '--workload' : 'workload',
  );
  const router = createRouter(fileConfig.traffic.router);
  const inputs = releaseInputs(flags, positionals, fileConfig, env, clock.now());
  if (!fileConfig.traffic.baseline && !fileConfig.analysis.tracks) {
    throw new ConfigError(
      'traffic.baseline',
      'false needs analysis.tracks: without a baseline, say which series are the control',
    );
  }
  const cluster = await connect(kubeTarget(flags, fileConfig));
  const config: Config = Object.freeze({
    ...fileConfig,
    namespace: cluster.namespace,
    workload,
    lockWaitMs: lockWaitMs(flags, fileConfig),
  });
  platform.info(
    `${deployOnly ? 'deploy' : 'run'}: deployment/${workload} in namespace ${cluster.namespace}, image ${inputs.image}, revision ${inputs.run.revision}, run ${inputs.run.runId}`,
  );
  const { exitCode } = await runPipeline(
    {
      config,
      workload,
      namespace: cluster.namespace,
      image: inputs.image,
      manifestPaths: inputs.manifestPaths,
      run: inputs.run,
      dryRun: values['dry-run'] ?? false,
      hold: values.hold ?? false,
      deployOnly,
      aa: inputs.aa,
      lockHolder: lockHolderFor(inputs.run.runId),
      ...(values.report ? { reportFile: values.report } : {}),
    },
    {
      cluster,
      platform,
      clock,
      signal,
      requiredAccess: REQUIRED_ACCESS,
      router,
      analyse: createAnalyseStep(config, platform, clock, restartProbe(cluster, workload)),
    },
  );
  return exitCode;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Deploy a canary and a baseline, judge them step by step, then promote or roll back.',
  options: RELEASE_OPTIONS,
  usage: `${RELEASE_USAGE}
  --hold                Leave a passing canary live (phase held) for a manual promote.`,
  run: (context) => startRelease(context, false),
};

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
    readyTimeoutMs: config?.readyTimeoutMs ?? 300_000,
    signal,
  };
}
