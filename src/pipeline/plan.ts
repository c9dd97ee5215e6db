import type { KubeObject } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';
import { planConfigClones } from './clones.ts';
import { repositoryOf, versionOf } from '../image/reference.ts';
import { Annotation, baselineName, canaryName, Label, MANAGED_BY, type Track } from './names.ts';
import {
  allContainers,
  clone,
  formatSelector,
  selectorMatches,
  withEnv,
  type LabelSelector,
  type PodSpec,
  type PodTemplate,
} from './pod-template.ts';

export interface RunInfo {
  runId: string;
  revision: string;
  /** `sha256:…` when known (a digest reference or a build step). */
  digest?: string;
  runUrl?: string;
  /** ISO 8601. */
  startedAt: string;
}

export interface PlanInput {
  workload: string;
  namespace: string;
  /** The live stable Deployment. */
  stable: KubeObject;
  /** Every object in the manifests. */
  manifests: readonly KubeObject[];
  /** Live ConfigMaps/Secrets named like those in the manifests (absent ones omitted). */
  liveConfigs: readonly KubeObject[];
  /** The new image reference, with a tag or digest. */
  image: string;
  run: RunInfo;
  /** Replicas of the canary and of the baseline at this step (from the traffic router). */
  replicas: number;
  /** Whether to deploy a baseline. */
  baseline: boolean;
  /** The pod labels of a track (the traffic router's); default: the template's labels and `track`. */
  podLabels?: (track: Track, labels: Readonly<Record<string, string>>) => Record<string, string>;
  /** Recorded on the canary (the traffic router's route), for commands run from another job. */
  routerAnnotations?: Readonly<Record<string, string>>;
}

export interface ReleasePlan {
  canary: KubeObject;
  baseline?: KubeObject;
  /** ConfigMaps/Secrets cloned for the canary. */
  clones: KubeObject[];
  /** What promotion applies: the changed ConfigMaps/Secrets under their own names, then the Deployment. */
  promotion: { configs: KubeObject[]; deployment: KubeObject };
  /** The stable's container images before the run, by container name. */
  stableImages: Record<string, string>;
  /** Set when the stable's selector also matches the canary's or baseline's pods (information only). */
  selectorOverlap?: string;
  /** One line per change, for --dry-run and the log. */
  changes: string[];
}

interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplate;
  [key: string]: unknown;
}

const specOf = (deployment: KubeObject) => deployment.spec as DeploymentSpec;
const KEPT_SPEC_FIELDS = ['minReadySeconds', 'progressDeadlineSeconds', 'strategy'] as const;

/** The new Deployment in the manifests, checked against the live stable. */
function newDeployment(input: PlanInput) {
  const { workload } = input;
  const manifest = input.manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === workload);
  if (!manifest) throw new ConfigError('--manifests', `no Deployment named ${JSON.stringify(workload)}`);
  const stableSpec = specOf(input.stable);
  const newSpec = specOf(manifest);
  if (!newSpec?.template?.spec?.containers) {
    throw new ConfigError(`--manifests: Deployment ${workload}`, 'has no spec.template.spec.containers');
  }
  if (
    JSON.stringify(sortedSelector(newSpec.selector)) !== JSON.stringify(sortedSelector(stableSpec.selector))
  ) {
    throw new ConfigError(
      `--manifests: Deployment ${workload}`,
      `changes spec.selector (${formatSelector(newSpec.selector)}; live: ${formatSelector(stableSpec.selector)}), which Kubernetes does not allow`,
    );
  }
  return { manifest, newSpec, stableSpec };
}

/**
 * Whether a container runs the release's image (the same repository). The image is parsed once; a manifest
 * with no such container is a ConfigError listing its containers.
 */
function runsReleaseImage(input: PlanInput, newSpec: DeploymentSpec): (image?: string) => boolean {
  const repository = repositoryOf(input.image);
  const runsRelease = (image?: string) =>
    image !== undefined && repository !== undefined && repositoryOf(image) === repository;
  if (!allContainers(newSpec.template.spec).some((c) => runsRelease(c.image))) {
    const images = allContainers(newSpec.template.spec).map((c) => `${c.name}=${c.image ?? '(none)'}`);
    throw new ConfigError(
      'image',
      `no container of Deployment ${input.workload} in the manifests runs the repository of ${JSON.stringify(input.image)} (containers: ${images.join(', ')})`,
    );
  }
  return runsRelease;
}

