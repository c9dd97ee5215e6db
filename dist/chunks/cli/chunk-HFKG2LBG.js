import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  createAnalyseStep,
  createAnalysisDriver
} from "./chunk-UI5OMXH7.js";
import {
  releaseReport,
  setLeftover,
  writeReleaseReport
} from "./chunk-POJ4RZCJ.js";
import {
  buildReport,
  outcomeOf
} from "./chunk-Z4JORDZS.js";
import {
  parseKeyValues,
  runBuild
} from "./chunk-447IDTTB.js";
import {
  Annotation,
  Label,
  LeaseLostError,
  MANAGED_BY,
  REQUIRED_ACCESS,
  RollbackIncompleteError,
  baselineName,
  canaryName,
  checkOwnership,
  connect,
  createRouter,
  eventForRelease,
  isEmpty,
  kubeTarget,
  lockHolderFor,
  lockName,
  lockWaitMs,
  notifierForRelease,
  preflight,
  promote,
  releaseInputs,
  rollBack,
  stateOf,
  workloadName
} from "./chunk-TGCERFCC.js";
import {
  loadCommandConfig
} from "./chunk-36M6STH4.js";
import {
  repositoryOf,
  versionOf
} from "./chunk-32VIYDKM.js";
import {
  dump
} from "./chunk-K2APE3TQ.js";
import {
  BackendError,
  ConfigError,
  exitCodeOf
} from "./chunk-XNWF4ENP.js";

// src/pipeline/restarts.ts
function restartProbe(cluster, workload) {
  const restartsOf = async (name) => {
    const deployment = await cluster.get({ apiVersion: "apps/v1", kind: "Deployment", name });
    const matchLabels = deployment?.spec?.selector?.matchLabels;
    if (!matchLabels) return 0;
    const selector = Object.entries(matchLabels).map(([key, value]) => `${key}=${value}`).join(",");
    const pods = await cluster.list("v1", "Pod", selector);
    return pods.reduce((sum, pod) => sum + podRestarts(pod), 0);
  };
  return async () => {
    try {
      const [canary, baseline] = await Promise.all([
        restartsOf(canaryName(workload)),
        restartsOf(baselineName(workload))
      ]);
      return { canary, baseline };
    } catch {
      return void 0;
    }
  };
}
function podRestarts(pod) {
  const status = pod.status;
  return [...status?.containerStatuses ?? [], ...status?.initContainerStatuses ?? []].reduce(
    (sum, container) => sum + Math.max(0, container.restartCount ?? 0),
    0
  );
}

// src/pipeline/deploy.ts
function stepObjects(plan, routing) {
  return [...plan.clones, ...plan.baseline ? [plan.baseline] : [], plan.canary, ...routing];
}
async function deployStep(cluster, plan, routing, platform) {
  for (const object of stepObjects(plan, routing)) {
    await cluster.apply(object);
    platform.info(`applied ${object.kind} ${object.metadata.name}`);
  }
}
async function recordPhase(cluster, plan, phase, step) {
  for (const deployment of [plan.canary, plan.baseline]) {
    if (!deployment) continue;
    const annotations = deployment.metadata.annotations ?? {};
    annotations[Annotation.phase] = phase;
    if (step !== void 0) annotations[Annotation.step] = String(step);
    deployment.metadata.annotations = annotations;
    await cluster.apply(deployment);
  }
}

// src/pipeline/fencing.ts
function leftBehind({ request, firstPlan }, progress) {
  const { workload } = request;
  const left = [`Lease ${lockName(workload)}`];
  if (progress.changed) {
    left.push(`Deployment ${canaryName(workload)}`);
    if (firstPlan.baseline) left.push(`Deployment ${baselineName(workload)}`);
    left.push(...firstPlan.clones.map((clone2) => `${clone2.kind} ${clone2.metadata.name}`));
  }
  if (progress.phase === "promoting")
    left.push(`Deployment ${workload} (mid-promotion: it may run the new image)`);
  return left;
}
var finishCommand = ({ request, deps }) => `canary-action rollback --workload deployment/${request.workload} --namespace ${deps.cluster.namespace}`;
function advance(release, progress, change) {
  Object.assign(progress, change);
  setLeftover(
    `${leftBehind(release, progress).join(", ")} in namespace ${release.deps.cluster.namespace} (${finishCommand(release)} removes them)`
  );
}
function leaseLostError(release, progress, lost) {
  const cause = lost instanceof LeaseLostError ? lost : void 0;
  const why = cause?.message ?? `lease lost: ${String(lost?.message ?? lost)}`;
  const holder = cause?.heldBy ? `run ${JSON.stringify(cause.heldBy)} holds it now and owns the release` : `if no other run takes the Lease, "${finishCommand(release)}" removes them`;
  return new LeaseLostError(
    lockName(release.request.workload),
    cause?.heldBy,
    `${why}. This run stopped at once and changed nothing more; left as they were: ${leftBehind(release, progress).join(", ")}; ${holder}`
  );
}

