/**
 * The one table of inputs and outputs. action.yml's `inputs:`/`outputs:`, the GitLab template's
 * `spec:inputs`, the docs' tables and the CLI flag each input maps to all follow from it
 * (src/config/inputs-generate.ts writes them, src/config/inputs-drift.ts checks them).
 */
import { PACKAGE_SPECIFIER } from '../version.ts';

export const MODES = ['run', 'build', 'deploy', 'analyze', 'promote', 'rollback', 'cleanup'] as const;
export type Mode = (typeof MODES)[number];

/** Where an input exists: the GitHub Action, the GitLab component. */
export type Surface = 'github' | 'gitlab';

export type InputType = 'string' | 'boolean' | 'number' | 'choice';

export interface CliMapping {
  /** The flag, kebab-case, without `--`. */
  flag: string;
  /** The commands (= modes) that take it. */
  commands: readonly Mode[];
  /** Commands that name it differently (run/deploy prefix build flags that clash: `--build-context`). */
  flagFor?: Partial<Record<Mode, string>>;
  /** boolean inputs whose default is true: the flag that turns them off. */
  negation?: string;
  /** Each non-empty line of the input becomes one repetition of the flag. */
  perLine?: boolean;
}

export interface InputSpec {
  /** snake_case, as in `with:` and `inputs:`. */
  name: string;
  type: InputType;
  /** choice: the allowed values. */
  options?: readonly string[];
  /** Absent: the input has no default (secrets never have one). */
  default?: string | boolean | number;
  /** The GitLab component's default, when it differs (a job's `environment:` needs a name). */
  gitlabDefault?: string | boolean | number;
  required?: boolean;
  description: string;
  /** Masked on GitHub, redacted on GitLab, never given a default, never printed. */
  secret?: boolean;
  /** Absent: both surfaces. */
  surfaces?: readonly Surface[];
  /** Absent: the input is read by the action or the template itself, not passed to the CLI. */
  cli?: CliMapping;
}

export interface OutputSpec {
  name: string;
  description: string;
}

const TARGET: readonly Mode[] = ['run', 'deploy', 'promote', 'rollback', 'cleanup'];
const WITH_CONFIG: readonly Mode[] = ['run', 'deploy', 'analyze', 'promote', 'rollback', 'cleanup'];
const RELEASE: readonly Mode[] = ['run', 'deploy'];
const BUILD: readonly Mode[] = ['build'];
/** Build inputs: `build` takes them, and so do `run`/`deploy`, which build first when `builder` is set. */
const BUILDING: readonly Mode[] = ['build', 'run', 'deploy'];
const prefixed = (flag: string) => ({ run: flag, deploy: flag });