/** Creates the canary and baseline Deployments (and config clones) for one step. Pure: no I/O. */
export function planRelease(input: PlanInput): ReleasePlan {
  const { workload, namespace, run } = input;
  const { manifest, newSpec, stableSpec } = newDeployment(input);
  const runsRelease = runsReleaseImage(input, newSpec);
  const promotedSpec = setImages(newSpec.template.spec, input.image, runsRelease);
  const stableImages = Object.fromEntries(
    allContainers(stableSpec.template.spec).map((c) => [c.name, c.image ?? '']),
  );
  const configs = planConfigClones({
    spec: promotedSpec,
    manifests: input.manifests,
    live: input.liveConfigs,
    workload,
    namespace,
    runId: run.runId,
  });
  const annotations: Record<string, string> = {
    [Annotation.runId]: run.runId,
    [Annotation.revision]: run.revision,
    [Annotation.digest]: run.digest ?? '',
    [Annotation.image]: input.image,
    [Annotation.runUrl]: run.runUrl ?? '',
    [Annotation.stableImages]: JSON.stringify(stableImages),
    [Annotation.startedAt]: run.startedAt,
  };
  const promotion = promotedDeployment(input, manifest, newSpec, promotedSpec);
  const canary = trackDeployment({
    track: 'canary',
    name: canaryName(workload),
    source: manifest,
    podSpec: configs.spec,
    appVersion: run.revision,
    annotations: {
      ...annotations,
      ...input.routerAnnotations,
      [Annotation.promotion]: JSON.stringify(promotion),
    },
    input,
  });
  const stableVersion =
    input.stable.metadata.annotations?.[Annotation.revision] ??
    versionOf(allContainers(stableSpec.template.spec).find((c) => runsRelease(c.image))?.image ?? '');
  const baseline = input.baseline
    ? trackDeployment({
        track: 'baseline',
        name: baselineName(workload),
        source: input.stable,
        podSpec: stableSpec.template.spec,
        appVersion: stableVersion,
        annotations,
        input,
      })
    : undefined;
  const selectorOverlap = selectorOverlapOf(workload, stableSpec, [canary, ...(baseline ? [baseline] : [])]);
  const changes = changesOf(input, {
    configs,
    canary,
    promotedSpec,
    stableSpec,
    ...(baseline ? { baseline } : {}),
  });
  return {
    canary,
    ...(baseline ? { baseline } : {}),
    clones: configs.clones,
    promotion: { configs: configs.changed, deployment: promotion },
    stableImages,
    ...(selectorOverlap ? { selectorOverlap } : {}),
    changes,
  };
}

/** One line per change, for --dry-run and the log. */
function changesOf(
  input: PlanInput,
  plan: {
    configs: { clones: KubeObject[]; changed: KubeObject[] };
    canary: KubeObject;
    baseline?: KubeObject;
    promotedSpec: PodSpec;
    stableSpec: DeploymentSpec;
  },
): string[] {
  const { configs, canary, baseline, promotedSpec, stableSpec } = plan;
  const { workload } = input;
  return [
    ...configs.clones.map(
      (c) =>
        `apply ${c.kind} ${c.metadata.name} (the manifests' ${c.metadata.annotations?.[Annotation.cloneOf]}, for the canary)`,
    ),
    ...(baseline
      ? [
          `apply Deployment ${baseline.metadata.name}: ${input.replicas} replica(s) of the stable's pod template (${describeImages(stableSpec.template.spec)})`,
        ]
      : []),
    `apply Deployment ${canary.metadata.name}: ${input.replicas} replica(s) of the manifests' pod template (${describeImages(promotedSpec)})`,
    `on promotion: apply ${[...configs.changed.map((c) => `${c.kind} ${c.metadata.name}`), `Deployment ${workload}`].join(', ')} with ${describeImages(promotedSpec)}`,
  ];
}