// src/pipeline/keep-weight.ts
async function keepingWeight(deps, options, analyse, onReasserted) {
  if (!deps.router.weighted) return analyse(options.signal);
  const stop = new AbortController();
  const lost = new AbortController();
  let failure;
  const loop = (async () => {
    while (!stop.signal.aborted) {
      await new Promise((resolve) => {
        const wake = () => (clearTimeout(timer), resolve());
        const timer = setTimeout(
          () => (stop.signal.removeEventListener("abort", wake), resolve()),
          options.intervalMs
        );
        stop.signal.addEventListener("abort", wake, { once: true });
      });
      if (stop.signal.aborted) return;
      try {
        if (await deps.router.reassert()) onReasserted();
      } catch (error) {
        failure = new BackendError(`the step's weight could not be kept: ${error.message}`, {
          cause: error
        });
        lost.abort(failure);
        return;
      }
    }
  })();
  try {
    const result = await analyse(AbortSignal.any([options.signal, lost.signal])).catch((error) => {
      throw failure ?? error;
    });
    if (failure) throw failure;
    return result;
  } finally {
    stop.abort();
    await loop;
  }
}

// src/pipeline/release-outcome.ts
function afterStep(options) {
  const { verdict, reason } = options;
  const { outcome, exitCode } = outcomeOf(verdict, options.policy);
  if (outcome === "held")
    return { move: "hold", reason: `inconclusive, held by onInconclusive: hold \u2014 ${reason}` };
  if (exitCode !== 0) {
    const prefix = options.aa ? "A/A run (a fail here is a false alarm): " : "";
    return { move: "roll-back", exitCode, reason: `${prefix}${verdict}: ${reason}` };
  }
  return { move: "next" };
}
function afterSteps(options) {
  if (options.aa)
    return { move: "roll-back", exitCode: 0, reason: "A/A run passed: no false alarm; nothing was promoted" };
  if (options.hold) return { move: "hold", reason: "passed; held by --hold for a manual promote" };
  return {
    move: "promote",
    reason: `every step passed; deployment/${options.workload} runs ${options.image}`
  };
}

// src/pipeline/clones.ts
import { createHash } from "node:crypto";

