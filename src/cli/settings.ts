/**
 * The CLI's adapter: a command's flags (parsed by node:util parseArgs, or handed over as values by the
 * inputs adapter) become the typed Settings the command runs with. The one place that knows which flag
 * sets which setting; `--context` is the kubeconfig context everywhere but `build`, where it is the
 * build context (run/deploy spell theirs `--build-context`).
 */
import type { BuildSettings, FlagValues, Settings } from '../config/settings.ts';
import { parseDuration } from '../util/durations.ts';
import { ConfigError } from '../util/errors.ts';
import { parseFlags, type Command } from './command.ts';

const text = (value: FlagValues[string]) => (typeof value === 'string' ? value : undefined);
const flag = (value: FlagValues[string]) => (typeof value === 'boolean' ? value : undefined);
const list = (value: FlagValues[string]) => (Array.isArray(value) ? value : []);

/** Keeps only the keys whose value is set, so an unset setting is absent (not `undefined`). */
function defined<T extends object>(settings: T): T {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as T;
}

function buildSettings(values: FlagValues, isBuild: boolean): BuildSettings {
  // `build` names its flags plainly; run and deploy prefix the ones that clash with theirs.
  const named = (name: string) => values[isBuild ? name : `build-${name}`];
  return defined({
    builder: text(values.builder),
    context: text(named('context')),
    file: text(named('file')),
    target: text(named('target')),
    platform: text(named('platform')),
    buildArgs: list(values['build-arg']),
    labels: list(values.label),
    tags: list(values.tag),
    push: flag(values.push),
    noPush: flag(values['no-push']),
    insecureRegistry: flag(values['insecure-registry']),
    registryUsername: text(values['registry-username']),
    registryPassword: text(values['registry-password']),
    branch: text(values.branch),
    rebuild: flag(values.rebuild),
    cache: text(values.cache),
    storageDriver: text(values['storage-driver']),
    isolation: text(values.isolation),
  });
}

/** A run id goes into labels, annotations and log lines: a Kubernetes label value, nothing that starts a line. */
const RUN_ID = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

function runIdFrom(value: FlagValues[string]): string | undefined {
  const runId = text(value);
  if (runId === undefined || RUN_ID.test(runId)) return runId;
  const shown =
    runId.length > 80
      ? `${JSON.stringify(runId.slice(0, 80))}… (${runId.length} characters)`
      : JSON.stringify(runId);
  throw new ConfigError(
    '--run-id',
    `expected 1 to 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, got ${shown}`,
  );
}

/** Positional arguments: manifests for run and deploy, an error for build and analyze, ignored otherwise. */
function manifestsFrom(name: string, values: FlagValues, positionals: readonly string[]): string[] {
  if ((name === 'build' || name === 'analyze') && positionals.length > 0)
    throw new ConfigError('arguments', `unexpected argument ${JSON.stringify(positionals[0])}`);
  const given = list(values.manifests);
  return name === 'run' || name === 'deploy' ? [...given, ...positionals] : given;
}

/** Typed settings of command `name` from its flag values. */
export function settingsFromFlags(
  name: string,
  values: FlagValues,
  positionals: readonly string[] = [],
): Settings {
  const lockWait = text(values['lock-wait']);
  const notifyDeadline = text(values['notify-deadline']);
  return defined({
    config: text(values.config),
    kubeconfig: text(values.kubeconfig),
    kubeContext: name === 'build' ? undefined : text(values.context),
    namespace: text(values.namespace),
    workload: text(values.workload),
    lockWaitMs: lockWait === undefined ? undefined : parseDuration(lockWait, '--lock-wait'),
    manifests: manifestsFrom(name, values, positionals),
    image: text(values.image),
    digest: text(values.digest),
    revision: text(values.revision),
    report: text(values.report),
    dryRun: flag(values['dry-run']),
    hold: flag(values.hold),
    aa: flag(values.aa),
    runId: runIdFrom(values['run-id']),
    all: flag(values.all),
    notifyDeadlineMs:
      notifyDeadline === undefined ? undefined : parseDuration(notifyDeadline, '--notify-deadline'),
    reason: text(values.reason),
    build: buildSettings(values, name === 'build'),
  });
}

/** A command line's flags (`--image=r/web --hold …`) parsed strictly against the command's own flags. */
export function flagValuesFromArgv(
  command: Command,
  argv: string[],
): { values: FlagValues; positionals: string[] } {
  const { values, positionals } = parseFlags(argv, command.options);
  return { values: values as FlagValues, positionals };
}

export function settingsFromArgv(command: Command, argv: string[]): Settings {
  const { values, positionals } = flagValuesFromArgv(command, argv);
  return settingsFromFlags(command.name, values, positionals);
}