/** The Deployment promotion applies: the manifests' one with the release's images, under the stable's name. */
function promotedDeployment(
  input: PlanInput,
  manifest: KubeObject,
  newSpec: DeploymentSpec,
  promotedSpec: PodSpec,
): KubeObject {
  const { workload, namespace, run } = input;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: workload,
      namespace,
      ...(manifest.metadata.labels ? { labels: { ...manifest.metadata.labels } } : {}),
      annotations: {
        ...manifest.metadata.annotations,
        [Annotation.revision]: run.revision,
        [Annotation.digest]: run.digest ?? '',
        [Annotation.image]: input.image,
      },
    },
    spec: { ...clone(newSpec), template: { ...clone(newSpec.template), spec: promotedSpec } },
  };
}

/**
 * Said once, as information, when the stable's selector also matches the canary's or baseline's pods:
 * controllers claim pods and ReplicaSets by their controller ownerReference, so the Deployments do not
 * fight; only an HPA on the stable averages over those pods too.
 */
function selectorOverlapOf(
  workload: string,
  stableSpec: DeploymentSpec,
  tracks: readonly KubeObject[],
): string | undefined {
  const overlapping = tracks.filter((d) =>
    selectorMatches(stableSpec.selector, specOf(d).template.metadata?.labels ?? {}),
  );
  if (overlapping.length === 0) return undefined;
  const names = overlapping.map((d) => d.metadata.name).join(' and ');
  return `the stable Deployment ${workload} selects ${formatSelector(stableSpec.selector)}, which also matches the pods of ${names}; that is fine (each Deployment keeps the ReplicaSets and pods it owns), but an HorizontalPodAutoscaler on ${workload} would average over those pods too (track: stable in the stable's selector avoids it, see docs/release.md, "Selectors")`;
}

function trackDeployment(options: {
  track: Track;
  name: string;
  source: KubeObject;
  podSpec: PodSpec;
  appVersion: string;
  annotations: Record<string, string>;
  input: PlanInput;
}): KubeObject {
  const { track, input } = options;
  const spec = specOf(options.source);
  const trackLabels = { [Label.track]: track };
  const relabel =
    input.podLabels ?? ((_t: Track, labels: Readonly<Record<string, string>>) => ({ ...labels }));
  const podLabels = relabel(track, { ...spec.template.metadata?.labels, ...trackLabels });
  const selectorLabels = { ...spec.selector.matchLabels, ...trackLabels };
  const kept = Object.fromEntries(
    KEPT_SPEC_FIELDS.filter((k) => spec[k] !== undefined).map((k) => [k, clone(spec[k])]),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.name,
      namespace: input.namespace,
      labels: {
        ...options.source.metadata.labels,
        ...trackLabels,
        [Label.workload]: input.workload,
        [Label.managedBy]: MANAGED_BY,
      },
      annotations: { ...options.annotations, [Annotation.phase]: 'deploying' },
    },
    spec: {
      ...kept,
      replicas: input.replicas,
      revisionHistoryLimit: 1,
      selector: {
        ...clone(spec.selector),
        matchLabels: Object.fromEntries(
          Object.entries(selectorLabels).map(([k, v]) => [k, podLabels[k] ?? v]),
        ),
      },
      template: {
        metadata: {
          labels: podLabels,
          ...(spec.template.metadata?.annotations
            ? { annotations: { ...spec.template.metadata.annotations } }
            : {}),
        },
        spec: withEnv(options.podSpec, { CANARY_TRACK: track, APP_VERSION: options.appVersion }),
      },
    },
  };
}

function setImages(spec: PodSpec, image: string, runsRelease: (image?: string) => boolean): PodSpec {
  const out = clone(spec);
  for (const container of allContainers(out)) {
    if (runsRelease(container.image)) container.image = image;
  }
  return out;
}

function describeImages(spec: PodSpec): string {
  return allContainers(spec)
    .map((c) => `${c.name}=${c.image ?? '(none)'}`)
    .join(', ');
}

function sortedSelector(selector: LabelSelector | undefined): unknown {
  const labels = Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [labels, selector?.matchExpressions ?? []];
}