// src/pipeline/pod-template.ts
var clone = (value) => structuredClone(value);
function allContainers(spec) {
  return [...spec.initContainers ?? [], ...spec.containers];
}
function withEnv(spec, env) {
  const out = clone(spec);
  for (const container of allContainers(out)) {
    const kept = (container.env ?? []).filter((e) => !(e.name in env));
    container.env = [...kept, ...Object.entries(env).map(([name, value]) => ({ name, value }))];
  }
  return out;
}
function selectorMatches(selector, labels) {
  const byLabels = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case "In":
        return value !== void 0 && values.includes(value);
      case "NotIn":
        return value === void 0 || !values.includes(value);
      case "Exists":
        return value !== void 0;
      case "DoesNotExist":
        return value === void 0;
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}
function formatSelector(selector) {
  const parts = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector?.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator} (${(e.values ?? []).join(",")})`
    )
  ];
  return parts.length > 0 ? parts.join(",") : "(everything)";
}
function configReferences(spec) {
  const found = /* @__PURE__ */ new Map();
  renameConfigReferences(spec, (kind, name) => {
    found.set(`${kind}/${name}`, { kind, name });
    return name;
  });
  return [...found.values()];
}
function renameConfigReferences(spec, rename) {
  const out = clone(spec);
  const at = (holder, key, kind) => {
    if (holder && typeof holder[key] === "string") holder[key] = rename(kind, holder[key]);
  };
  for (const volume of out.volumes ?? []) {
    at(volume.configMap, "name", "ConfigMap");
    at(volume.secret, "secretName", "Secret");
    const sources = volume.projected?.sources ?? [];
    for (const source of sources) {
      at(source.configMap, "name", "ConfigMap");
      at(source.secret, "name", "Secret");
    }
  }
  for (const container of allContainers(out)) {
    for (const env of container.env ?? []) {
      const from = env.valueFrom;
      at(from?.configMapKeyRef, "name", "ConfigMap");
      at(from?.secretKeyRef, "name", "Secret");
    }
    for (const source of container.envFrom ?? []) {
      at(source.configMapRef, "name", "ConfigMap");
      at(source.secretRef, "name", "Secret");
    }
  }
  return out;
}

// src/pipeline/clones.ts
function content(object) {
  const data = { ...object.data ?? {} };
  if (object.kind === "Secret") {
    for (const [key, value] of Object.entries(object.stringData ?? {})) {
      data[key] = Buffer.from(value, "utf8").toString("base64");
    }
  }
  return {
    data,
    binaryData: object.binaryData ?? {},
    ...object.kind === "Secret" ? { type: object.type ?? "Opaque" } : {}
  };
}
var stable = (value) => JSON.stringify(
  value,
  (_key, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v
);
function contentHash(object) {
  return createHash("sha256").update(stable(content(object))).digest("hex").slice(0, 10);
}
function planConfigClones(input) {
  const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const renames = /* @__PURE__ */ new Map();
  const clones = [];
  const changed = [];
  for (const { kind, name } of configReferences(input.spec)) {
    const wanted = find(input.manifests, kind, name);
    if (!wanted) continue;
    const live = find(input.live, kind, name);
    if (live && stable(content(live)) === stable(content(wanted))) continue;
    const cloneName = `${name}-canary-${contentHash(wanted)}`;
    renames.set(`${kind}/${name}`, cloneName);
    const body = Object.fromEntries(
      Object.entries(wanted).filter(([key]) => ["data", "stringData", "binaryData", "type"].includes(key))
    );
    changed.push({
      ...body,
      apiVersion: "v1",
      kind,
      metadata: {
        name,
        namespace: input.namespace,
        ...wanted.metadata.labels ? { labels: { ...wanted.metadata.labels } } : {},
        ...wanted.metadata.annotations ? { annotations: { ...wanted.metadata.annotations } } : {}
      }
    });
    clones.push({
      ...body,
      apiVersion: "v1",
      kind,
      metadata: {
        name: cloneName,
        namespace: input.namespace,
        labels: {
          ...wanted.metadata.labels,
          [Label.track]: "canary",
          [Label.workload]: input.workload,
          [Label.managedBy]: MANAGED_BY
        },
        annotations: { [Annotation.cloneOf]: name, [Annotation.runId]: input.runId }
      }
    });
  }
  const spec = renameConfigReferences(input.spec, (kind, name) => renames.get(`${kind}/${name}`) ?? name);
  return { clones, changed, spec };
}

// src/pipeline/plan.ts
var specOf = (deployment) => deployment.spec;
var KEPT_SPEC_FIELDS = ["minReadySeconds", "progressDeadlineSeconds", "strategy"];
function newDeployment(input) {
  const { workload } = input;
  const manifest = input.manifests.find((o) => o.kind === "Deployment" && o.metadata.name === workload);
  if (!manifest) throw new ConfigError("--manifests", `no Deployment named ${JSON.stringify(workload)}`);
  const stableSpec = specOf(input.stable);
  const newSpec = specOf(manifest);
  if (!newSpec?.template?.spec?.containers) {
    throw new ConfigError(`--manifests: Deployment ${workload}`, "has no spec.template.spec.containers");
  }
  if (JSON.stringify(sortedSelector(newSpec.selector)) !== JSON.stringify(sortedSelector(stableSpec.selector))) {
    throw new ConfigError(
      `--manifests: Deployment ${workload}`,
      `changes spec.selector (${formatSelector(newSpec.selector)}; live: ${formatSelector(stableSpec.selector)}), which Kubernetes does not allow`
    );
  }
  return { manifest, newSpec, stableSpec };
}
function runsReleaseImage(input, newSpec) {
  const repository = repositoryOf(input.image);
  const runsRelease = (image) => image !== void 0 && repository !== void 0 && repositoryOf(image) === repository;
  if (!allContainers(newSpec.template.spec).some((c) => runsRelease(c.image))) {
    const images = allContainers(newSpec.template.spec).map((c) => `${c.name}=${c.image ?? "(none)"}`);
    throw new ConfigError(
      "image",
      `no container of Deployment ${input.workload} in the manifests runs the repository of ${JSON.stringify(input.image)} (containers: ${images.join(", ")})`
    );
  }
  return runsRelease;
}
function planRelease(input) {
  const { workload, namespace, run } = input;
  const { manifest, newSpec, stableSpec } = newDeployment(input);
  const runsRelease = runsReleaseImage(input, newSpec);
  const promotedSpec = setImages(newSpec.template.spec, input.image, runsRelease);
  const stableImages = Object.fromEntries(
    allContainers(stableSpec.template.spec).map((c) => [c.name, c.image ?? ""])
  );
  const configs = planConfigClones({
    spec: promotedSpec,
    manifests: input.manifests,
    live: input.liveConfigs,
    workload,
    namespace,
    runId: run.runId
  });
  const annotations = {
    [Annotation.runId]: run.runId,
    [Annotation.revision]: run.revision,
    [Annotation.digest]: run.digest ?? "",
    [Annotation.image]: input.image,
    [Annotation.runUrl]: run.runUrl ?? "",
    [Annotation.stableImages]: JSON.stringify(stableImages),
    [Annotation.startedAt]: run.startedAt
  };
  const promotion = promotedDeployment(input, manifest, newSpec, promotedSpec);
  const canary = trackDeployment({
    track: "canary",
    name: canaryName(workload),
    source: manifest,
    podSpec: configs.spec,
    appVersion: run.revision,
    annotations: {
      ...annotations,
      ...input.routerAnnotations,
      [Annotation.promotion]: JSON.stringify(promotion)
    },
    input
  });
  const stableVersion = input.stable.metadata.annotations?.[Annotation.revision] ?? versionOf(allContainers(stableSpec.template.spec).find((c) => runsRelease(c.image))?.image ?? "");
  const baseline = input.baseline ? trackDeployment({
    track: "baseline",
    name: baselineName(workload),
    source: input.stable,
    podSpec: stableSpec.template.spec,
    appVersion: stableVersion,
    annotations,
    input
  }) : void 0;
  const selectorOverlap = selectorOverlapOf(workload, stableSpec, [canary, ...baseline ? [baseline] : []]);
  const changes = changesOf(input, {
    configs,
    canary,
    promotedSpec,
    stableSpec,
    ...baseline ? { baseline } : {}
  });
  return {
    canary,
    ...baseline ? { baseline } : {},
    clones: configs.clones,
    promotion: { configs: configs.changed, deployment: promotion },
    stableImages,
    ...selectorOverlap ? { selectorOverlap } : {},
    changes
  };
}
function changesOf(input, plan) {
  const { configs, canary, baseline, promotedSpec, stableSpec } = plan;
  const { workload } = input;
  return [
    ...configs.clones.map(
      (c) => `apply ${c.kind} ${c.metadata.name} (the manifests' ${c.metadata.annotations?.[Annotation.cloneOf]}, for the canary)`
    ),
    ...baseline ? [
      `apply Deployment ${baseline.metadata.name}: ${input.replicas} replica(s) of the stable's pod template (${describeImages(stableSpec.template.spec)})`
    ] : [],
    `apply Deployment ${canary.metadata.name}: ${input.replicas} replica(s) of the manifests' pod template (${describeImages(promotedSpec)})`,
    `on promotion: apply ${[...configs.changed.map((c) => `${c.kind} ${c.metadata.name}`), `Deployment ${workload}`].join(", ")} with ${describeImages(promotedSpec)}`
  ];
}
function promotedDeployment(input, manifest, newSpec, promotedSpec) {
  const { workload, namespace, run } = input;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: workload,
      namespace,
      ...manifest.metadata.labels ? { labels: { ...manifest.metadata.labels } } : {},
      annotations: {
        ...manifest.metadata.annotations,
        [Annotation.revision]: run.revision,
        [Annotation.digest]: run.digest ?? "",
        [Annotation.image]: input.image
      }
    },
    spec: { ...clone(newSpec), template: { ...clone(newSpec.template), spec: promotedSpec } }
  };
}
function selectorOverlapOf(workload, stableSpec, tracks) {
  const overlapping = tracks.filter(
    (d) => selectorMatches(stableSpec.selector, specOf(d).template.metadata?.labels ?? {})
  );
  if (overlapping.length === 0) return void 0;
  const names = overlapping.map((d) => d.metadata.name).join(" and ");
  return `the stable Deployment ${workload} selects ${formatSelector(stableSpec.selector)}, which also matches the pods of ${names}; that is fine (each Deployment keeps the ReplicaSets and pods it owns), but an HorizontalPodAutoscaler on ${workload} would average over those pods too (track: stable in the stable's selector avoids it, see docs/release.md, "Selectors")`;
}
function trackDeployment(options) {
  const { track, input } = options;
  const spec = specOf(options.source);
  const trackLabels = { [Label.track]: track };
  const relabel = input.podLabels ?? ((_t, labels) => ({ ...labels }));
  const podLabels = relabel(track, { ...spec.template.metadata?.labels, ...trackLabels });
  const selectorLabels = { ...spec.selector.matchLabels, ...trackLabels };
  const kept = Object.fromEntries(
    KEPT_SPEC_FIELDS.filter((k) => spec[k] !== void 0).map((k) => [k, clone(spec[k])])
  );
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: options.name,
      namespace: input.namespace,
      labels: {
        ...options.source.metadata.labels,
        ...trackLabels,
        [Label.workload]: input.workload,
        [Label.managedBy]: MANAGED_BY
      },
      annotations: { ...options.annotations, [Annotation.phase]: "deploying" }
    },
    spec: {
      ...kept,
      replicas: input.replicas,
      revisionHistoryLimit: 1,
      selector: {
        ...clone(spec.selector),
        matchLabels: Object.fromEntries(
          Object.entries(selectorLabels).map(([k, v]) => [k, podLabels[k] ?? v])
        )
      },
      template: {
        metadata: {
          labels: podLabels,
          ...spec.template.metadata?.annotations ? { annotations: { ...spec.template.metadata.annotations } } : {}
        },
        spec: withEnv(options.podSpec, { CANARY_TRACK: track, APP_VERSION: options.appVersion })
      }
    }
  };
}
function setImages(spec, image, runsRelease) {
  const out = clone(spec);
  for (const container of allContainers(out)) {
    if (runsRelease(container.image)) container.image = image;
  }
  return out;
}
function describeImages(spec) {
  return allContainers(spec).map((c) => `${c.name}=${c.image ?? "(none)"}`).join(", ");
}
function sortedSelector(selector) {
  const labels = Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [labels, selector?.matchExpressions ?? []];
}

