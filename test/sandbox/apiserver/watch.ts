import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../node/types.ts';
import type { Faults } from './faults.ts';
import type { ResourceType } from './resources.ts';
import { apiVersionOf, sameResource } from './resources.ts';
import { matchesFields, matchesRequirements, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { ApiError } from './status.ts';
import type { Store, StoreEvent } from './store.ts';

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  query: URLSearchParams;
  bookmarkIntervalMs: number;
}

function boolParam(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/**
 * A watch stream: newline-delimited JSON `{type, object}` events, from a resourceVersion (replayed
 * from the store's history) or from a synthetic ADDED per existing object, with optional bookmarks
 * and the server-side timeout the client asked for.
 */
export function serveWatch(store: Store, faults: Faults, res: ServerResponse, request: WatchRequest): void {
  const { type, namespace, query } = request;
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const matches = (o: KubeObject): boolean =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    matchesRequirements(o.metadata.labels, labels) &&
    matchesFields(o, fields);
  const itemOf = (o: KubeObject): KubeObject => ({ ...o, apiVersion: apiVersionOf(type), kind: type.kind });

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  const send = (eventType: string, object: unknown): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>): void =>
    send('BOOKMARK', {
      kind: type.kind,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) },
    });

  const deliver = (event: StoreEvent): void => {
    if (!sameResource(event.resource, type)) return;
    const now = matches(event.object);
    const before = event.old ? matches(event.old) : false;
    if (event.type === 'ADDED' && now) send('ADDED', itemOf(event.object));
    else if (event.type === 'DELETED' && now) send('DELETED', itemOf(event.object));
    else if (event.type === 'MODIFIED') {
      if (now && before) send('MODIFIED', itemOf(event.object));
      else if (now) send('ADDED', itemOf(event.object));
      else if (before) send('DELETED', itemOf(event.object));
    }
  };

  const rv = query.get('resourceVersion');
  const sendInitial = boolParam(query.get('sendInitialEvents'));
  if (!rv || rv === '0' || sendInitial) {
    for (const o of store.list(type, namespace)) if (matches(o)) send('ADDED', itemOf(o));
    if (sendInitial) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    try {
      for (const event of store.eventsSince(Number(rv))) deliver(event);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send('ERROR', error.toStatus());
      res.end();
      return;
    }
  }

  const unsubscribe = store.subscribe(deliver);
  const timers: NodeJS.Timeout[] = [];
  if (boolParam(query.get('allowWatchBookmarks')))
    timers.push(setInterval(() => bookmark(), request.bookmarkIntervalMs));
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
  const finish = (): void => {
    unsubscribe();
    untrack();
    for (const t of timers) clearInterval(t);
    if (!res.writableEnded) res.end();
  };
  if (timeoutSeconds > 0) timers.push(setTimeout(finish, timeoutSeconds * 1000));
  const untrack = faults.trackWatch(() => {
    finish();
    res.socket?.destroy();
  });
  res.on('close', finish);
}
