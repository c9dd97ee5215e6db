import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  ConfigError,
  parseDuration
} from "./chunk-4WLXK7BF.js";

// src/cli/command.ts
import { parseArgs } from "node:util";
function parseFlags(argv, options) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError("arguments", error.message);
  }
}

// src/cli/settings.ts
var text = (value) => typeof value === "string" ? value : void 0;
var flag = (value) => typeof value === "boolean" ? value : void 0;
var list = (value) => Array.isArray(value) ? value : [];
function defined(settings) {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== void 0));
}
function buildSettings(values, isBuild) {
  const named = (name) => values[isBuild ? name : `build-${name}`];
  return defined({
    builder: text(values.builder),
    context: text(named("context")),
    file: text(named("file")),
    target: text(named("target")),
    platform: text(named("platform")),
    buildArgs: list(values["build-arg"]),
    labels: list(values.label),
    tags: list(values.tag),
    push: flag(values.push),
    noPush: flag(values["no-push"]),
    insecureRegistry: flag(values["insecure-registry"]),
    registryUsername: text(values["registry-username"]),
    registryPassword: text(values["registry-password"]),
    branch: text(values.branch),
    rebuild: flag(values.rebuild),
    cache: text(values.cache),
    storageDriver: text(values["storage-driver"]),
    isolation: text(values.isolation)
  });
}
var RUN_ID = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
function runIdFrom(value) {
  const runId = text(value);
  if (runId === void 0 || RUN_ID.test(runId)) return runId;
  const shown = runId.length > 80 ? `${JSON.stringify(runId.slice(0, 80))}\u2026 (${runId.length} characters)` : JSON.stringify(runId);
  throw new ConfigError(
    "--run-id",
    `expected 1 to 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, got ${shown}`
  );
}
function manifestsFrom(name, values, positionals) {
  if ((name === "build" || name === "analyze") && positionals.length > 0)
    throw new ConfigError("arguments", `unexpected argument ${JSON.stringify(positionals[0])}`);
  const given = list(values.manifests);
  return name === "run" || name === "deploy" ? [...given, ...positionals] : given;
}
function settingsFromFlags(name, values, positionals = []) {
  const lockWait = text(values["lock-wait"]);
  const notifyDeadline = text(values["notify-deadline"]);
  return defined({
    config: text(values.config),
    kubeconfig: text(values.kubeconfig),
    kubeContext: name === "build" ? void 0 : text(values.context),
    namespace: text(values.namespace),
    workload: text(values.workload),
    lockWaitMs: lockWait === void 0 ? void 0 : parseDuration(lockWait, "--lock-wait"),
    manifests: manifestsFrom(name, values, positionals),
    image: text(values.image),
    digest: text(values.digest),
    revision: text(values.revision),
    report: text(values.report),
    dryRun: flag(values["dry-run"]),
    hold: flag(values.hold),
    aa: flag(values.aa),
    runId: runIdFrom(values["run-id"]),
    all: flag(values.all),
    notifyDeadlineMs: notifyDeadline === void 0 ? void 0 : parseDuration(notifyDeadline, "--notify-deadline"),
    reason: text(values.reason),
    build: buildSettings(values, name === "build")
  });
}

// src/image/builder.ts
var BUILDER_NAMES = ["docker", "buildah", "none"];

// src/cli/flags.ts
var TARGET_OPTIONS = {
  config: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string" },
  workload: { type: "string" },
  "lock-wait": { type: "string" }
};
var TARGET_USAGE = `  --config FILE         Config file (YAML, apiVersion canary-action/v1).
  --kubeconfig FILE     Kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster).
  --context NAME        Kubeconfig context (default: its current context).
  --namespace NAME      Namespace (default: the config's, else the context's).
  --workload deployment/NAME   The stable Deployment (or the config key workload).
  --lock-wait DURATION  How long to wait for another run's lock (default: lockWait, 5m).`;
var NOTIFY_OPTIONS = { "notify-deadline": { type: "string" } };
var NOTIFY_USAGE = `  --notify-deadline DURATION  How long one notification event may take (default: notifyDeadline, 15s).`;
var MANAGE_OPTIONS = { ...TARGET_OPTIONS, ...NOTIFY_OPTIONS };
var MANAGE_USAGE = `${TARGET_USAGE}
${NOTIFY_USAGE}`;
var CLEANUP_OPTIONS = {
  ...MANAGE_OPTIONS,
  "run-id": { type: "string" },
  all: { type: "boolean" },
  reason: { type: "string" }
};
var CLEANUP_USAGE = `${MANAGE_USAGE}
  --run-id ID           Only clean up the canary of this run.
  --all                 Also remove a canary held or deployed on purpose.
  --reason TEXT         Why, for the rolled-back notification (default: "cleaned up", e.g. "job cancelled").`;
