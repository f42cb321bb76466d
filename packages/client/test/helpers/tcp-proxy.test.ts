import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { TcpProxy } from './tcp-proxy.js';
import { waitUntil } from './wait.js';

/** Opens a socket through the proxy; resolves once open, rejects if the proxy refuses it. */
function open(url: string): Promise<{ ws: WebSocket; got: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const got: string[] = [];
  ws.on('message', (data) => got.push(data.toString()));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, got, closed }));
    ws.once('error', reject);
  });
}

// The resilience tests trust this proxy to break links the way a network does; check it
// against a bare echo server first, so a failure there points at the client, not the proxy.
describe('tcp proxy (test infrastructure)', () => {
  const server = http.createServer();
  const echo = new WebSocketServer({ server });
  echo.on('connection', (ws) => ws.on('message', (data) => ws.send(data.toString())));
  let proxy: TcpProxy;
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = await TcpProxy.start((server.address() as { port: number }).port);
    url = proxy.url.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await proxy.close();
    for (const ws of echo.clients) ws.terminate();
    echo.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('forwards both ways, and cut() drops the link without a close frame (1006)', async () => {
    const link = await open(url);
    link.ws.send('hello');
    await waitUntil('the echo', () => link.got.includes('hello'));
    proxy.cut();
    expect(await link.closed).toBe(1006);
    expect(proxy.openConnections).toBe(0);
  });

  it('refuses new connections while paused and forwards again after resume()', async () => {
    proxy.pause();
    const attempts = proxy.connectionAttempts;
    await expect(open(url)).rejects.toThrow();
    expect(proxy.connectionAttempts).toBe(attempts + 1);
    proxy.resume();
    const link = await open(url);
    link.ws.close(1000);
    expect(await link.closed).toBe(1000);
  });

  it('stalls open links (nothing passes, not even a close) while new ones work', async () => {
    const stalled = await open(url);
    proxy.stall();
    stalled.ws.send('lost');
    const fresh = await open(url);
    fresh.ws.send('fine');
    await waitUntil('the fresh link’s echo', () => fresh.got.includes('fine'));
    for (const ws of echo.clients) ws.terminate(); // the server gives up on both
    expect(await fresh.closed).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stalled.got).toEqual([]);
    expect(stalled.ws.readyState).toBe(WebSocket.OPEN);
    stalled.ws.terminate();
  });

  it('holds the server’s answers back while delayed, in order, and lets them through after', async () => {
    const link = await open(url);
    proxy.delayServer(400);
    link.ws.send('one');
    link.ws.send('two');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(link.got).toEqual([]);
    proxy.delayServer(0);
    link.ws.send('three');
    await waitUntil('all answers', () => link.got.length === 3);
    expect(link.got).toEqual(['one', 'two', 'three']);
    link.ws.close(1000);
    await link.closed;
  });
});
