/**
 * Local HTTP receivers for the notification tests: real servers on loopback that record every request
 * (method, path, headers, the raw body bytes) and answer from a script — or, for Grafana, a small stateful
 * stand-in of its annotations API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  /** Path and query string as received. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The exact bytes received. */
  body: Buffer;
}

export type Answer = (request: Received, response: http.ServerResponse) => void;

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export const answer = {
  status:
    (status: number, body = '', headers: Record<string, string> = {}): Answer =>
    (_request, response) =>
      response.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(body),
  json:
    (status: number, body: unknown): Answer =>
    (_request, response) =>
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)),
  /** Never answers (until the receiver closes). */
  hang: (() => undefined) as Answer,
};

/** Request i gets answers[i]; the last answer repeats. */
export async function startReceiver(answers: Answer[] | Answer): Promise<Receiver> {
  const script = Array.isArray(answers) ? answers : [answers];
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: Received = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      received.push(entry);
      script[Math.min(received.length - 1, script.length - 1)]?.(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface StoredAnnotation {
  id: number;
  dashboardUID?: string;
  panelId?: number;
  time: number;
  timeEnd: number;
  text: string;
  tags: string[];
}

/**
 * Grafana's annotations API as far as the notifier uses it (POST, PATCH /:id, GET ?tags=&type=&dashboardUID=),
 * with bearer-token auth and Grafana's answers: `{message, id}`, 404 for an unknown id, 401 for a bad token.
 */
export async function startGrafana(
  token: string,
): Promise<Receiver & { annotations: Map<number, StoredAnnotation> }> {
  const annotations = new Map<number, StoredAnnotation>();
  let nextId = 41;
  const send = (response: http.ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const receiver = await startReceiver((request, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      return send(response, 401, { message: 'invalid API key' });
    }
    const url = new URL(request.path, 'http://grafana');
    const body =
      request.body.length > 0 ? (JSON.parse(request.body.toString('utf8')) as Record<string, unknown>) : {};
    if (request.method === 'POST' && url.pathname === '/api/annotations') {
      if (typeof body.text !== 'string' || body.text === '')
        return send(response, 400, { message: 'text is required' });
      const time = typeof body.time === 'number' ? body.time : Date.now();
      const annotation: StoredAnnotation = {
        id: nextId++,
        time,
        timeEnd: typeof body.timeEnd === 'number' ? body.timeEnd : time,
        text: body.text,
        tags: Array.isArray(body.tags) ? (body.tags as string[]) : [],
        ...(typeof body.dashboardUID === 'string' ? { dashboardUID: body.dashboardUID } : {}),
        ...(typeof body.panelId === 'number' ? { panelId: body.panelId } : {}),
      };
      annotations.set(annotation.id, annotation);
      return send(response, 200, { message: 'Annotation added', id: annotation.id });
    }
    const patch = /^\/api\/annotations\/(\d+)$/.exec(url.pathname);
    if (request.method === 'PATCH' && patch) {
      const annotation = annotations.get(Number(patch[1]));
      if (!annotation) return send(response, 404, { message: 'Could not find annotation to update' });
      if (typeof body.text === 'string') annotation.text = body.text;
      if (Array.isArray(body.tags)) annotation.tags = body.tags as string[];
      if (typeof body.time === 'number') annotation.time = body.time;
      if (typeof body.timeEnd === 'number') annotation.timeEnd = body.timeEnd;
      return send(response, 200, { message: 'Annotation patched' });
    }
    if (request.method === 'GET' && url.pathname === '/api/annotations') {
      const tags = url.searchParams.getAll('tags');
      const dashboardUID = url.searchParams.get('dashboardUID');
      const found = [...annotations.values()]
        .filter((a) => tags.every((tag) => a.tags.includes(tag)))
        .filter((a) => !dashboardUID || a.dashboardUID === dashboardUID)
        .sort((a, b) => b.timeEnd - a.timeEnd)
        .map((a) => ({ ...a, dashboardUID: a.dashboardUID ?? '', panelId: a.panelId ?? 0, alertId: 0 }));
      return send(response, 200, found);
    }
    return send(response, 404, { message: 'Not found' });
  });
  return { ...receiver, annotations };
}
