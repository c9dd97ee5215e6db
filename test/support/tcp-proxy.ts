/**
 * A loopback TCP proxy for fault injection: put it between a client and a server (a kubeconfig's
 * `server:` pointing at the proxy, a provider URL …) and cut, delay or restore the connection from the
 * test. It forwards bytes only, so TLS stays end to end (the client still verifies the server's
 * certificate: the proxy listens on 127.0.0.1, which the sandbox's serving certificate names).
 *
 *   refuse     the listener is closed (new connections: ECONNREFUSED) and open ones are reset
 *   reset      new connections are accepted and reset at once (ECONNRESET), open ones are reset
 *   blackhole  a partition: nothing is forwarded either way and nothing is closed; new connections are
 *              accepted and held. restore() delivers what was held back, as a healed network does
 *
 * delay(ms) holds every chunk for that long in each direction (order kept). counters() says what the
 * proxy saw, so a test can tell that its cut was actually exercised.
 */
import net from 'node:net';

export type CutMode = 'refuse' | 'reset' | 'blackhole';

export interface TcpProxyOptions {
  /** The server's port (and host, default 127.0.0.1). */
  targetPort: number;
  targetHost?: string;
  /** The proxy's own port; default: a free one the kernel picks. */
  port?: number;
}

export interface TcpProxyCounters {
  /** Connections accepted from clients (held ones included). */
  accepted: number;
  /** Connections that reached the target. */
  forwarded: number;
  /** Connections reset at once because the proxy was cut in `reset` mode. */
  reset: number;
  /** Open connections destroyed by cut() (`refuse`, `reset`) or stop(). */
  destroyed: number;
  /** Connections held by a `blackhole` cut (not yet forwarded). */
  held: number;
  /** Connections open now. */
  open: number;
  /** Payload bytes client → target and target → client. */
  bytesUp: number;
  bytesDown: number;
  /** Connections to the target that failed (target down). */
  upstreamErrors: number;
}

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** `open`, or the mode of the cut in force. */
  readonly state: 'open' | CutMode;
  cut(mode?: CutMode): Promise<void>;
  restore(): Promise<void>;
  /** Milliseconds every chunk is held in each direction from now on (0: none). */
  delay(ms: number): void;
  counters(): TcpProxyCounters;
  stop(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
  /** When the last chunk of each direction is released (delays keep the order). */
  releaseUp: number;
  releaseDown: number;
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const host = '127.0.0.1';
  const links = new Set<Link>();
  const counts = {
    accepted: 0,
    forwarded: 0,
    reset: 0,
    destroyed: 0,
    held: 0,
    bytesUp: 0,
    bytesDown: 0,
    upstreamErrors: 0,
  };
  let state: 'open' | CutMode = 'open';
  let delayMs = 0;
  let stopped = false;

  const destroy = (link: Link) => {
    links.delete(link);
    if (!link.client.destroyed) link.client.resetAndDestroy();
    link.upstream?.destroy();
  };

  /** Runs `fn` once the delay in force has passed, after everything released earlier in that direction. */
  const release = (link: Link, up: boolean, fn: () => void) => {
    const now = Date.now();
    const key = up ? 'releaseUp' : 'releaseDown';
    const at = Math.max(now + delayMs, link[key]);
    link[key] = at;
    if (at <= now) fn();
    else setTimeout(fn, at - now);
  };

  /** Forwards chunks from one socket to the other, after the delay in force, in order. */
  const pump = (link: Link, from: net.Socket, to: () => net.Socket | undefined, up: boolean) => {
    from.on('data', (chunk: Buffer) => {
      if (up) counts.bytesUp += chunk.length;
      else counts.bytesDown += chunk.length;
      release(link, up, () => {
        const target = to();
        if (target && !target.destroyed) target.write(chunk);
      });
    });
    from.on('end', () => release(link, up, () => to()?.end()));
  };

  const connectUpstream = (link: Link) => {
    const upstream = net.connect({ host: targetHost, port: options.targetPort });
    link.upstream = upstream;
    upstream.on('connect', () => {
      counts.forwarded++;
      if (state !== 'blackhole') link.client.resume();
    });
    upstream.on('error', () => {
      counts.upstreamErrors++;
      destroy(link);
    });
    upstream.on('close', () =>
      release(link, false, () => {
        if (!link.client.destroyed) link.client.destroySoon();
        links.delete(link);
      }),
    );
    pump(link, upstream, () => link.client, false);
  };

  const onConnection = (client: net.Socket) => {
    counts.accepted++;
    client.setNoDelay(true);
    if (state === 'reset' || state === 'refuse' || stopped) {
      counts.reset++;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, releaseUp: 0, releaseDown: 0 };
    links.add(link);
    client.on('error', () => destroy(link));
    client.on('close', () =>
      release(link, true, () => {
        link.upstream?.destroySoon();
        links.delete(link);
      }),
    );
    pump(link, client, () => link.upstream, true);
    if (state === 'blackhole') counts.held++;
    else connectUpstream(link);
  };

  const server = net.createServer({ pauseOnConnect: true }, onConnection);
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as net.AddressInfo).port;

  const closeListener = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  const proxy: TcpProxy = {
    host,
    port,
    address: `${host}:${port}`,
    get state() {
      return state;
    },
    async cut(mode: CutMode = 'refuse') {
      if (state !== 'open') await proxy.restore();
      state = mode;
      if (mode === 'blackhole') {
        for (const link of links) {
          link.client.pause();
          link.upstream?.pause();
        }
        return;
      }
      for (const link of [...links]) {
        counts.destroyed++;
        destroy(link);
      }
      if (mode === 'refuse') await closeListener();
    },
    async restore() {
      const was = state;
      state = 'open';
      if (was === 'refuse' && !stopped) {
        // Another process may hold the port for a moment (an ephemeral port): try again briefly.
        for (let attempt = 0; ; attempt++) {
          try {
            await listen(port);
            break;
          } catch (error) {
            if (attempt >= 50) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
      if (was === 'blackhole') {
        for (const link of links) {
          if (link.upstream) {
            link.upstream.resume();
            if (!link.upstream.connecting) link.client.resume();
          } else {
            counts.held--;
            connectUpstream(link);
          }
        }
      }
    },
    delay(ms: number) {
      delayMs = Math.max(0, ms);
    },
    counters: () => ({ ...counts, open: links.size }),
    async stop() {
      stopped = true;
      for (const link of [...links]) {
        counts.destroyed++;
        destroy(link);
      }
      await closeListener();
    },
  };
  return proxy;
}
