import { ChatError } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: sending with a client-chosen message id`, () => {
    let server: TestServer;
    let aliceToken: string;
    let alice: TestClient;
    let bob: TestClient;
    const open: TestClient[] = [];

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob');
      aliceToken = await server.tokenFor('alice');
      alice = await server.connect('alice');
      bob = await server.connect('bob');
      open.push(alice, bob);
    });

    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await server?.close();
    });

    /** A new channel of alice and bob, watched by bob. */
    async function channel(id: string): Promise<string> {
      const cid = await server.createChannel('team', id, ['alice', 'bob']);
      await bob.watch(cid);
      return cid;
    }

    function postAsAlice(cid: string, body: { id: string; text: string }) {
      return server.api('POST', `/channels/${cid.replace(':', '/')}/messages`, {
        token: aliceToken,
        body,
      });
    }

    /** What the channel holds and what Bob, watching, was sent. */
    async function observe(cid: string) {
      // A last message marks the end: Bob has had every event sent before it.
      const marker = await alice.sendMessage(cid, 'marker');
      await bob.waitFor((f) => f.type === 'message.new' && f.message.id === marker.message.id);
      await bob.ping();
      const history = await server.api('GET', `/channels/${cid.replace(':', '/')}/messages`);
      const stored = (history.body.messages as { id: string }[]).filter(
        (m) => m.id !== marker.message.id,
      );
      const delivered = bob
        .ofType('message.new')
        .filter((f) => f.cid === cid && f.message.id !== marker.message.id);
      const channelState = await server.api('GET', `/channels/${cid.replace(':', '/')}`);
      return {
        stored,
        delivered,
        // Events before the marker: a duplicate must not have taken a seq.
        lastSeqBeforeMarker: channelState.body.channel.last_seq - 1,
      };
    }

    it('stores a message sent twice over REST once and answers the retry with it', async () => {
      const cid = await channel('rest-twice');
      const first = await postAsAlice(cid, { id: 'rest-retry-1', text: 'hello' });
      expect(first.status).toBe(201);
      expect(first.body.duplicate).toBe(false);

      const retry = await postAsAlice(cid, { id: 'rest-retry-1', text: 'hello' });
      expect(retry.status).toBe(200);
      expect(retry.body.duplicate).toBe(true);
      expect(retry.body.message).toEqual(first.body.message);

      const { stored, delivered, lastSeqBeforeMarker } = await observe(cid);
      expect(stored.map((m) => m.id)).toEqual(['rest-retry-1']);
      expect(delivered.map((f) => f.message.id)).toEqual(['rest-retry-1']);
      expect(lastSeqBeforeMarker).toBe(first.body.message.seq);
    });

    it('stores a message sent twice over the WebSocket once, even with other text', async () => {
      const cid = await channel('ws-twice');
      const first = await alice.sendMessage(cid, 'original', 'ws-retry-1');
      expect(first.duplicate).toBe(false);

      // A retry answers with what is stored: the text of the first send wins.
      const retry = await alice.sendMessage(cid, 'edited before retry', 'ws-retry-1');
      expect(retry.duplicate).toBe(true);
      expect(retry.message.seq).toBe(first.message.seq);
      expect(retry.message.text).toBe('original');

      // And over REST, the same id is the same message.
      const overRest = await postAsAlice(cid, { id: 'ws-retry-1', text: 'original' });
      expect(overRest.status).toBe(200);
      expect(overRest.body.duplicate).toBe(true);
      expect(overRest.body.message.seq).toBe(first.message.seq);

      const { stored, delivered, lastSeqBeforeMarker } = await observe(cid);
      expect(stored.map((m) => m.id)).toEqual(['ws-retry-1']);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.message.text).toBe('original');
      expect(lastSeqBeforeMarker).toBe(first.message.seq);
    });

    it('stores one message when the same id is sent many times at once', async () => {
      const cid = await channel('concurrent');
      const body = { id: 'race-1', text: 'sent from a flaky network' };
      const secondTab = await server.connect('alice');
      open.push(secondTab);
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => postAsAlice(cid, body).then((r) => r.body)),
        ...Array.from({ length: 3 }, () => alice.sendMessage(cid, body.text, body.id)),
        ...Array.from({ length: 3 }, () => secondTab.sendMessage(cid, body.text, body.id)),
      ]);

      expect(answers.filter((a) => a.duplicate === false)).toHaveLength(1);
      expect(answers.filter((a) => a.duplicate === true)).toHaveLength(9);
      expect(new Set(answers.map((a) => a.message.seq)).size).toBe(1);

      const { stored, delivered, lastSeqBeforeMarker } = await observe(cid);
      expect(stored.map((m) => m.id)).toEqual(['race-1']);
      expect(delivered.map((f) => f.message.id)).toEqual(['race-1']);
      expect(lastSeqBeforeMarker).toBe(answers[0]!.message.seq);
    });

    it('refuses an id already used in another channel with 409 message_id_conflict', async () => {
      const home = await channel('conflict-home');
      const other = await channel('conflict-other');
      expect((await postAsAlice(home, { id: 'taken-1', text: 'here' })).status).toBe(201);

      const overRest = await postAsAlice(other, { id: 'taken-1', text: 'there' });
      expect(overRest.status).toBe(409);
      expect(overRest.body.error.code).toBe('message_id_conflict');
      const overWs = await alice.sendMessage(other, 'there', 'taken-1').catch((e: unknown) => e);
      expect(overWs).toBeInstanceOf(ChatError);
      expect((overWs as ChatError).code).toBe('message_id_conflict');

      const { stored, delivered } = await observe(other);
      expect(stored).toEqual([]);
      expect(delivered).toEqual([]);
    });

    it('refuses another author’s id in the same channel', async () => {
      const cid = await channel('conflict-author');
      expect((await postAsAlice(cid, { id: 'mine-1', text: 'by alice' })).status).toBe(201);

      const res = await bob.sendMessage(cid, 'by bob', 'mine-1').catch((e: unknown) => e);
      expect((res as ChatError).code).toBe('message_id_conflict');
      const { stored } = await observe(cid);
      expect(stored.map((m) => m.id)).toEqual(['mine-1']);
    });
  });
}