// src/pipeline/secret-objects.ts
var REDACTED = "<redacted>";
var fieldsOf = (object) => ["data", "stringData"].map((field) => ({ field, values: object[field] }));
var isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
function secretValues(objects) {
  const found = [];
  for (const object of objects.filter((o) => o.kind === "Secret")) {
    for (const { field, values } of fieldsOf(object)) {
      if (!isRecord(values)) continue;
      for (const value of Object.values(values)) {
        if (typeof value !== "string" || value === "") continue;
        found.push(value);
        if (field === "data") found.push(Buffer.from(value, "base64").toString("utf8"));
      }
    }
  }
  return found;
}
function withSecretsRedacted(object) {
  if (object.kind !== "Secret") return object;
  const shown = { ...object };
  for (const { field, values } of fieldsOf(object)) {
    if (isRecord(values))
      shown[field] = Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED]));
  }
  return shown;
}

// src/pipeline/release-run.ts
async function prepareRelease(request, deps) {
  const { cluster, platform, router } = deps;
  const { config, workload } = request;
  const pre = await platform.group("Preflight", async () => {
    const found = await preflight({
      cluster,
      platform,
      workload,
      manifestPaths: request.manifestPaths,
      requiredAccess: [...deps.requiredAccess, ...router.access]
    });
    await router.prepare();
    if (!request.dryRun) await deps.checkAnalysis?.(deps.signal);
    return found;
  });
  secretValues([...pre.manifests, ...pre.liveConfigs]).forEach((value) => platform.addSecret(value));
  const stableReplicas = pre.stable.spec.replicas ?? 1;
  const aa = request.aa === true;
  const manifests = aa ? [asManifest(pre.stable)] : pre.manifests;
  const image = aa ? firstImage(pre.stable) : request.image;
  if (aa)
    platform.info(
      `A/A run: canary and baseline both run the stable template (${image}); nothing will be promoted`
    );
  const planFor = (weight) => planRelease({
    workload,
    namespace: cluster.namespace,
    stable: pre.stable,
    manifests,
    liveConfigs: pre.liveConfigs,
    image,
    run: request.run,
    replicas: router.route({ weight, stableReplicas }).replicas,
    baseline: config.traffic.baseline,
    podLabels: (track, labels) => router.podLabels(track, labels),
    routerAnnotations: router.annotations
  });
  const steps = request.deployOnly ? config.traffic.steps.slice(0, 1) : config.traffic.steps;
  const firstPlan = planFor(steps[0] ?? 100);
  if (firstPlan.selectorOverlap) platform.info(firstPlan.selectorOverlap);
  await checkOwnership(cluster, [
    firstPlan.canary,
    ...firstPlan.baseline ? [firstPlan.baseline] : [],
    ...firstPlan.clones
  ]);
  const notifier = notifierForRelease(config, platform, request.run, workload, cluster.namespace);
  return {
    request,
    deps,
    steps,
    pre,
    stableReplicas,
    image,
    firstPlan,
    planFor,
    results: [],
    reassertions: [],
    notifier
  };
}
function showPlan(release) {
  const { platform, router } = release.deps;
  const { steps, pre, firstPlan, stableReplicas } = release;
  const firstStep = steps[0] ?? 100;
  const live = pre.live.canary ? stateOf(pre.live.canary) : void 0;
  if (live)
    platform.info(
      `would first roll back or restart the live canary (revision ${live.revision}, phase ${live.phase})`
    );
  platform.info(`dry run \u2014 planned changes (step 1 of ${steps.length}, ${firstStep}%):`);
  firstPlan.changes.forEach((line) => platform.info(`  ${line}`));
  const objects = stepObjects(firstPlan, router.route({ weight: firstStep, stableReplicas }).objects);
  const shown = objects.map((o) => dump(withSecretsRedacted(o), { lineWidth: 120, noRefs: true }));
  platform.info(shown.join("---\n"));
}
async function finishRelease(release, end) {
  const { request, deps, image } = release;
  const { platform } = deps;
  const { run, workload } = request;
  const report = releaseReport({
    base: {
      canary: canaryName(workload),
      image,
      digest: run.digest ?? null,
      revision: run.revision,
      runId: run.runId
    },
    ...end,
    steps: release.results,
    ...release.lastAnalysis ? { lastAnalysis: release.lastAnalysis } : {},
    policy: request.config.analysis.onInconclusive
  });
  const decision = eventForRelease(report);
  if (decision) await release.notifier.send(decision, report);
  if (release.notifier.enabled) report.notifications = [...release.notifier.results];
  deps.onReport?.(report);
  try {
    if (request.reportFile) {
      await writeReleaseReport(platform, request.reportFile, report);
      platform.info(`report written to ${request.reportFile}`);
      platform.setOutput("report", request.reportFile);
    }
  } catch (error) {
    platform.warning(`could not write the report ${request.reportFile}: ${error.message}`);
  }
  try {
    platform.setOutput("outcome", end.outcome);
    platform.setOutput("phase", end.phase);
    platform.setOutput("canary", canaryName(workload));
    platform.setOutput("image", image);
    platform.setOutput("digest", run.digest ?? "");
    if (report.verdict) platform.setOutput("verdict", report.verdict);
  } catch (error) {
    platform.warning(`could not set the step outputs: ${error.message}`);
  }
  return { exitCode: end.exitCode, report };
}
function factsSoFar(release) {
  const { run, config } = release.request;
  const analysis = release.lastAnalysis ? buildReport(release.lastAnalysis, config.analysis.onInconclusive) : void 0;
  return {
    runId: run.runId,
    revision: run.revision,
    image: release.image,
    digest: run.digest ?? null,
    steps: release.results,
    ...analysis ? {
      verdict: analysis.verdict,
      reason: analysis.reason,
      metrics: analysis.metrics,
      decidedAt: analysis.decidedAt
    } : {}
  };
}
function asManifest(stable2) {
  const { name, namespace, labels, annotations } = stable2.metadata;
  return {
    apiVersion: stable2.apiVersion,
    kind: stable2.kind,
    metadata: {
      name,
      ...namespace ? { namespace } : {},
      ...labels ? { labels } : {},
      ...annotations ? { annotations } : {}
    },
    spec: stable2.spec
  };
}
function firstImage(stable2) {
  const containers = stable2.spec.template?.spec?.containers;
  const image = containers?.[0]?.image;
  if (!image)
    throw new ConfigError("workload", "the stable Deployment has no container image to run an A/A test with");
  return image;
}

