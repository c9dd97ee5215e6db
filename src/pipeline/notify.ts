/**
 * The release's notifications as the pipeline and the manage commands send them: one ReleaseNotifier per
 * run holds the targets, the deadline and the NotifyState (the Grafana region), sends an event with one
 * call, and collects every delivery's result for the report. It never throws: a failed delivery is a
 * warning in the log and in the results, never a different outcome.
 */
import type { Config } from '../config/types.ts';
import type { KubeObject } from '../kube/types.ts';
import {
  decodeNotifyState,
  emptyNotifyState,
  encodeNotifyState,
  notifyAll,
  releaseEvent,
  type NotifyEventName,
  type NotifyResult,
  type NotifyState,
  type NotifyTarget,
  type ReleaseFacts,
} from '../notify/index.ts';
import type { Platform } from '../platform/types.ts';
import { stateOf } from './live-release.ts';
import { Annotation } from './names.ts';

export interface ReleaseNotifier {
  /** Every delivery so far, in order (empty without targets). */
  readonly results: readonly NotifyResult[];
  readonly enabled: boolean;
  /**
   * Sends `event` to the targets that want it, within the deadline. With `signal`, an abort stops the wait
   * (the delivery goes on unawaited): a cancelled job's rollback is not held up by a step's message.
   */
  send(
    event: NotifyEventName,
    facts: ReleaseFacts,
    options?: { reason?: string; signal?: AbortSignal },
  ): Promise<void>;
  /** Records the NotifyState on the canary (before it is applied) for a later promote, rollback or cleanup. */
  stamp(canary: KubeObject): void;
}

export interface NotifierOptions {
  targets: readonly NotifyTarget[];
  deadlineMs: number;
  platform: Platform;
  workload: string;
  namespace: string;
  /** When the release started: the Grafana region starts here. */
  startedAt: string;
  /** The CI job's page. */
  jobUrl?: string;
  stepCount?: number;
  metricSpecs?: Config['analysis']['metrics'];
  state?: NotifyState;
  now?: () => Date;
}

export function createReleaseNotifier(options: NotifierOptions): ReleaseNotifier {
  const results: NotifyResult[] = [];
  let state = options.state ?? emptyNotifyState();
  const { platform } = options;
  const enabled = options.targets.length > 0;
  return {
    results,
    enabled,
    async send(event, facts, sendOptions = {}) {
      if (!options.targets.some((target) => target.events.includes(event))) return;
      try {
        const payload = releaseEvent({
          event,
          release: facts,
          workload: options.workload,
          namespace: options.namespace,
          startedAt: options.startedAt,
          time: (options.now ?? (() => new Date()))(),
          ...(sendOptions.reason ? { reason: sendOptions.reason } : {}),
          ...(options.stepCount ? { stepCount: options.stepCount } : {}),
          ...(options.jobUrl ? { links: { job: options.jobUrl } } : {}),
          ...(options.metricSpecs ? { metricSpecs: options.metricSpecs } : {}),
        });
        const sending = notifyAll(options.targets, payload, {
          deadlineMs: options.deadlineMs,
          state,
          log: { info: platform.info, warning: platform.warning },
          // The platform knows every secret: the config's, registered when the command loaded it.
          redact: platform.redact,
        }).then((sent) => {
          results.push(...sent.results);
          state = sent.state;
        });
        await untilAborted(sending, sendOptions.signal);
      } catch (error) {
        platform.warning(`notifications for ${JSON.stringify(event)} failed: ${(error as Error).message}`);
      }
    },
    stamp(canary) {
      if (!enabled) return;
      canary.metadata.annotations = {
        ...canary.metadata.annotations,
        [Annotation.notifyState]: encodeNotifyState(state),
      };
    },
  };
}

function untilAborted(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The notifier of a run's release: its config's targets. */
export function notifierForRelease(
  config: Config,
  platform: Platform,
  run: { startedAt: string; runUrl?: string },
  workload: string,
  namespace: string,
  deadlineMs?: number,
): ReleaseNotifier {
  return createReleaseNotifier({
    targets: config.notify ?? [],
    deadlineMs: deadlineMs ?? config.notifyDeadlineMs,
    platform,
    workload,
    namespace,
    startedAt: run.startedAt,
    ...(run.runUrl ? { jobUrl: run.runUrl } : {}),
    stepCount: config.traffic.steps.length,
    metricSpecs: config.analysis.metrics,
  });
}

/** What promote, rollback and cleanup send about a live canary: its run's identity and NotifyState. */
export type LiveNotify = (event: NotifyEventName, canary: KubeObject, reason?: string) => Promise<void>;

export function liveNotifier(
  config: Config | undefined,
  platform: Platform,
  namespace: string,
  workload: string,
  deadlineMs?: number,
): LiveNotify | undefined {
  if (!config?.notify?.length) return undefined;
  return async (event, canary, reason) => {
    const live = stateOf(canary);
    const notifier = createReleaseNotifier({
      targets: config.notify,
      deadlineMs: deadlineMs ?? config.notifyDeadlineMs,
      platform,
      workload,
      namespace,
      startedAt: live.startedAt || new Date().toISOString(),
      ...(live.runUrl ? { jobUrl: live.runUrl } : {}),
      state: decodeNotifyState(canary.metadata.annotations?.[Annotation.notifyState]),
    });
    const facts: ReleaseFacts = {
      runId: live.runId,
      revision: live.revision,
      image: live.image,
      digest: live.digest || null,
    };
    await notifier.send(event, facts, reason ? { reason } : {});
  };
}
