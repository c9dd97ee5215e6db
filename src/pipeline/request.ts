import { sourceFromEnv } from '../image/revision.ts';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { defaultDurationMs } from '../config/defaults.ts';
import type { Settings } from '../config/settings.ts';
import type { Config } from '../config/types.ts';
import type { KubeTarget } from '../kube/types.ts';
import { ConfigError, showValue } from '../util/errors.ts';
import { resolveImage } from '../image/reference.ts';
import type { RunInfo } from './plan.ts';

/** What `run`, `deploy` and the management commands read of the settings. */
export type ReleaseSettings = Pick<
  Settings,
  | 'kubeconfig'
  | 'kubeContext'
  | 'namespace'
  | 'lockWaitMs'
  | 'manifests'
  | 'image'
  | 'digest'
  | 'revision'
  | 'runId'
  | 'aa'
>;

export const WORKLOAD_PATTERN = /^(deployment\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

export function workloadName(value: string | undefined, source: string): string {
  if (value === undefined) {
    throw new ConfigError('--workload', 'is required: deployment/NAME (or the config key workload)');
  }
  const match = WORKLOAD_PATTERN.exec(value);
  if (!match?.[2] || match[2].length > 50) {
    throw new ConfigError(
      source,
      `expected deployment/NAME with a DNS-1123 name of at most 50 characters (room for "-baseline" and the pods' suffixes), got ${showValue(value)}`,
    );
  }
  return match[2];
}

/** A Kubernetes namespace is a DNS-1123 label. */
export const NAMESPACE_PATTERN = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkNamespace(value: string | undefined, source: string): string | undefined {
  if (value === undefined || NAMESPACE_PATTERN.test(value)) return value;
  throw new ConfigError(
    source,
    `expected a DNS-1123 label (1 to 63 lowercase letters, digits or "-", starting and ending with a letter or digit), got ${showValue(value)}${value.length > 80 ? ` (${value.length} characters)` : ''}`,
  );
}

export function kubeTarget(settings: Partial<ReleaseSettings>, config?: Config): KubeTarget {
  const namespace =
    settings.namespace !== undefined
      ? checkNamespace(settings.namespace, '--namespace')
      : checkNamespace(config?.namespace, 'namespace');
  return {
    ...(settings.kubeconfig ? { kubeconfig: settings.kubeconfig } : {}),
    ...(settings.kubeContext ? { context: settings.kubeContext } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

/** The commit: --revision, else the CI's variables, else `git rev-parse HEAD`. */
export function resolveRevision(flag: string | undefined, env: NodeJS.ProcessEnv, git = gitHead): string {
  const revision = flag ?? sourceFromEnv(env).revision ?? git();
  if (!revision) {
    throw new ConfigError(
      '--revision',
      'is required outside a git checkout and CI (GITHUB_SHA, CI_COMMIT_SHA not set)',
    );
  }
  if (!/^[\w.\-/]{1,128}$/.test(revision)) {
    throw new ConfigError(
      '--revision',
      `expected a commit id or version (letters, digits, ".", "-", "_", "/"), got ${JSON.stringify(revision)}`,
    );
  }
  return revision;
}

function gitHead(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The CI run (GitHub Actions, GitLab CI) or a local one. */
export function runIdentity(env: NodeJS.ProcessEnv, flag?: string): { runId: string; runUrl?: string } {
  if (flag) return { runId: flag };
  if (env.GITHUB_RUN_ID) {
    const url =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return {
      runId: `github-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
      ...(url ? { runUrl: url } : {}),
    };
  }
  if (env.CI_JOB_ID) {
    return { runId: `gitlab-${env.CI_JOB_ID}`, ...(env.CI_JOB_URL ? { runUrl: env.CI_JOB_URL } : {}) };
  }
  return { runId: `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}` };
}

export const lockHolderFor = (runId: string) => `${runId}/${os.hostname()}/${process.pid}`;

/** --lock-wait, else the config's lockWait, else the schema's default. */
export function lockWaitMs(settings: Partial<ReleaseSettings>, config?: Config): number {
  return settings.lockWaitMs ?? config?.lockWaitMs ?? defaultDurationMs('lockWait');
}

/** Image, manifests, run info: everything `run`/`deploy` need besides the cluster. */
export function releaseInputs(
  settings: ReleaseSettings,
  config: Config,
  env: NodeJS.ProcessEnv,
  now: number,
): { image: string; manifestPaths: string[]; run: RunInfo; aa: boolean } {
  const aa = settings.aa ?? config.analysis.aa;
  const imageInput = settings.image ?? config.image;
  if (!imageInput && !aa)
    throw new ConfigError('--image', 'is required (or the config key image): the new image reference');
  // An A/A run deploys the stable's own template on both arms: no new image, no manifests.
  const { reference, digest } =
    imageInput && !aa ? resolveImage(imageInput, settings.digest) : { reference: '', digest: undefined };
  const manifestPaths = settings.manifests;
  const paths = aa ? [] : manifestPaths.length > 0 ? manifestPaths : [...(config.manifests ?? [])];
  if (paths.length === 0 && !aa) {
    throw new ConfigError(
      '--manifests',
      'is required (or the config key manifests): files or directories of YAML',
    );
  }
  const identity = runIdentity(env, settings.runId);
  return {
    image: reference,
    manifestPaths: paths,
    aa,
    run: {
      ...identity,
      revision: resolveRevision(settings.revision, env),
      ...(digest ? { digest } : {}),
      startedAt: new Date(now).toISOString(),
    },
  };
}
