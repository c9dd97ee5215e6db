import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../node/types.ts';
import { errors } from './status.ts';

type LogFn = (
  namespace: string,
  name: string,
  options: { container?: string; tailLines?: number; previous?: boolean },
) => string;

function containerNames(pod: KubeObject): string[] {
  return ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? []).map(
    (c) => c.name,
  );
}

/** GET pods/<name>/log: text from the kubelet; `follow` streams new lines until the pod goes or the client leaves. */
export function serveLogs(
  pod: KubeObject,
  query: URLSearchParams,
  res: ServerResponse,
  logs: LogFn,
  stillExists: () => boolean,
): void {
  const names = containerNames(pod);
  const container = query.get('container') ?? names[0];
  if (!container || !names.includes(container)) {
    throw errors.badRequest(`container ${container ?? '""'} is not valid for pod ${pod.metadata.name}`);
  }
  const tail = query.get('tailLines');
  const options = {
    container,
    ...(tail !== null ? { tailLines: Number(tail) } : {}),
    previous: query.get('previous') === 'true',
  };
  const { namespace = '', name } = pod.metadata;
  const text = logs(namespace, name, options);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.write(text);
  if (query.get('follow') !== 'true') {
    res.end();
    return;
  }
  let sent = logs(namespace, name, { container }).length;
  const timer = setInterval(() => {
    if (!stillExists()) {
      clearInterval(timer);
      res.end();
      return;
    }
    const all = logs(namespace, name, { container });
    if (all.length > sent) res.write(all.slice(sent));
    sent = all.length;
  }, 250);
  res.on('close', () => clearInterval(timer));
}

/** Forwards an HTTP request to host:port, streaming both ways (pods/proxy and services/proxy). */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
  port: number,
  path: string,
): void {
  const headers = { ...req.headers };
  delete headers.authorization;
  delete headers.host;
  const upstream = http.request({ host, port, path, method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = errors.unavailable(`error trying to reach ${host}:${port}: ${error.message}`).toStatus();
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(status));
  });
  req.pipe(upstream);
}
