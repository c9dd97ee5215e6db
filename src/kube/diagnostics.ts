/* The text that explains a failed rollout: the pod's reason, its recent events and its last log lines. */
import type { KubeIO } from './io.ts';
import type { KubeObject } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- Event JSON is read loosely */
type Json = any;

export const MAX_EVENTS = 10;
export const LOG_LINES = 20;

export interface PodEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** Milliseconds since the epoch of the last occurrence (0 when unknown). */
  at: number;
}

export function toPodEvent(event: KubeObject): PodEvent {
  const e = event as Json;
  const time =
    e.lastTimestamp ??
    e.series?.lastObservedTime ??
    e.eventTime ??
    e.firstTimestamp ??
    e.metadata?.creationTimestamp;
  const at = typeof time === 'string' ? Date.parse(time) : NaN;
  return {
    type: String(e.type ?? 'Normal'),
    reason: String(e.reason ?? ''),
    message: String(e.message ?? e.note ?? '').trim(),
    count: Number(e.count ?? e.series?.count ?? 1) || 1,
    at: Number.isFinite(at) ? at : 0,
  };
}

/** Warnings first, then the most recent first; at most `limit`. */
export function recentEvents(events: PodEvent[], limit = MAX_EVENTS): PodEvent[] {
  const warning = (e: PodEvent) => (e.type === 'Warning' ? 0 : 1);
  return [...events].sort((a, b) => warning(a) - warning(b) || b.at - a.at).slice(0, limit);
}

export interface PodDiagnostics {
  pod: string;
  container?: string;
  events: PodEvent[];
  eventsError?: string;
  /** The last log lines, or why they could not be read. */
  logs?: { lines: string[]; previous: boolean } | { error: string };
}

function lastLines(text: string, count: number): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-count);
}

export function formatDiagnostics(d: PodDiagnostics): string {
  const out: string[] = [];
  const events = recentEvents(d.events);
  if (d.eventsError) out.push(`events of pod ${d.pod}: unavailable (${d.eventsError})`);
  else if (events.length === 0) out.push(`events of pod ${d.pod}: none`);
  else {
    out.push(`events of pod ${d.pod} (Warning first, most recent first):`);
    for (const e of events)
      out.push(`  ${e.type.padEnd(7)} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
  }
  const container = d.container ? `container "${d.container}"` : 'the pod';
  if (d.logs && 'error' in d.logs) out.push(`logs of ${container}: unavailable (${d.logs.error})`);
  else if (d.logs) {
    const which = d.logs.previous ? ' (previous instance)' : '';
    if (d.logs.lines.length === 0) out.push(`logs of ${container}${which}: empty`);
    else {
      out.push(
        `last ${d.logs.lines.length === 1 ? 'log line' : `${d.logs.lines.length} log lines`} of ${container}${which}:`,
      );
      for (const line of d.logs.lines) out.push(`  ${line}`);
    }
  }
  return out.join('\n');
}

async function readLogs(
  io: KubeIO,
  pod: string,
  container: string,
  previous: boolean,
): Promise<PodDiagnostics['logs']> {
  try {
    const text = await io.podLog(pod, container, { previous, tailLines: LOG_LINES });
    return { lines: lastLines(text, LOG_LINES), previous };
  } catch (error) {
    // A container that never crashed has no previous instance: fall back to the current one.
    if (previous) return readLogs(io, pod, container, false);
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads the pod's events and its container's last log lines; a failure to read either is reported, not thrown. */
export async function collectDiagnostics(
  io: KubeIO,
  pod: string,
  container: string | undefined,
  options: { previous: boolean },
): Promise<string> {
  const fieldSelector = `involvedObject.kind=Pod,involvedObject.name=${pod}`;
  const [events, logs] = await Promise.all([
    io.list('v1', 'Event', { fieldSelector }).then(
      (items) => items.map(toPodEvent),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    ),
    container ? readLogs(io, pod, container, options.previous) : undefined,
  ]);
  return formatDiagnostics({
    pod,
    ...(container ? { container } : {}),
    ...(typeof events === 'string' ? { events: [], eventsError: events } : { events }),
    ...(logs ? { logs } : {}),
  });
}
