import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { ClientPool, recordTransitions, settle, withTimeout } from './helpers/chat-harness.js';
import { ServerProcess } from './helpers/server-process.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { waitUntil } from './helpers/wait.js';

/** Counts of the resources that keep this process alive, by type (Timeout, TCPSocketWrap, …). */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo())
    counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/**
 * Resources above the baseline, e.g. `["Timeout +1"]`; empty when nothing was left behind.
 * Checked as soon as `disconnect()` resolves, with no wait: it waits for its socket to
 * close, and a short timer it forgot (markRead's 300 ms) would be gone after any wait.
 */
function leftOver(baseline: Map<string, number>): string[] {
  const extra: string[] = [];
  for (const [type, n] of activeResources()) {
    const more = n - (baseline.get(type) ?? 0);
    if (more > 0) extra.push(`${type} +${more}`);
  }
  return extra;
}

for (const kind of STORAGE_KINDS) {
  // The server runs in a child process, so every handle in this process is the test's or the client's.
  describe(`${kind}: disconnect leaves nothing behind`, () => {
    let server: ServerProcess;
    let proxy: TcpProxy;
    const pool = new ClientPool();

    beforeAll(async () => {
      server = await ServerProcess.start(kind);
      await server.createUsers('alice', 'bob');
      await server.createChannel('messaging', 'cleanup', ['alice', 'bob']);
      proxy = await TcpProxy.start(server.port);
    });
    afterEach(async () => {
      await pool.disconnectAll();
      proxy.resume();
    });
    afterAll(async () => {
      await proxy?.close();
      await server?.close();
    });

    it('leaves no timer or socket open after connect, watch, send, typing, markRead and disconnect', async () => {
      await (await fetch(`${server.url}/health`)).text(); // fetch's own lazily made state
      const baseline = activeResources();

      for (let round = 1; round <= 2; round += 1) {
        // Round 2: connectUser works again after disconnect, and cleans up again.
        const alice = pool.create(server.url);
        await alice.connectUser({ id: 'alice' }, server.tokenFor('alice'));
        const channel = alice.channel('messaging', 'cleanup');
        await channel.watch();
        await withTimeout(channel.sendMessage({ text: `round ${round}` }), 10_000, 'send');
        channel.keystroke(); // starts the 3 s typing.stop timer
        channel.markRead(); // starts the markRead coalescing timer
        await withTimeout(alice.disconnect(), 5_000, 'disconnect()');
        expect(alice.state).toBe('disconnected');
        expect(leftOver(baseline)).toEqual([]);
      }
      await settle(); // a timer that outlived disconnect() could still reconnect
      expect(leftOver(baseline)).toEqual([]);
    });

    it('rejects a first connectUser that cannot get through when disconnect() is called, and stops trying', async () => {
      const baseline = activeResources();
      proxy.pause();
      const alice = pool.create(proxy.url);
      const transitions = recordTransitions(alice);
      const connecting = alice.connectUser({ id: 'alice' }, server.tokenFor('alice'));
      const outcome = connecting.then(
        () => 'connected',
        (error: unknown) => error,
      );
      await waitUntil('refused first attempts', () => proxy.connectionAttempts >= 2);
      await withTimeout(alice.disconnect(), 5_000, 'disconnect()');
      expect(await withTimeout(outcome, 1_000, 'connectUser')).toMatchObject({
        code: 'network_error',
      });
      expect(alice.state).toBe('disconnected');
      expect(transitions[0]).toBe('idle→connecting');
      expect(transitions.at(-1)).toMatch(/→disconnected$/);
      expect(leftOver(baseline)).toEqual([]);
      const attemptsAtDisconnect = proxy.connectionAttempts;
      proxy.resume();
      await settle(700);
      expect(proxy.connectionAttempts).toBe(attemptsAtDisconnect);
    });

    it('clears the reconnect loop when disconnect() is called while reconnecting', async () => {
      const baseline = activeResources();
      const alice = pool.create(proxy.url);
      const transitions = recordTransitions(alice);
      await alice.connectUser({ id: 'alice' }, server.tokenFor('alice'));
      await alice.channel('messaging', 'cleanup').watch();

      proxy.pause();
      proxy.cut();
      const attempts = proxy.connectionAttempts;
      await waitUntil('refused reconnect attempts', () => proxy.connectionAttempts >= attempts + 2);
      expect(alice.state).toBe('reconnecting');
      await withTimeout(alice.disconnect(), 5_000, 'disconnect()');
      expect(alice.state).toBe('disconnected');
      expect(transitions.at(-1)).toBe('reconnecting→disconnected');

      const attemptsAtDisconnect = proxy.connectionAttempts;
      expect(leftOver(baseline)).toEqual([]);
      proxy.resume();
      await settle(700); // over twice the longest backoff (300 ms)
      expect(proxy.connectionAttempts).toBe(attemptsAtDisconnect);
      expect(alice.state).toBe('disconnected');
    });
  });
}