var RELEASE_BUILD_OPTIONS = {
  builder: { type: "string" },
  "build-context": { type: "string" },
  "build-file": { type: "string" },
  "build-arg": { type: "string", multiple: true },
  "build-target": { type: "string" },
  "build-platform": { type: "string" },
  label: { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  "insecure-registry": { type: "boolean" },
  "registry-username": { type: "string" },
  "registry-password": { type: "string" },
  branch: { type: "string" },
  rebuild: { type: "boolean" }
};
var RELEASE_BUILD_USAGE = `  --builder NAME        Build and push the image first (buildah | docker | none) and deploy it by digest;
                        --image is then the repository. See \`canary-action build --help\`.
  --build-context DIR   Build context (default .).       --build-file FILE   Containerfile.
  --build-arg K=V       Build argument (repeatable).     --build-target STAGE, --build-platform OS/ARCH
  --label K=V, --tag TEMPLATE, --insecure-registry, --registry-username USER, --registry-password PASS,
  --branch NAME, --rebuild   As for \`canary-action build\`.`;
var RELEASE_OPTIONS = {
  ...MANAGE_OPTIONS,
  ...RELEASE_BUILD_OPTIONS,
  manifests: { type: "string", multiple: true },
  image: { type: "string" },
  digest: { type: "string" },
  revision: { type: "string" },
  report: { type: "string" },
  "dry-run": { type: "boolean" },
  hold: { type: "boolean" },
  "run-id": { type: "string" },
  aa: { type: "boolean" }
};
var RELEASE_USAGE = `${MANAGE_USAGE}
  --manifests PATH...   Files or directories of multi-document YAML with the new Deployment.
  --image REF           The new image: registry/name:tag, name@sha256:\u2026, or a repository with --digest.
  --digest sha256:\u2026     The digest a build step pushed (when --image is a repository).
  --revision SHA        The commit (default: GITHUB_SHA, CI_COMMIT_SHA, else git rev-parse HEAD).
  --report FILE         Write the JSON report here.
  --dry-run             Print the planned objects and changes; change nothing.
  --run-id ID           Identify the run (default: from the CI, else generated).
  --aa                  A/A run: canary and baseline both run the stable's template, nothing is promoted
                        (measures false alarms on your cluster; also analysis.aa: true).
${RELEASE_BUILD_USAGE}`;
var ANALYZE_OPTIONS = {
  config: { type: "string" },
  report: { type: "string" },
  namespace: { type: "string" },
  workload: { type: "string" }
};
var ANALYZE_USAGE = `  --config FILE      Config file (YAML, apiVersion canary-action/v1). Required.
  --report FILE      Write the JSON report here.
  --namespace NAME   Namespace of the workload (overrides the config's namespace).
  --workload NAME    Workload, deployment/NAME or NAME (overrides the config's workload).`;
var BUILD_OPTIONS = {
  builder: { type: "string" },
  image: { type: "string" },
  context: { type: "string" },
  file: { type: "string" },
  "build-arg": { type: "string", multiple: true },
  target: { type: "string" },
  platform: { type: "string" },
  label: { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  "insecure-registry": { type: "boolean" },
  push: { type: "boolean" },
  "no-push": { type: "boolean" },
  "registry-username": { type: "string" },
  "registry-password": { type: "string" },
  revision: { type: "string" },
  branch: { type: "string" },
  rebuild: { type: "boolean" },
  report: { type: "string" },
  cache: { type: "string" },
  "storage-driver": { type: "string" },
  isolation: { type: "string" }
};
var BUILD_USAGE = `  --builder NAME            ${BUILDER_NAMES.join(" | ")} (default buildah).
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

export {
  parseFlags,
  settingsFromFlags,
  TARGET_OPTIONS,
  TARGET_USAGE,
  MANAGE_OPTIONS,
  MANAGE_USAGE,
  CLEANUP_OPTIONS,
  CLEANUP_USAGE,
  RELEASE_OPTIONS,
  RELEASE_USAGE,
  ANALYZE_OPTIONS,
  ANALYZE_USAGE,
  BUILD_OPTIONS,
  BUILD_USAGE
};