export const INPUTS: readonly InputSpec[] = [
  {
    name: 'mode',
    type: 'choice',
    options: MODES,
    default: 'run',
    description:
      'What to do: `run` (deploy a canary, judge it, promote or roll back), `build`, `deploy` (start a canary and leave it), `analyze`, `promote`, `rollback` or `cleanup` (act on the live canary).',
  },
  {
    name: 'config',
    type: 'string',
    default: '',
    description:
      'Path of the config file (YAML, `apiVersion: canary-action/v1`). Required by run, deploy and analyze.',
    cli: { flag: 'config', commands: WITH_CONFIG },
  },
  {
    name: 'kubeconfig',
    type: 'string',
    secret: true,
    description:
      'Kubeconfig: its content (written 0600 to a temporary file, removed afterwards) or a path. Empty: $KUBECONFIG, ~/.kube/config or in-cluster.',
    cli: { flag: 'kubeconfig', commands: TARGET },
  },
  {
    name: 'kube_context',
    type: 'string',
    default: '',
    description: "Kubeconfig context (default: the kubeconfig's current context).",
    cli: { flag: 'context', commands: TARGET },
  },
  {
    name: 'namespace',
    type: 'string',
    default: '',
    description: "Namespace of the workload (default: the config's `namespace`, else the context's).",
    cli: { flag: 'namespace', commands: WITH_CONFIG },
  },
  {
    name: 'workload',
    type: 'string',
    default: '',
    description: "The stable Deployment, `deployment/NAME` (default: the config's `workload`).",
    cli: { flag: 'workload', commands: WITH_CONFIG },
  },
  {
    name: 'manifests',
    type: 'string',
    default: '',
    description: 'Files or directories of multi-document YAML with the new Deployment, one per line.',
    cli: { flag: 'manifests', commands: RELEASE, perLine: true },
  },
  {
    name: 'image',
    type: 'string',
    default: '',
    description:
      'The new image (`registry/name:tag` or `name@sha256:…`), or the repository to build and push to.',
    cli: { flag: 'image', commands: ['build', 'run', 'deploy'] },
  },
  {
    name: 'digest',
    type: 'string',
    default: '',
    description: 'The digest a separate build step pushed, when `image` is a repository.',
    cli: { flag: 'digest', commands: RELEASE },
  },
  {
    name: 'builder',
    type: 'string',
    default: '',
    description:
      'Image builder: `buildah` (the default of `mode: build`), `docker` or `none` (use `image` as given, resolving its digest). With `mode: run` or `deploy`, setting it builds and pushes `image` first and deploys it by digest.',
    cli: { flag: 'builder', commands: BUILDING },
  },
  {
    name: 'context',
    type: 'string',
    default: '',
    description: 'Build context directory (default `.`).',
    cli: { flag: 'context', commands: BUILDING, flagFor: prefixed('build-context') },
  },
  {
    name: 'file',
    type: 'string',
    default: '',
    description: 'Containerfile (default: `Containerfile`, else `Dockerfile`, in the context).',
    cli: { flag: 'file', commands: BUILDING, flagFor: prefixed('build-file') },
  },
  {
    name: 'build_args',
    type: 'string',
    default: '',
    description: 'Build arguments, `KEY=VALUE`, one per line.',
    cli: { flag: 'build-arg', commands: BUILDING, perLine: true },
  },
  {
    name: 'target',
    type: 'string',
    default: '',
    description: 'Stage of a multi-stage Containerfile to build.',
    cli: { flag: 'target', commands: BUILDING, flagFor: prefixed('build-target') },
  },
  {
    name: 'platform',
    type: 'string',
    default: '',
    description: 'Target platform of the build, e.g. `linux/amd64`.',
    cli: { flag: 'platform', commands: BUILDING, flagFor: prefixed('build-platform') },
  },
  {
    name: 'labels',
    type: 'string',
    default: '',
    description: 'Extra image labels, `KEY=VALUE`, one per line (they win over the OCI labels).',
    cli: { flag: 'label', commands: BUILDING, perLine: true },
  },
  {
    name: 'tags',
    type: 'string',
    default: '',
    description:
      'Tag templates with `{{sha}}`, `{{short_sha}}`, `{{branch}}`, one per line (default: `{{sha}}` and `{{branch}}-{{short_sha}}`).',
    cli: { flag: 'tag', commands: BUILDING, perLine: true },
  },
  {
    name: 'push',
    type: 'boolean',
    default: true,
    description: 'Push the built image to the registry (false: build only).',
    cli: { flag: 'push', commands: BUILD, negation: 'no-push' },
  },
  {
    name: 'insecure_registry',
    type: 'boolean',
    default: false,
    description: 'Talk plain HTTP to the registry.',
    cli: { flag: 'insecure-registry', commands: BUILDING },
  },
  {
    name: 'registry_username',
    type: 'string',
    default: '',
    description: 'Registry login user.',
    cli: { flag: 'registry-username', commands: BUILDING },
  },
  {
    name: 'registry_password',
    type: 'string',
    secret: true,
    description: 'Registry password or token.',
    cli: { flag: 'registry-password', commands: BUILDING },
  },
  {
    name: 'rebuild',
    type: 'boolean',
    default: false,
    description: 'Build even when the registry already has an image for this revision.',
    cli: { flag: 'rebuild', commands: BUILDING },
  },
  {
    name: 'branch',
    type: 'string',
    default: '',
    description:
      'The branch, for the `{{branch}}` tag and the `ref.name` label (default: the CI branch, else `git branch --show-current`).',
    cli: { flag: 'branch', commands: BUILDING },
  },
  {
    name: 'revision',
    type: 'string',
    default: '',
    description: 'The commit (default: the CI commit, else `git rev-parse HEAD`).',
    cli: { flag: 'revision', commands: ['build', 'run', 'deploy'] },
  },
  {
    name: 'report',
    type: 'string',
    default: 'canary-report.json',
    description: 'Path where the JSON report is written (empty: none).',
    cli: { flag: 'report', commands: ['build', 'run', 'deploy', 'analyze'] },
  },
  {
    name: 'dry_run',
    type: 'boolean',
    default: false,
    description: 'Print the planned objects and changes; change nothing.',
    cli: { flag: 'dry-run', commands: RELEASE },
  },
  {
    name: 'hold',
    type: 'boolean',
    default: false,
    description: 'Leave a passing canary live (phase `held`) for a manual `promote`.',
    cli: { flag: 'hold', commands: ['run'] },
  },
  {
    name: 'aa',
    type: 'boolean',
    default: false,
    description:
      "A/A run: canary and baseline both run the stable's template and nothing is promoted, to measure false alarms on your cluster.",
    cli: { flag: 'aa', commands: ['run'] },
  },
  {
    name: 'notify_deadline',
    type: 'string',
    default: '',
    description:
      "How long one notification event may take over all the config's `notify:` targets, e.g. `10s` (default: the config's `notifyDeadline`, 15s). A notification never changes the outcome.",
    cli: { flag: 'notify-deadline', commands: ['run', 'deploy', 'promote', 'rollback', 'cleanup'] },
  },
  {
    name: 'environment',
    type: 'string',
    default: '',
    gitlabDefault: 'production',
    description:
      "Deployment environment. GitHub: with `github_token`, a Deployment with statuses is created for it; leave empty when the job sets `environment:` itself. GitLab: the job's `environment:` and `resource_group`.",
  },
  {
    name: 'environment_url',
    type: 'string',
    default: '',
    description:
      "URL where the environment's users reach the workload (the Service the canary serves behind). GitHub: the Deployment's environment URL; GitLab: the job's `environment:url`.",
  },
  {
    name: 'github_token',
    type: 'string',
    secret: true,
    surfaces: ['github'],
    description:
      "Token with `deployments: write`, used only to create the GitHub Deployment for `environment` (the workflow's `github.token` will do).",
  },
  {
    name: 'status',
    type: 'string',
    default: '${{ job.status }}',
    surfaces: ['github'],
    description:
      'Job status seen by the post step: on `failure` or `cancelled` it rolls back a canary this job left live. Leave the default.',
  },
  {
    name: 'stage',
    type: 'string',
    default: 'deploy',
    surfaces: ['gitlab'],
    description: 'Stage of the canary job.',
  },
  {
    name: 'node_image',
    type: 'string',
    default: 'node:24-bookworm-slim',
    surfaces: ['gitlab'],
    description: 'Container image the job runs in (needs Node.js 20 or 24).',
  },
  {
    name: 'package',
    type: 'string',
    // Exactly this release, from package.json (src/version.ts).
    default: PACKAGE_SPECIFIER,
    surfaces: ['gitlab'],
    description:
      "The npm package that provides the CLI, for `npx --yes --package <package> canary-action` (default: exactly this release); a private registry's copy, a tarball URL or path work too.",
  },
  {
    name: 'cli',
    type: 'string',
    default: '',
    surfaces: ['gitlab'],
    description:
      'Command that runs the CLI instead of npx, e.g. `canary-action` when the `node_image` has it installed (no npm registry needed).',
  },
];

