/**
 * notifyAll: one event to every target that wants it, concurrently, each with its own retries, all within
 * one deadline. It resolves by the deadline with what is known — a delivery still under way is cut off and
 * reported as a warning — and never rejects, so a notification can neither change a release's outcome nor
 * hold up a rollback.
 */
import { scrubber } from './notifier.ts';
import { createNotifier } from './notifiers.ts';
import { targetLabel } from './settings.ts';
import { copyNotifyState } from './state.ts';
import type { NotifyResult, NotifyState, NotifyTarget, ReleaseEvent } from './types.ts';

/** A sensible deadline for one event: enough for a retry or two on every target. */
export const DEFAULT_NOTIFY_DEADLINE_MS = 15_000;

export interface NotifyLog {
  info?(message: string): void;
  warning(message: string): void;
}

export interface NotifyAllOptions {
  /** Everything is settled (or cut off) by then, in milliseconds from the call. */
  deadlineMs: number;
  /** The run's state from earlier events (the Grafana annotation ids); not modified. */
  state?: NotifyState;
  /** Where successes (info) and warnings go; each warning is also in the returned results. */
  log?: NotifyLog;
  /**
   * Applied to every text of the event before it leaves (reasons can quote an error) and to every warning:
   * pass the platform's redaction of the run's registered secrets.
   */
  redact?: (text: string) => string;
  /** Injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface NotifyAllResult {
  /** One per target that wants the event, in the targets' order. */
  results: NotifyResult[];
  /** The state to keep for the run's next events (and the post step). */
  state: NotifyState;
}

export async function notifyAll(
  targets: readonly NotifyTarget[],
  event: ReleaseEvent,
  options: NotifyAllOptions,
): Promise<NotifyAllResult> {
  const state = copyNotifyState(options.state);
  const redact = safeRedact(options.redact);
  const outgoing = options.redact ? redactEvent(event, redact) : event;
  const wanted = targets.filter((target) => target.events.includes(event.event));
  const settled: Array<NotifyResult | undefined> = wanted.map(() => undefined);
  const attempts = wanted.map(() => 0);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const sends = wanted.map(async (target, i) => {
      try {
        settled[i] = await createNotifier(target).send(outgoing, {
          signal: controller.signal,
          state,
          onAttempt: () => {
            attempts[i] = (attempts[i] ?? 0) + 1;
          },
          ...(options.sleep ? { sleep: options.sleep } : {}),
          ...(options.random ? { random: options.random } : {}),
        });
      } catch (error) {
        // Notifiers do not throw; if one ever does, it is a warning like any other.
        settled[i] = failed(target, event, attempts[i] ?? 0, `internal error: ${(error as Error)?.message}`);
      }
    });
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, options.deadlineMs));
    });
    await Promise.race([Promise.all(sends), deadline]);
  } catch {
    // Nothing above rejects; whatever happened, answer with what is known.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  const results = wanted
    .map(
      (target, i) =>
        settled[i] ??
        failed(
          target,
          event,
          attempts[i] ?? 0,
          `cut off by the notification deadline (${options.deadlineMs} ms)`,
        ),
    )
    .map((result) => (result.warning ? { ...result, warning: redact(result.warning) } : result));
  for (const result of results) {
    try {
      if (result.warning) options.log?.warning(result.warning);
      else options.log?.info?.(`${result.target}: sent ${JSON.stringify(result.event)}`);
    } catch {
      // a failing logger must not turn into a failing release either
    }
  }
  return { results, state: copyNotifyState(state) };
}

function failed(target: NotifyTarget, event: ReleaseEvent, attempts: number, problem: string): NotifyResult {
  const label = targetLabel(target);
  const tries = attempts > 0 ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : '';
  return {
    target: label,
    type: target.type,
    event: event.event,
    ok: false,
    attempts,
    warning: scrubber(target)(`${label}: ${JSON.stringify(event.event)} not delivered: ${problem}${tries}`),
  };
}

/** A redaction that cannot throw: if it does, the text is withheld rather than sent or printed as it is. */
function safeRedact(redact: ((text: string) => string) | undefined): (text: string) => string {
  if (!redact) return (text) => text;
  return (text) => {
    try {
      return redact(text);
    } catch {
      return '(withheld: redaction failed)';
    }
  };
}

/** The event with `redact` applied to every string in it (it is plain JSON-safe data). */
export function redactEvent(event: ReleaseEvent, redact: (text: string) => string): ReleaseEvent {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, walk(child)]));
    }
    return value;
  };
  return walk(event) as ReleaseEvent;
}