// src/pipeline/wait-ready.ts
async function waitReady(cluster, names, options) {
  const last = /* @__PURE__ */ new Map();
  const onProgress = (progress) => {
    const line = `${progress.name}: ${progress.ready}/${progress.desired} ready \u2014 ${progress.message}`;
    if (last.get(progress.name) === line) return;
    last.set(progress.name, line);
    options.platform.info(line);
  };
  await Promise.all(
    names.map(
      (name) => cluster.waitForRollout(name, { timeoutMs: options.timeoutMs, signal: options.signal, onProgress })
    )
  );
  options.platform.info(`ready: ${names.join(", ")}`);
}

// src/pipeline/run-pipeline.ts
var LEASE_SECONDS = 60;
async function runPipeline(request, deps) {
  const release = await prepareRelease(request, deps);
  if (request.dryRun) {
    showPlan(release);
    const reason = "dry run: nothing was changed";
    return finishRelease(release, { phase: "planned", outcome: "planned", exitCode: 0, reason });
  }
  const lock = await acquireReleaseLock(release);
  const fenced = {
    ...release,
    deps: { ...deps, signal: AbortSignal.any([deps.signal, lock.lost]) }
  };
  const progress = { changed: false };
  advance(fenced, progress, {});
  try {
    await fenced.notifier.send("started", factsSoFar(fenced), { signal: fenced.deps.signal });
    await clearLiveCanary(fenced, progress);
    return await walkSteps(fenced, progress);
  } catch (error) {
    if (lock.lost.aborted) throw await leaseLost(fenced, progress, lock.lost.reason);
    const replaced = await failRelease(fenced, progress, error, lock);
    if (lock.lost.aborted) throw await leaseLost(fenced, progress, lock.lost.reason);
    throw replaced ?? error;
  } finally {
    await lock.release().catch((error) => deps.platform.warning(`could not release the lock: ${error.message}`));
    setLeftover(void 0);
  }
}
async function leaseLost(release, progress, lost) {
  const error = leaseLostError(release, progress, lost);
  await finishRelease(release, {
    phase: progress.phase ?? "deploying",
    outcome: "lease-lost",
    exitCode: error.exitCode,
    reason: error.message
  }).catch(() => void 0);
  return error;
}
function acquireReleaseLock({ request, deps }) {
  const { cluster, platform, signal } = deps;
  const name = lockName(request.workload);
  return cluster.acquireLock(name, request.lockHolder, {
    leaseSeconds: LEASE_SECONDS,
    waitMs: request.config.lockWaitMs,
    signal,
    onWait: (heldBy) => platform.info(`waiting for the lock ${name}, held by ${heldBy}`)
  });
}
async function clearLiveCanary(release, progress) {
  const { request, deps, pre } = release;
  if (isEmpty(pre.live)) return;
  advance(release, progress, { changed: true });
  const { cluster, platform } = deps;
  const { run, workload } = request;
  const live = pre.live.canary ? stateOf(pre.live.canary) : void 0;
  if (live?.phase === "promoting")
    throw new ConfigError(
      "workload",
      `the live canary of run ${live.runId} stopped while promoting deployment/${workload}: finish it with "canary-action promote" or undo it with "canary-action rollback" first`
    );
  if (live?.revision === run.revision) {
    platform.info(
      `restarting the live canary of the same revision ${run.revision} (run ${live.runId}, phase ${live.phase})`
    );
    return;
  }
  platform.info(
    `rolling back the live canary of ${live ? `revision ${live.revision} (run ${live.runId}, phase ${live.phase})` : "an earlier run"} first`
  );
  await rollBack(cluster, workload, { ...retriedRollback(release), onlyRun: void 0 });
}
function retriedRollback({ request, deps, firstPlan }) {
  const known = [firstPlan.canary, firstPlan.baseline, ...firstPlan.clones].filter((o) => o !== void 0).map((o) => `${o.kind} ${o.metadata.name}`);
  return {
    platform: deps.platform,
    router: deps.router,
    clock: deps.clock,
    deadlineMs: request.config.rollbackDeadlineMs,
    known,
    onlyRun: request.run.runId
  };
}
async function walkSteps(release, progress) {
  const { request, deps, steps } = release;
  let plan = release.firstPlan;
  for (const [index, weight] of steps.entries()) {
    plan = index === 0 ? release.firstPlan : release.planFor(weight);
    advance(release, progress, { changed: true, phase: "deploying" });
    await deployAndWait(release, plan, index, weight);
    if (request.deployOnly) {
      await recordPhase(deps.cluster, plan, "deployed", index);
      const reason = "canary and baseline are ready and left live";
      return await finishRelease(release, { phase: "deployed", outcome: "deployed", exitCode: 0, reason });
    }
    advance(release, progress, { phase: "analysing" });
    const next = await analyseStep(release, plan, index, weight);
    if (next.move !== "next") return await carryOut(release, next, plan, index, "Roll back", progress);
    await release.notifier.send("step", factsSoFar(release), { signal: deps.signal });
  }
  const aa = request.aa === true;
  const last = afterSteps({ aa, hold: request.hold, workload: request.workload, image: release.image });
  return await carryOut(release, last, plan, steps.length - 1, "Roll back (A/A run)", progress);
}
async function deployAndWait(release, plan, index, weight) {
  const { request, deps, steps, stableReplicas } = release;
  const { cluster, platform, router, signal } = deps;
  const routing = router.route({ weight, stableReplicas });
  await platform.group(
    `Deploy step ${index + 1}/${steps.length}: ${weight}% (${routing.replicas} replica(s) each)`,
    async () => {
      release.notifier.stamp(plan.canary);
      await deployStep(cluster, plan, routing.objects, platform);
      const names = [
        canaryName(request.workload),
        ...plan.baseline ? [baselineName(request.workload)] : []
      ];
      await waitReady(cluster, names, { timeoutMs: request.config.readyTimeoutMs, signal, platform });
      await router.setWeight(weight);
    }
  );
}
async function analyseStep(release, plan, index, weight) {
  const { request, deps, steps } = release;
  const { platform, signal } = deps;
  const policy = request.config.analysis.onInconclusive;
  await recordPhase(deps.cluster, plan, "analysing", index);
  const analysis = await platform.group(
    `Analysis step ${index + 1}/${steps.length}: ${weight}%`,
    () => keepingWeight(
      deps,
      { signal, intervalMs: request.config.analysis.intervalMs },
      (stepSignal) => deps.analyse({ index, weight, signal: stepSignal, history: release.lastAnalysis?.polls ?? [] }),
      () => release.reassertions[index] = (release.reassertions[index] ?? 0) + 1
    )
  );
  release.lastAnalysis = analysis;
  const { reason } = analysis.decision;
  const verdict = analysis.decision.verdict === "continue" ? "inconclusive" : analysis.decision.verdict;
  const reasserted = release.reassertions[index] ?? 0;
  release.results.push({
    weight,
    verdict,
    reason,
    ...deps.router.weighted ? { reassertions: reasserted } : {}
  });
  const { outcome, exitCode } = outcomeOf(verdict, policy);
  const say = verdict === "fail" ? platform.error : exitCode === 0 ? platform.info : platform.warning;
  say(`step ${index + 1} (${weight}%): ${verdict} (${outcome}) \u2014 ${reason}`);
  return afterStep({ verdict, reason, policy, aa: request.aa === true });
}
async function carryOut(release, next, plan, index, rollBackTitle, progress) {
  const { request, deps, pre } = release;
  const { cluster, platform, router, signal } = deps;
  const { workload } = request;
  switch (next.move) {
    case "hold":
      await recordPhase(cluster, plan, "held", index);
      platform.warning(
        `canary ${canaryName(workload)} is left live: run "canary-action promote" or "canary-action rollback" --workload deployment/${workload}`
      );
      return finishRelease(release, { phase: "held", outcome: "held", exitCode: 0, reason: next.reason });
    case "roll-back":
      await platform.group(rollBackTitle, () => rollBack(cluster, workload, retriedRollback(release)));
      return finishRelease(release, { phase: "rolled-back", outcome: "rolled-back", ...next });
    case "promote":
      advance(release, progress, { phase: "promoting" });
      await platform.group(
        "Promote",
        () => promote(cluster, plan.promotion, {
          workload,
          canary: plan.canary,
          stableBefore: pre.stable,
          configsBefore: pre.liveConfigs,
          timeoutMs: request.config.readyTimeoutMs,
          rollbackDeadlineMs: request.config.rollbackDeadlineMs,
          clock: deps.clock,
          signal,
          platform,
          router
        })
      );
      return finishRelease(release, {
        phase: "promoted",
        outcome: "promoted",
        exitCode: 0,
        reason: next.reason
      });
  }
}
async function failRelease(release, progress, error, lock) {
  const { cluster, platform, signal } = release.deps;
  const changed = progress.changed;
  const why = signal.aborted ? String(signal.reason?.message ?? "interrupted") : error.message;
  let incomplete = error instanceof RollbackIncompleteError ? error : void 0;
  if (changed && !incomplete) {
    platform.warning(`rolling back: ${why}`);
    advance(release, progress, { phase: "rolling-back" });
    await rollBack(cluster, release.request.workload, retriedRollback(release)).catch((failure) => {
      incomplete = failure instanceof RollbackIncompleteError ? failure : void 0;
      if (!incomplete) platform.error(`rollback failed: ${failure.message}`);
    });
  }
  if (incomplete) {
    const { left, reason } = await incompleteReason(release, incomplete, why, lock);
    platform.error(reason);
    const end = { phase: "rolling-back", outcome: "rollback-incomplete", exitCode: 4 };
    await finishRelease(release, { ...end, reason, left }).catch(() => void 0);
    return new BackendError(reason, { cause: incomplete });
  }
  if (lock.lost.aborted) return void 0;
  await finishRelease(release, {
    phase: changed ? "rolled-back" : "deploying",
    outcome: changed ? "rolled-back" : "failed",
    exitCode: signal.aborted ? 130 : exitCodeOf(error),
    reason: why
  }).catch(() => void 0);
  return void 0;
}
async function incompleteReason(release, incomplete, why, lock) {
  const { request, deps } = release;
  const { workload, run } = request;
  const leaseLeft = await lock.release().then(
    () => false,
    () => true
  );
  const left = [...incomplete.left, ...leaseLeft ? [`Lease ${lockName(workload)}`] : []];
  const target = `--namespace ${deps.cluster.namespace} --workload deployment/${workload}`;
  const canaryLeft = left.includes(`Deployment ${canaryName(workload)}`);
  const finish = incomplete.promoted && canaryLeft ? `canary-action promote ${target}` : `canary-action cleanup ${target} --run-id ${run.runId} --all`;
  const restoring = left.some((o) => o.startsWith(`Deployment ${workload} `));
  const stable2 = incomplete.promoted ? `deployment/${workload} runs ${release.image}` : restoring ? `deployment/${workload} may still run ${release.image} (the command below restores it)` : `deployment/${workload} is as it was before the run`;
  return {
    left,
    reason: `rollback incomplete (${why}): ${stable2}; left: ${left.join(", ")} \u2014 finish it with: ${finish}`
  };
}

