/**
 * Every command's flags (parseArgs options: what the drift check of the inputs table reads) and help
 * text. Plain data, so `--help` and the drift check load nothing a command needs to run.
 */
import { BUILDER_NAMES } from '../image/builder.ts';

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

/** Commands that send notifications (the config's notify:). */
export const NOTIFY_OPTIONS = { 'notify-deadline': { type: 'string' } } as const;

const NOTIFY_USAGE = `  --notify-deadline DURATION  How long one notification event may take (default: notifyDeadline, 15s).`;

/** promote and rollback: the target, and the notifications they send. */
export const MANAGE_OPTIONS = { ...TARGET_OPTIONS, ...NOTIFY_OPTIONS } as const;

export const MANAGE_USAGE = `${TARGET_USAGE}
${NOTIFY_USAGE}`;

export const CLEANUP_OPTIONS = {
  ...MANAGE_OPTIONS,
  'run-id': { type: 'string' },
  all: { type: 'boolean' },
  reason: { type: 'string' },
} as const;

export const CLEANUP_USAGE = `${MANAGE_USAGE}
  --run-id ID           Only clean up the canary of this run.
  --all                 Also remove a canary held or deployed on purpose.
  --reason TEXT         Why, for the rolled-back notification (default: "cleaned up", e.g. "job cancelled").`;

/**
 * Build flags of `run` and `deploy`: with `--builder`, the image is built and pushed first and the
 * canary runs `repository@sha256:…`. Named `--build-*` where `build`'s own names (`--context`,
 * `--file`, `--target`, `--platform`) would clash with the release's flags.
 */
export const RELEASE_BUILD_OPTIONS = {
  builder: { type: 'string' },
  'build-context': { type: 'string' },
  'build-file': { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  'build-target': { type: 'string' },
  'build-platform': { type: 'string' },
  label: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  'insecure-registry': { type: 'boolean' },
  'registry-username': { type: 'string' },
  'registry-password': { type: 'string' },
  branch: { type: 'string' },
  rebuild: { type: 'boolean' },
} as const;

const RELEASE_BUILD_USAGE = `  --builder NAME        Build and push the image first (buildah | docker | none) and deploy it by digest;
                        --image is then the repository. See \`canary-action build --help\`.
  --build-context DIR   Build context (default .).       --build-file FILE   Containerfile.
  --build-arg K=V       Build argument (repeatable).     --build-target STAGE, --build-platform OS/ARCH
  --label K=V, --tag TEMPLATE, --insecure-registry, --registry-username USER, --registry-password PASS,
  --branch NAME, --rebuild   As for \`canary-action build\`.`;

export const RELEASE_OPTIONS = {
  ...MANAGE_OPTIONS,
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

export const RELEASE_USAGE = `${MANAGE_USAGE}
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

export const ANALYZE_OPTIONS = {
  config: { type: 'string' },
  report: { type: 'string' },
  namespace: { type: 'string' },
  workload: { type: 'string' },
} as const;

export const ANALYZE_USAGE = `  --config FILE      Config file (YAML, apiVersion canary-action/v1). Required.
  --report FILE      Write the JSON report here.
  --namespace NAME   Namespace of the workload (overrides the config's namespace).
  --workload NAME    Workload, deployment/NAME or NAME (overrides the config's workload).`;

export const BUILD_OPTIONS = {
  builder: { type: 'string' },
  image: { type: 'string' },
  context: { type: 'string' },
  file: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  target: { type: 'string' },
  platform: { type: 'string' },
  label: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  'insecure-registry': { type: 'boolean' },
  push: { type: 'boolean' },
  'no-push': { type: 'boolean' },
  'registry-username': { type: 'string' },
  'registry-password': { type: 'string' },
  revision: { type: 'string' },
  branch: { type: 'string' },
  rebuild: { type: 'boolean' },
  report: { type: 'string' },
  cache: { type: 'string' },
  'storage-driver': { type: 'string' },
  isolation: { type: 'string' },
} as const;

export const BUILD_USAGE = `  --builder NAME            ${BUILDER_NAMES.join(' | ')} (default buildah).
  --image REPOSITORY        Repository to push to, e.g. ghcr.io/org/app (for none: the image to deploy). Required.
  --context DIR             Build context (default .).
  --file FILE               Containerfile (default Containerfile, else Dockerfile, in the context).
  --build-arg K=V           Build argument (repeatable).
  --target STAGE            Build this stage of a multi-stage Containerfile.
  --platform OS/ARCH        Target platform, e.g. linux/amd64.
  --label K=V               Extra image label (repeatable); wins over the OCI labels.
  --tag TEMPLATE            Tag template with {{sha}}, {{short_sha}}, {{branch}} (repeatable;
                            default {{sha}} and {{branch}}-{{short_sha}}).
  --push / --no-push        Push to the registry (default) or only build locally.
  --insecure-registry       Talk plain http to the registry.
  --registry-username USER  Registry login (or CANARY_REGISTRY_USERNAME).
  --registry-password PASS  Registry password or token (better: CANARY_REGISTRY_PASSWORD).
  --revision SHA            Commit (default: GITHUB_SHA, CI_COMMIT_SHA, else git rev-parse HEAD).
  --branch NAME             Branch (default: GITHUB_HEAD_REF/GITHUB_REF_NAME, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME/
                            CI_COMMIT_REF_NAME, else git branch --show-current).
  --rebuild                 Build even when the registry already has an image for this revision.
  --report FILE             Write {image, digest, tags, reference, skipped, pushed} as JSON here.
  --cache MODE              docker: auto | gha | registry | none (default auto: gha on GitHub).
  --storage-driver NAME     buildah: storage driver (default vfs).
  --isolation MODE          buildah: isolation (default chroot).`;
