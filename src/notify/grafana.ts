/**
 * Grafana: one region annotation per release, from the canary's start to its decision, through the HTTP API
 * (https://grafana.com/docs/grafana/latest/developers/http_api/annotations/):
 *
 *   started          POST  /api/annotations        {time: start, text, tags, dashboardUID?, panelId?} → id
 *   step             PATCH /api/annotations/:id    {text, tags}
 *   decision, held   PATCH /api/annotations/:id    {time: start, timeEnd: now, text, tags (with the decision)}
 *
 * The id is kept in NotifyState (the caller persists it between processes). Without it, the run's annotation
 * is found by its tag (`GET /api/annotations?tags=run-<runId>`); without that either (started was not sent, or
 * failed), the whole region is created at the decision. A PATCH answered 404 (deleted) creates it anew.
 * Auth: `Authorization: Bearer <service account token>`.
 */
import { createHash } from 'node:crypto';
import { defineNotifier, jsonBody, USER_AGENT, type Outcome, type Send } from './notifier.ts';
import { metricLine, releaseFacts, title, truncate, links } from './format.ts';
import { DECISION_EVENTS, type GrafanaTarget, type Notifier, type ReleaseEvent } from './types.ts';

export const GRAFANA_BASE_TAG = 'canary-action';

/** The tag that finds a run's annotation again: `run-<runId>`. */
export const runTag = (runId: string) => `run-${runId}`;