// src/cli/release-build.ts
async function buildForRelease(build, revision, repository, env, platform, signal) {
  const { builder } = build;
  if (!builder) return void 0;
  if (!repository) {
    throw new ConfigError(
      "--image",
      "is required with --builder: the repository to push to, e.g. ghcr.io/org/web"
    );
  }
  const optional = (key, value) => value === void 0 ? {} : { [key]: value };
  const result = await platform.group(
    "Build",
    () => runBuild(
      {
        builder,
        image: repository,
        env,
        push: true,
        insecureRegistry: build.insecureRegistry ?? false,
        rebuild: build.rebuild ?? false,
        buildArgs: parseKeyValues(build.buildArgs, "--build-arg"),
        labels: parseKeyValues(build.labels, "--label"),
        tags: build.tags,
        ...optional("context", build.context),
        ...optional("file", build.file),
        ...optional("target", build.target),
        ...optional("platform", build.platform),
        ...optional("registryUsername", build.registryUsername),
        ...optional("registryPassword", build.registryPassword),
        ...optional("revision", revision),
        ...optional("branch", build.branch)
      },
      platform,
      signal
    )
  );
  if (!result.pushed || !result.reference.includes("@sha256:")) {
    throw new ConfigError(
      "--builder",
      `the image was not pushed, so there is no digest to deploy (${result.reference})`
    );
  }
  platform.setOutput("image", result.image);
  platform.setOutput("digest", result.digest);
  platform.setOutput("tags", result.tags.join("\n"));
  platform.info(
    `built ${result.reference}${result.skipped ? " (already in the registry for this revision)" : ""}`
  );
  return result.reference;
}

