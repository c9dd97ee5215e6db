/** test/support/tcp-proxy.ts against a loopback echo server: forwarding, cuts, partitions, delays, counters. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/** Connects, sends `text`, resolves with what comes back within `waitMs` (or the connection error's code). */
function exchange(port: number, text: string, waitMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    const done = (value: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(received || 'nothing'), waitMs);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.length >= text.length) done(received);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

describe('TCP proxy', () => {
  let echo: net.Server;
  let proxy: TcpProxy;

  before(async () => {
    echo = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    proxy = await startTcpProxy({ targetPort: (echo.address() as net.AddressInfo).port });
  });
  after(async () => {
    await proxy.stop();
    await new Promise((resolve) => echo.close(resolve));
  });

  test('forwards bytes both ways and counts them', async () => {
    assert.equal(await exchange(proxy.port, 'hello'), 'hello');
    const counters = proxy.counters();
    assert.ok(counters.accepted >= 1 && counters.forwarded >= 1, JSON.stringify(counters));
    assert.ok(counters.bytesUp >= 5 && counters.bytesDown >= 5, JSON.stringify(counters));
  });

  test('refuse: new connections are refused, open ones reset; restore() opens the same port again', async () => {
    const open = net.connect({ host: '127.0.0.1', port: proxy.port });
    const closed = new Promise<string>((resolve) => {
      open.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      open.on('close', () => resolve('closed'));
    });
    await new Promise((resolve) => open.on('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await proxy.cut('refuse');
    assert.equal(proxy.state, 'refuse');
    assert.match(await closed, /ECONNRESET|closed/);
    assert.equal(await exchange(proxy.port, 'x'), 'ECONNREFUSED');
    await proxy.restore();
    assert.equal(await exchange(proxy.port, 'back'), 'back');
  });

  test('reset: connections are accepted and reset at once', async () => {
    await proxy.cut('reset');
    const before = proxy.counters().reset;
    assert.match(await exchange(proxy.port, 'x'), /ECONNRESET|nothing/);
    assert.equal(proxy.counters().reset, before + 1);
    await proxy.restore();
    assert.equal(await exchange(proxy.port, 'ok'), 'ok');
  });

  test('blackhole: nothing flows while cut; what was held arrives after restore()', async () => {
    await proxy.cut('blackhole');
    const pending = exchange(proxy.port, 'held', 3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(proxy.counters().held, 1);
    await proxy.restore();
    assert.equal(await pending, 'held');
  });

  test('delay: each direction is held for the delay', async () => {
    proxy.delay(150);
    const started = Date.now();
    assert.equal(await exchange(proxy.port, 'slow', 3000), 'slow');
    assert.ok(Date.now() - started >= 280, `round trip took ${Date.now() - started} ms`);
    proxy.delay(0);
  });
});
