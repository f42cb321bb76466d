import { ChatError } from '@parley/protocol/codes';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenSource } from '../token-source.js';
import { Connection, type NetworkEvents } from './connection.js';
import type { ConnectionChangedEvent } from './connection-state.js';
import { FakeNetwork, FakeSocket } from './fake-socket.test-helper.js';

function setup(network: NetworkEvents | null = null) {
  const states: string[] = [];
  const changes: ConnectionChangedEvent[] = [];
  const errors: ChatError[] = [];
  const connection = new Connection(
    {
      url: 'ws://chat.test/connect',
      apiKey: 'pk',
      WebSocket: FakeSocket,
      backoff: { minDelayMs: 100, maxDelayMs: 1_000 },
      requestTimeoutMs: 5_000,
      connectTimeoutMs: 3_000,
      networkEvents: network,
    },
    {
      ok: () => {},
      state: (e) => {
        states.push(`${e.previous}→${e.state}`);
        changes.push(e);
      },
      event: () => {},
      error: (e) => errors.push(e),
    },
  );
  return { connection, states, changes, errors };
}

/** Lets the token promise and socket microtasks run. */
const tick = () => vi.advanceTimersByTimeAsync(0);

describe('Connection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  it('connects with the token and api key, and reports each state change once', async () => {
    const { connection, states } = setup();
    connection.start(new TokenSource('tok en'));
    await tick();
    expect(FakeSocket.last.url).toBe('ws://chat.test/connect?token=tok%20en&api_key=pk');
    FakeSocket.last.ok();
    expect(connection.state).toBe('connected');
    expect(states).toEqual(['idle→connecting', 'connecting→connected']);
  });

  it('reconnects with backoff after a lost link, staying "reconnecting" through failed attempts', async () => {
    const { connection, states } = setup();
    connection.start(new TokenSource('t'));
    await tick();
    FakeSocket.last.ok();
    FakeSocket.last.serverClose(1006);
    expect(connection.state).toBe('reconnecting');
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1_000); // longest backoff
      FakeSocket.last.serverClose(1006); // refused again
    }
    await vi.advanceTimersByTimeAsync(1_000);
    FakeSocket.last.ok();
    expect(FakeSocket.all).toHaveLength(5);
    expect(states).toEqual([
      'idle→connecting',
      'connecting→connected',
      'connected→reconnecting',
      'reconnecting→connected',
    ]);
  });

  for (const [code, why] of [
    [4000, 'a node shutting down'],
    [4005, 'a node asking its clients to resync'],
  ] as const) {
    it(`reconnects at once, with no error, after ${why} (${code})`, async () => {
      const { connection, changes, errors } = setup();
      connection.start(new TokenSource('t'));
      await tick();
      FakeSocket.last.ok();
      FakeSocket.last.serverClose(code);
      expect(connection.state).toBe('reconnecting');
      await tick(); // no backoff wait: the next attempt starts in this turn
      expect(FakeSocket.all).toHaveLength(2);
      FakeSocket.last.ok();
      expect(connection.state).toBe('connected');
      expect(changes.map((c) => c.error)).toEqual([undefined, undefined, undefined, undefined]);
      expect(errors).toEqual([]);
    });
  }

  it('stops for good on a permanent refusal, with the error frame’s code, and leaves no timer', async () => {
    const { connection, changes } = setup();
    connection.start(new TokenSource('forged'));
    await tick();
    FakeSocket.last.frame({ type: 'error', error: { code: 'token_invalid', message: 'bad' } });
    FakeSocket.last.serverClose(4500, 'token_invalid');
    expect(connection.state).toBe('disconnected');
    expect(changes.at(-1)?.error).toMatchObject({ code: 'token_invalid' });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('stops on an expired static token, but asks a token provider again and goes on', async () => {
    const fixed = setup();
    fixed.connection.start(new TokenSource('t'));
    await tick();
    FakeSocket.last.ok();
    FakeSocket.last.serverClose(4003, 'token_expired');
    expect(fixed.connection.state).toBe('disconnected');
    expect(fixed.changes.at(-1)?.error).toMatchObject({ code: 'token_expired' });

    let calls = 0;
    const provided = setup();
    provided.connection.start(new TokenSource(async () => `token-${++calls}`));
    await tick();
    FakeSocket.last.ok();
    FakeSocket.last.serverClose(4003, 'token_expired');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    expect(FakeSocket.last.url).toContain('token=token-2');
    FakeSocket.last.ok();
    expect(provided.connection.state).toBe('connected');
  });

  it('treats two heartbeat intervals of silence as a dead link and reconnects', async () => {
    const { connection } = setup();
    connection.start(new TokenSource('t'));
    await tick();
    const first = FakeSocket.last;
    first.ok(1_000);
    await vi.advanceTimersByTimeAsync(1_500);
    first.frame({ type: 'health.check', created_at: '' }); // keeps it alive
    await vi.advanceTimersByTimeAsync(1_900);
    expect(connection.state).toBe('connected');
    await vi.advanceTimersByTimeAsync(200);
    expect(connection.state).toBe('reconnecting');
    expect(first.closedWith).toBe(4001);
  });

  it('gives up on an attempt that gets no connection.ok within connectTimeoutMs', async () => {
    const { connection } = setup();
    connection.start(new TokenSource('t'));
    await tick();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(connection.state).toBe('reconnecting');
    expect(FakeSocket.all[0]!.closedWith).toBeDefined();
  });

  it('buffers requests until connected, matches answers by req_id, and times out with a retryable error', async () => {
    const { connection } = setup();
    connection.start(new TokenSource('t'));
    await tick();
    const watch = connection.request({ type: 'channel.watch', cid: 'a:b' });
    const late = connection
      .request<never>({ type: 'channel.events', cid: 'a:b', since_seq: 0 })
      .catch((e: unknown) => e as ChatError);
    expect(FakeSocket.last.sent).toEqual([]);
    FakeSocket.last.ok(60_000);
    const [first, second] = FakeSocket.last.sent as [any, any];
    expect(first).toMatchObject({ type: 'channel.watch', cid: 'a:b' });
    FakeSocket.last.frame({ type: 'response', req_id: first.req_id, result: { ok: 1 } });
    await expect(watch).resolves.toEqual({ ok: 1 });
    expect(second.req_id).not.toBe(first.req_id);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(connection.state).toBe('connected');
    await vi.advanceTimersByTimeAsync(100);
    expect(await late).toMatchObject({ code: 'network_error', retryable: true });
    expect((await late).message).toContain('no answer to channel.events within 5000 ms');
  });

  it('fails requests in flight when the link is lost, with a retryable error', async () => {
    const { connection } = setup();
    connection.start(new TokenSource('t'));
    await tick();
    FakeSocket.last.ok();
    const request = connection.request({ type: 'channel.read', cid: 'a:b' });
    FakeSocket.last.serverClose(1006);
    await expect(request).rejects.toMatchObject({ code: 'network_error' });
  });

  it('goes offline on the network’s word, makes no attempt until online, then reconnects', async () => {
    const network = new FakeNetwork();
    const { connection, states } = setup(network);
    connection.start(new TokenSource('t'));
    await tick();
    FakeSocket.last.ok();
    network.fire('offline');
    expect(connection.state).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    network.fire('online');
    await tick();
    FakeSocket.last.ok();
    expect(states.slice(2)).toEqual([
      'connected→offline',
      'offline→reconnecting',
      'reconnecting→connected',
    ]);
  });

  it('tries at once when the network comes back during a long backoff', async () => {
    const network = new FakeNetwork();
    const { connection } = setup(network);
    connection.start(new TokenSource('t'));
    await tick();
    FakeSocket.last.serverClose(1006);
    expect(connection.state).toBe('reconnecting');
    network.fire('online');
    await tick();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.ok();
    expect(connection.state).toBe('connected');
  });

  it('tryNow() skips the backoff wait, and does nothing while connected or connecting', async () => {
    const { connection } = setup();
    connection.start(new TokenSource('t'));
    await tick();
    connection.tryNow(); // connecting: no second socket
    expect(FakeSocket.all).toHaveLength(1);
    FakeSocket.last.ok();
    connection.tryNow(); // connected: nothing
    expect(FakeSocket.all).toHaveLength(1);
    FakeSocket.last.serverClose(1006);
    expect(connection.state).toBe('reconnecting');
    connection.tryNow();
    await tick();
    expect(FakeSocket.all).toHaveLength(2);
    connection.tryNow(); // that attempt is under way
    await tick();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.ok();
    expect(connection.state).toBe('connected');
  });

  it('tryNow() while offline tries anyway', async () => {
    const network = new FakeNetwork();
    const { connection } = setup(network);
    connection.start(new TokenSource('t'));
    await tick();
    FakeSocket.last.ok();
    network.fire('offline');
    connection.tryNow();
    await tick();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.ok();
    expect(connection.state).toBe('connected');
  });

  it('stop() closes with 1000, rejects requests, and leaves no timer or listener behind', async () => {
    const network = new FakeNetwork();
    const { connection } = setup(network);
    connection.start(new TokenSource('t'));
    await tick();
    const socket = FakeSocket.last;
    socket.ok();
    const request = connection.request({ type: 'channel.watch', cid: 'a:b' }).catch((e) => e);
    const stopped = connection.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
    expect(await request).toBeInstanceOf(ChatError);
    expect(connection.state).toBe('disconnected');
    expect(socket.closedWith).toBe(1000);
    expect(socket.listenerCount).toBe(0);
    expect(network.count).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await expect(connection.request({ type: 'ping' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});
