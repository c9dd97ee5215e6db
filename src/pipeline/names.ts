/** The names, labels and annotations the release engine writes (documented in docs/release.md). */
export const ANNOTATION_PREFIX = 'canary-action.dev/';

export const Annotation = {
  runId: `${ANNOTATION_PREFIX}run-id`,
  revision: `${ANNOTATION_PREFIX}revision`,
  digest: `${ANNOTATION_PREFIX}digest`,
  image: `${ANNOTATION_PREFIX}image`,
  runUrl: `${ANNOTATION_PREFIX}run-url`,
  phase: `${ANNOTATION_PREFIX}phase`,
  step: `${ANNOTATION_PREFIX}step`,
  stableImages: `${ANNOTATION_PREFIX}stable-images`,
  startedAt: `${ANNOTATION_PREFIX}started-at`,
  /** On the canary: the Deployment that promotion applies (the manifests' one, images set). */
  promotion: `${ANNOTATION_PREFIX}promotion`,
  /** On the canary: what later commands need to close the run's notifications (the Grafana annotation id). */
  notifyState: `${ANNOTATION_PREFIX}notify-state`,
  /** On the canary while promoting: the stable Deployment and ConfigMaps as they were before (JSON). */
  stableBefore: `${ANNOTATION_PREFIX}stable-before`,
  /** On a cloned ConfigMap/Secret: the name it was cloned from. */
  cloneOf: `${ANNOTATION_PREFIX}clone-of`,
} as const;

export const Label = {
  track: 'track',
  workload: `${ANNOTATION_PREFIX}workload`,
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'canary-action';

export type Track = 'canary' | 'baseline';

export type Phase =
  'deploying' | 'analysing' | 'held' | 'deployed' | 'promoting' | 'promoted' | 'rolling-back';

export const canaryName = (workload: string) => `${workload}-canary`;
export const baselineName = (workload: string) => `${workload}-baseline`;
export const lockName = (workload: string) => `${workload}-canary-lock`;

/** Selects everything the engine created for a workload (canary, baseline, clones). */
export const ownedSelector = (workload: string) =>
  `${Label.managedBy}=${MANAGED_BY},${Label.workload}=${workload}`;
