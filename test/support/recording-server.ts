/** A real loopback HTTP(S) server that answers from a script and records every request it saw. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply = (req: SeenRequest, res: http.ServerResponse) => void;

export interface RecordingServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Request i gets replies[i]; the last reply repeats. */
export async function startRecordingServer(
  replies: Reply[],
  tls?: { key: Buffer; cert: Buffer },
): Promise<RecordingServer> {
  const seen: SeenRequest[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      replies[Math.min(seen.length - 1, replies.length - 1)]?.(entry, res);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export const reply = {
  json:
    (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
    (_req, res) =>
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body)),
  text:
    (status: number, contentType: string, body: string): Reply =>
    (_req, res) =>
      res.writeHead(status, { 'Content-Type': contentType }).end(body),
  /** Never answers (until the server closes). */
  hang: (() => undefined) as Reply,
};
