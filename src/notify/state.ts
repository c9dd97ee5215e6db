/**
 * NotifyState as text, for the caller to keep where the run's other state lives (an annotation on the
 * canary Deployment) so that the post step, in another process, updates the same Grafana annotation.
 */
import type { NotifyState } from './types.ts';

export const emptyNotifyState = (): NotifyState => ({ grafana: {} });

export function encodeNotifyState(state: NotifyState): string {
  return JSON.stringify({ grafana: state.grafana });
}

/** Tolerant: anything unreadable is an empty state (the Grafana notifier then finds the annotation by tag). */
export function decodeNotifyState(text: string | undefined): NotifyState {
  const state = emptyNotifyState();
  if (!text) return state;
  try {
    const parsed = JSON.parse(text) as { grafana?: unknown };
    if (parsed && typeof parsed.grafana === 'object' && parsed.grafana !== null) {
      for (const [key, id] of Object.entries(parsed.grafana)) {
        if (typeof id === 'number' && Number.isInteger(id) && id > 0) state.grafana[key] = id;
      }
    }
  } catch {
    // not JSON: start afresh
  }
  return state;
}

export const copyNotifyState = (state: NotifyState | undefined): NotifyState => ({
  grafana: { ...state?.grafana },
});
