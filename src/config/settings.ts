/**
 * What a command is told, typed: built once at the edge from the CLI's flags (src/cli/settings.ts) or from
 * the inputs table (the Action's inputs, the GitLab component's variables: src/config/inputs-settings.ts),
 * then handed to the command. Unset means "the command's or the config file's default".
 */
export interface Settings {
  config?: string;
  kubeconfig?: string;
  kubeContext?: string;
  namespace?: string;
  /** As given (`deployment/NAME` or NAME); the command checks it. */
  workload?: string;
  /** --lock-wait, parsed into milliseconds at the edge. */
  lockWaitMs?: number;
  /** Manifest files or directories (--manifests, then positional arguments). */
  manifests: string[];
  image?: string;
  digest?: string;
  revision?: string;
  report?: string;
  dryRun?: boolean;
  hold?: boolean;
  aa?: boolean;
  runId?: string;
  /** cleanup: also a canary held or deployed on purpose. */
  all?: boolean;
  /** --notify-deadline, parsed into milliseconds at the edge. */
  notifyDeadlineMs?: number;
  /** cleanup: why, for the rolled-back notification ("job cancelled"). */
  reason?: string;
  build: BuildSettings;
}

/** The image build: `build`'s own flags, and `run`/`deploy`'s `--build-*` ones. */
export interface BuildSettings {
  builder?: string;
  context?: string;
  file?: string;
  target?: string;
  platform?: string;
  buildArgs: string[];
  labels: string[];
  tags: string[];
  push?: boolean;
  noPush?: boolean;
  insecureRegistry?: boolean;
  registryUsername?: string;
  registryPassword?: string;
  branch?: string;
  rebuild?: boolean;
  cache?: string;
  storageDriver?: string;
  isolation?: string;
}

/** Parsed flag values as node:util parseArgs returns them, keyed by flag name without `--`. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;