// src/cli/run.ts
async function loadReleaseConfig(context) {
  const path = context.settings.config;
  if (!path) throw new ConfigError("--config", "is required: the path of the config file");
  return loadCommandConfig(path, context);
}
async function startRelease(context, deployOnly) {
  const { settings, env, platform, clock, signal, publish } = context;
  const fileConfig = await loadReleaseConfig(context);
  if (settings.build.registryPassword) platform.addSecret(settings.build.registryPassword);
  const repository = settings.image ?? fileConfig.image;
  const built = await buildForRelease(settings.build, settings.revision, repository, env, platform, signal);
  const { digest: _given, ...rest } = settings;
  const release = built ? { ...rest, image: built } : settings;
  const workload = workloadName(
    settings.workload ?? fileConfig.workload,
    settings.workload ? "--workload" : "workload"
  );
  const inputs = releaseInputs(release, fileConfig, env, clock.now());
  if (!fileConfig.traffic.baseline && !fileConfig.analysis.tracks) {
    throw new ConfigError(
      "traffic.baseline",
      "false needs analysis.tracks: without a baseline, say which series are the control"
    );
  }
  const cluster = await connect(kubeTarget(release, fileConfig), {
    retry: { budgetMs: fileConfig.apiRetryBudgetMs }
  });
  const config = Object.freeze({
    ...fileConfig,
    namespace: cluster.namespace,
    workload,
    lockWaitMs: lockWaitMs(release, fileConfig),
    notifyDeadlineMs: settings.notifyDeadlineMs ?? fileConfig.notifyDeadlineMs
  });
  const router = createRouter(config.traffic.router, {
    cluster,
    platform,
    workload,
    traffic: config.traffic,
    acceptTimeoutMs: config.readyTimeoutMs
  });
  platform.info(
    `${deployOnly ? "deploy" : "run"}: deployment/${workload} in namespace ${cluster.namespace}, image ${inputs.image}, revision ${inputs.run.revision}, run ${inputs.run.runId}`
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
      ...settings.report ? { reportFile: settings.report } : {}
    },
    {
      cluster,
      platform,
      clock,
      signal,
      requiredAccess: REQUIRED_ACCESS,
      router,
      analyse: createAnalyseStep(config, platform, driver),
      ...deployOnly ? {} : { checkAnalysis: driver.check },
      onReport: publish
    }
  );
  return exitCode;
}
var execute = (context) => startRelease(context, false);

export {
  loadReleaseConfig,
  startRelease,
  execute
};
