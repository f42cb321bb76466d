import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

const typingOf = (cid: string, userId: string) => (f: Frame) =>
  (f.type === 'typing.start' || f.type === 'typing.stop') && f.cid === cid && f.user_id === userId;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: typing indicators`, () => {
    // The default 7 s expiry keeps states alive for the explicit tests; a second server
    // with a short expiry shows a forgotten state end by itself without a 7 s wait.
    let server: TestServer;
    let quickExpiry: TestServer;
    const open: TestClient[] = [];

    beforeAll(async () => {
      [server, quickExpiry] = await Promise.all([
        TestServer.start(kind),
        TestServer.start(kind, { typingTimeoutMs: 300 }),
      ]);
      await server.createUsers('alice', 'bob', 'carol');
      await quickExpiry.createUsers('alice', 'bob', 'carol');
    });

    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await Promise.all([server?.close(), quickExpiry?.close()]);
    });

    /** A fresh channel of alice, bob and carol, watched by alice and bob. */
    async function room(id: string, on = server) {
      const cid = await on.createChannel('team', id, ['alice', 'bob', 'carol']);
      const alice = await on.connect('alice');
      const bob = await on.connect('bob');
      open.push(alice, bob);
      await alice.watch(cid);
      await bob.watch(cid);
      return { cid, alice, bob };
    }

    it('shows typing.start and typing.stop to the other watchers but not to the typist', async () => {
      const { cid, alice, bob } = await room('start-stop');

      await alice.request({ type: 'typing.start', cid });
      const start = await bob.waitFor(typingOf(cid, 'alice'));
      expect(start.type).toBe('typing.start');

      await alice.request({ type: 'typing.stop', cid });
      await bob.waitFor((f) => typingOf(cid, 'alice')(f) && f.type === 'typing.stop');
      expect(bob.frames.filter(typingOf(cid, 'alice')).map((f) => f.type)).toEqual([
        'typing.start',
        'typing.stop',
      ]);
      // The server answers a typing frame only after relaying it, so had anything been
      // relayed to Alice herself it would have arrived before her answers.
      expect(alice.frames.filter((f) => f.type.startsWith('typing.'))).toEqual([]);
    });

    it('lists who is typing in the channel.watch result', async () => {
      const { cid, alice } = await room('watch-list');
      const carol = await server.connect('carol');
      open.push(carol);

      await alice.request({ type: 'typing.start', cid });
      const whileTyping = await carol.watch(cid);
      expect(whileTyping.typing).toEqual(['alice']);

      await alice.request({ type: 'typing.stop', cid });
      const afterStop = await carol.watch(cid);
      expect(afterStop.typing).toEqual([]);
    });

    it('ends a typing state that never gets a stop after the timeout', async () => {
      const { cid, alice, bob } = await room('expiry', quickExpiry);

      await alice.request({ type: 'typing.start', cid });
      await bob.waitFor((f) => typingOf(cid, 'alice')(f) && f.type === 'typing.start');
      // Alice sends nothing more: the server ends her state by itself.
      await bob.waitFor((f) => typingOf(cid, 'alice')(f) && f.type === 'typing.stop');
      expect(bob.frames.filter(typingOf(cid, 'alice')).map((f) => f.type)).toEqual([
        'typing.start',
        'typing.stop',
      ]);
      expect((await bob.watch(cid)).typing).toEqual([]);
      await alice.ping();
      expect(alice.frames.filter((f) => f.type.startsWith('typing.'))).toEqual([]);
    });

    it('ends the sender’s typing state when they send a message', async () => {
      const { cid, alice, bob } = await room('send-ends');

      await alice.request({ type: 'typing.start', cid });
      await bob.waitFor(typingOf(cid, 'alice'));
      const sent = await alice.sendMessage(cid, 'done typing');

      const stop = await bob.waitFor((f) => typingOf(cid, 'alice')(f) && f.type === 'typing.stop');
      const message = await bob.waitFor((f) => f.type === 'message.new' && f.cid === cid);
      expect(message.message.id).toBe(sent.message.id);
      // The message comes first, so a client never shows "typing…" under its own message.
      expect(bob.frames.indexOf(message)).toBeLessThan(bob.frames.indexOf(stop));
      expect((await bob.watch(cid)).typing).toEqual([]);
      expect(alice.frames.filter((f) => f.type.startsWith('typing.'))).toEqual([]);
    });

    it('ends the typing state when the typist’s connection closes', async () => {
      const { cid, alice, bob } = await room('close-ends');

      await alice.request({ type: 'typing.start', cid });
      await bob.waitFor(typingOf(cid, 'alice'));
      await alice.close();

      await bob.waitFor((f) => typingOf(cid, 'alice')(f) && f.type === 'typing.stop');
      expect((await bob.watch(cid)).typing).toEqual([]);
    });

    it('does not show a typist to members who do not watch the channel', async () => {
      const { cid, alice } = await room('not-watching');
      const carol = await server.connect('carol');
      open.push(carol);

      await alice.request({ type: 'typing.start', cid });
      await alice.request({ type: 'typing.stop', cid });
      // Both relays happened before Alice's answers; Carol's pong follows them.
      await carol.ping();
      expect(carol.frames.filter((f) => f.type.startsWith('typing.'))).toEqual([]);
    });
  });
}