/** Where a target's annotation id is kept in NotifyState.grafana: stable across processes, reveals nothing. */
export function grafanaStateKey(target: Pick<GrafanaTarget, 'url' | 'dashboardUID' | 'panelId'>): string {
  const identity = `${target.url.replace(/\/+$/, '')}|${target.dashboardUID ?? ''}|${target.panelId ?? ''}`;
  return `grafana-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}

/** canary-action, workload, revision, run-<runId>, the event (the decision at the end), then the user's tags. */
export function grafanaTags(event: ReleaseEvent, target: Pick<GrafanaTarget, 'tags'>): string[] {
  return [
    ...new Set([
      GRAFANA_BASE_TAG,
      event.workload,
      event.revision,
      runTag(event.runId),
      event.event,
      ...target.tags,
    ]),
  ].filter(Boolean);
}

/** Plain text (Grafana shows it in the annotation's tooltip). */
export function grafanaText(event: ReleaseEvent): string {
  const facts = new Map(releaseFacts(event));
  const lines = [
    title(event),
    [`revision ${event.revision}`, facts.get('Image'), `namespace ${event.namespace}`]
      .filter(Boolean)
      .join(' · '),
    event.reason,
    ...event.metrics.slice(0, 20).map(metricLine),
    ...(event.metrics.length > 20 ? [`…and ${event.metrics.length - 20} more metrics`] : []),
    ...links(event).map(({ title: label, url }) => `${label}: ${url}`),
  ];
  return truncate(lines.join('\n'), 4000);
}

export interface AnnotationBody {
  time?: number;
  timeEnd?: number;
  text: string;
  tags: string[];
  dashboardUID?: string;
  panelId?: number;
}

const millis = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

/**
 * Pure. `create`: the POST body (at `started` a point at the start, later the whole region). `update`: the
 * PATCH body (a decision or `held` closes the region at this event's time; a `step` only updates text and tags).
 */
export function grafanaAnnotation(
  event: ReleaseEvent,
  target: Pick<GrafanaTarget, 'tags' | 'dashboardUID' | 'panelId'>,
  mode: 'create' | 'update',
): AnnotationBody {
  const start = millis(event.startedAt) ?? millis(event.time);
  const end = DECISION_EVENTS.includes(event.event) ? millis(event.time) : undefined;
  const body: AnnotationBody = { text: grafanaText(event), tags: grafanaTags(event, target) };
  if (mode === 'create') {
    if (start !== undefined) body.time = start;
    if (end !== undefined) body.timeEnd = Math.max(end, start ?? end);
    if (target.dashboardUID) body.dashboardUID = target.dashboardUID;
    if (target.panelId !== undefined) body.panelId = target.panelId;
  } else if (end !== undefined) {
    if (start !== undefined) body.time = start;
    body.timeEnd = Math.max(end, start ?? end);
  }
  return body;
}

interface FoundAnnotation {
  id?: unknown;
  dashboardUID?: unknown;
  panelId?: unknown;
  tags?: unknown;
}

export function grafanaNotifier(target: GrafanaTarget): Notifier {
  const base = target.url.replace(/\/+$/, '');
  const key = grafanaStateKey(target);
  const headers = {
    ...target.headers,
    Authorization: `Bearer ${target.token}`,
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
  };
  const json = { ...headers, 'Content-Type': 'application/json' };

  async function create(event: ReleaseEvent, send: Send): Promise<{ id?: number; problem?: string }> {
    const delivery = await send({
      method: 'POST',
      url: `${base}/api/annotations`,
      headers: json,
      body: jsonBody(grafanaAnnotation(event, target, 'create')),
    });
    if (!delivery.ok) return { problem: `creating the annotation failed: ${delivery.problem}` };
    const id = parseId(delivery.body);
    return id === undefined ? { problem: 'Grafana created the annotation but returned no id' } : { id };
  }

  /** The newest annotation of this run on this target's dashboard/panel, if Grafana has one. */
  async function find(event: ReleaseEvent, send: Send): Promise<{ id?: number; problem?: string }> {
    const query = new URLSearchParams({ tags: runTag(event.runId), type: 'annotation', limit: '100' });
    if (target.dashboardUID) query.set('dashboardUID', target.dashboardUID);
    const delivery = await send({
      method: 'GET',
      url: `${base}/api/annotations?${query.toString()}`,
      headers,
    });
    if (!delivery.ok) return { problem: `looking up the run's annotation failed: ${delivery.problem}` };
    let items: unknown;
    try {
      items = JSON.parse(delivery.body);
    } catch {
      return { problem: "looking up the run's annotation: the answer is not JSON" };
    }
    if (!Array.isArray(items)) return {};
    const ids = (items as FoundAnnotation[])
      .filter(
        (item) =>
          Array.isArray(item.tags) &&
          item.tags.includes(runTag(event.runId)) &&
          (item.dashboardUID || undefined) === target.dashboardUID &&
          (item.panelId || undefined) === (target.panelId || undefined),
      )
      .map((item) => item.id)
      .filter((id): id is number => typeof id === 'number' && Number.isInteger(id) && id > 0);
    return ids.length > 0 ? { id: Math.max(...ids) } : {};
  }

  return defineNotifier(target, async (event, send, context): Promise<Outcome> => {
    const remember = (id: number) => {
      context.state.grafana[key] = id;
    };
    if (event.event === 'started') {
      const created = await create(event, send);
      if (created.id !== undefined) remember(created.id);
      return created.id !== undefined ? { ok: true } : { ok: false, problem: created.problem ?? 'no id' };
    }
    const notes: string[] = [];
    let id: number | undefined = context.state.grafana[key];
    if (id === undefined) {
      const found = await find(event, send);
      if (found.problem) notes.push(found.problem);
      id = found.id;
    }
    if (id !== undefined) {
      const delivery = await send({
        method: 'PATCH',
        url: `${base}/api/annotations/${id}`,
        headers: json,
        body: jsonBody(grafanaAnnotation(event, target, 'update')),
      });
      if (delivery.ok) {
        remember(id);
        return notes.length > 0 ? { ok: true, problem: notes.join('; ') } : { ok: true };
      }
      if (delivery.status !== 404)
        return { ok: false, problem: `updating annotation ${id} failed: ${delivery.problem}` };
      notes.push(`annotation ${id} is gone (HTTP 404), created anew`);
    }
    const created = await create(event, send);
    if (created.id === undefined) {
      return { ok: false, problem: [...notes, created.problem ?? 'no id'].join('; ') };
    }
    remember(created.id);
    return notes.length > 0 ? { ok: true, problem: notes.join('; ') } : { ok: true };
  });
}

function parseId(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'number' && Number.isInteger(parsed.id) && parsed.id > 0
      ? parsed.id
      : undefined;
  } catch {
    return undefined;
  }
}