export const OUTPUTS: readonly OutputSpec[] = [
  { name: 'verdict', description: 'The analysis verdict: `pass`, `fail` or `inconclusive`.' },
  {
    name: 'decided-at',
    description: 'analyze: when the judge reached its verdict (ISO 8601); empty when it never decided.',
  },
  {
    name: 'outcome',
    description:
      'How it ended. run/deploy: `promoted`, `rolled-back`, `held`, `deployed`, `planned` (dry run) or `failed`; promote: `promoted`; rollback/cleanup: `rolled-back`, `nothing` or `skipped`.',
  },
  {
    name: 'phase',
    description:
      "run/deploy: the phase the release ended in (the JSON report's `phase`): `promoted`, `rolled-back`, `held`, `deployed`, `planned` (dry run), or `deploying` when it failed before changing anything.",
  },
  {
    name: 'image',
    description: 'The image: the repository built (build), or the reference deployed (run, deploy, promote).',
  },
  { name: 'digest', description: 'The image digest, `sha256:…`, when known.' },
  { name: 'reference', description: 'build: the image pushed, by digest (`repository@sha256:…`).' },
  { name: 'tags', description: 'The tags pushed, one per line (GitLab dotenv: comma-separated).' },
  { name: 'canary', description: 'Name of the canary Deployment.' },
  { name: 'report', description: 'Path of the JSON report, when one was written.' },
];

/**
 * The inputs a surface declares. GitLab interpolates inputs into the pipeline configuration, where they
 * are neither masked nor protected, so secrets are never GitLab inputs: they come from protected CI/CD
 * variables (KUBECONFIG as a File variable, CANARY_REGISTRY_PASSWORD), see docs/gitlab.md.
 */
export const inputsFor = (surface: Surface) =>
  INPUTS.filter(
    (input) =>
      (!input.surfaces || input.surfaces.includes(surface)) && !(surface === 'gitlab' && input.secret),
  );

/** The flag an input becomes in one command (mode), `--` excluded. */
export const cliFlagFor = (cli: CliMapping, mode: Mode): string => cli.flagFor?.[mode] ?? cli.flag;

export function inputNamed(name: string): InputSpec {
  const input = INPUTS.find((candidate) => candidate.name === name);
  if (!input) throw new Error(`no input named ${name}`);
  return input;
}
