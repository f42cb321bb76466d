import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

const readBy = (userId: string) => (f: Frame) => f.type === 'message.read' && f.user_id === userId;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: read state and unread counts`, () => {
    let server: TestServer;
    const open: TestClient[] = [];

    beforeAll(async () => {
      server = await TestServer.start(kind);
    });

    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await server?.close();
    });

    async function connect(userId: string, watch?: string): Promise<TestClient> {
      const client = await server.connect(userId);
      open.push(client);
      if (watch !== undefined) await client.watch(watch);
      return client;
    }

    async function as(userId: string, method: string, path: string, body?: unknown) {
      return server.api(method, path, { token: await server.tokenFor(userId), body });
    }

    /** Sends over REST as the user; returns the stored message. */
    async function post(userId: string, cid: string, text: string) {
      const res = await as(userId, 'POST', `/channels/${cid.replace(':', '/')}/messages`, { text });
      expect(res.status).toBe(201);
      return res.body.message as { id: string; seq: number };
    }

    it('counts unread messages per channel and in total wherever a client looks', async () => {
      await server.createUsers('ada', 'bo');
      const first = await server.createChannel('team', 'count-1', ['ada', 'bo']);
      const second = await server.createChannel('team', 'count-2', ['ada', 'bo']);
      for (let i = 1; i <= 3; i++) await post('bo', first, `first ${i}`);
      for (let i = 1; i <= 2; i++) await post('bo', second, `second ${i}`);

      const expected = {
        total_unread_count: 5,
        unread_channels: 2,
        total_unread_mentions: 0,
        channels: [
          { cid: first, unread_count: 3, unread_mentions: 0 },
          { cid: second, unread_count: 2, unread_mentions: 0 },
        ],
      };
      expect((await as('ada', 'GET', '/unread')).body).toEqual(expected);
      expect((await server.api('GET', '/unread?user_id=ada')).body).toEqual(expected);

      const ada = await connect('ada');
      const ok = await ada.waitFor((f) => f.type === 'connection.ok');
      expect(ok.unread).toEqual(expected);

      expect((await as('ada', 'GET', '/channels/team/count-1')).body.unread_count).toBe(3);
      expect((await ada.watch(second)).unread_count).toBe(2);
      const listed = (await as('ada', 'GET', '/channels?type=team')).body.channels as {
        channel: { cid: string };
        unread_count: number;
      }[];
      expect(
        Object.fromEntries(listed.map((state) => [state.channel.cid, state.unread_count])),
      ).toEqual({ [first]: 3, [second]: 2 });
    });

    it('starts a member added later with the earlier history read', async () => {
      await server.createUsers('nina', 'omar', 'pia');
      const cid = await server.createChannel('team', 'late', ['nina', 'omar']);
      for (const text of ['one', 'two', 'three']) await post('nina', cid, text);

      const added = await server.api('POST', '/channels/team/late/members', {
        body: { user_ids: ['pia'] },
      });
      expect(added.status).toBe(200);
      const state = await as('pia', 'GET', '/channels/team/late');
      expect(state.body.unread_count).toBe(0);
      expect(state.body.messages.map((m: { text: string }) => m.text)).toEqual([
        'one',
        'two',
        'three',
      ]);

      await post('nina', cid, 'welcome, pia');
      expect((await as('pia', 'GET', '/unread')).body.channels).toEqual([
        { cid, unread_count: 1, unread_mentions: 0 },
      ]);
    });

    it('never counts a user’s own messages as unread', async () => {
      await server.createUsers('cy', 'dee');
      const cid = await server.createChannel('team', 'own', ['cy', 'dee']);
      for (let i = 1; i <= 3; i++) await post('cy', cid, `mine ${i}`);

      const cyUnread = await as('cy', 'GET', '/unread');
      expect(cyUnread.body).toEqual({
        total_unread_count: 0,
        unread_channels: 0,
        total_unread_mentions: 0,
        channels: [],
      });
      expect((await as('cy', 'GET', '/channels/team/own')).body.unread_count).toBe(0);
      expect((await as('dee', 'GET', '/unread')).body.total_unread_count).toBe(3);

      await post('dee', cid, 'an answer');
      expect((await as('cy', 'GET', '/unread')).body.total_unread_count).toBe(1);
      // Answering means having read what came before.
      await post('cy', cid, 'thanks');
      expect((await as('cy', 'GET', '/unread')).body.total_unread_count).toBe(0);
    });

    it('marks read over REST, telling watchers and the reader’s connections', async () => {
      await server.createUsers('eli', 'fox');
      const cid = await server.createChannel('team', 'rest-read', ['eli', 'fox']);
      const fox = await connect('fox', cid);
      const eliWatching = await connect('eli', cid);
      const eliElsewhere = await connect('eli');
      const sent = [];
      for (let i = 1; i <= 3; i++) sent.push((await fox.sendMessage(cid, `news ${i}`)).message);
      const latest = sent[2]!;

      const res = await as('eli', 'POST', '/channels/team/rest-read/read', {});
      expect(res.status).toBe(200);
      expect(res.body.read).toMatchObject({
        user_id: 'eli',
        last_read_message_id: latest.id,
        last_read_seq: latest.seq,
      });
      expect(res.body.unread_count).toBe(0);
      expect(res.body.total_unread_count).toBe(0);
      expect(res.body.unread_channels).toBe(0);

      for (const watcher of [fox, eliWatching]) {
        const event = await watcher.waitFor(readBy('eli'));
        expect(event).toMatchObject({
          cid,
          last_read_message_id: latest.id,
          last_read_seq: latest.seq,
          seq: latest.seq + 1,
        });
      }
      const note = await eliElsewhere.waitFor((f) => f.type === 'notification.mark_read');
      expect(note).toMatchObject({
        cid,
        last_read_message_id: latest.id,
        last_read_seq: latest.seq,
        unread_count: 0,
        total_unread_count: 0,
        unread_channels: 0,
      });
      // The notification is Eli's own business; Fox sees only the read receipt.
      await fox.ping();
      expect(fox.ofType('notification.mark_read')).toEqual([]);
      expect(eliElsewhere.ofType('message.read')).toEqual([]);

      const state = await as('fox', 'GET', '/channels/team/rest-read');
      const eliRead = state.body.read.find((r: { user_id: string }) => r.user_id === 'eli');
      expect(eliRead).toMatchObject({ last_read_message_id: latest.id, last_read_seq: latest.seq });
      expect(eliRead.last_read_at).not.toBeNull();
    });

    it('marks read over the WebSocket up to a chosen message, leaving later ones unread', async () => {
      await server.createUsers('gus', 'hex');
      const cid = await server.createChannel('team', 'ws-read', ['gus', 'hex']);
      const hex = await connect('hex', cid);
      const gus = await connect('gus', cid);
      const gusElsewhere = await connect('gus');
      const sent = [];
      for (let i = 1; i <= 3; i++) sent.push((await hex.sendMessage(cid, `update ${i}`)).message);

      const partial = await gus.request({ type: 'channel.read', cid, message_id: sent[0].id });
      expect(partial.read.last_read_message_id).toBe(sent[0].id);
      expect(partial.read.last_read_seq).toBe(sent[0].seq);
      expect(partial.unread_count).toBe(2);
      expect(partial.total_unread_count).toBe(2);
      expect((await hex.waitFor(readBy('gus'))).last_read_message_id).toBe(sent[0].id);
      const firstNote = await gusElsewhere.waitFor((f) => f.type === 'notification.mark_read');
      expect(firstNote).toMatchObject({ last_read_message_id: sent[0].id, unread_count: 2 });
      expect((await as('gus', 'GET', '/unread')).body.total_unread_count).toBe(2);

      // Without message_id: up to the latest.
      const rest = await gus.request({ type: 'channel.read', cid });
      expect(rest.read.last_read_message_id).toBe(sent[2].id);
      expect(rest.unread_count).toBe(0);
      const receipts = await hex.waitForCount('message.read', 2, readBy('gus'));
      expect(receipts.map((f) => f.last_read_message_id)).toEqual([sent[0].id, sent[2].id]);
      const notes = await gusElsewhere.waitForCount('notification.mark_read', 2);
      expect(notes[1]).toMatchObject({ last_read_message_id: sent[2].id, unread_count: 0 });
      expect((await as('gus', 'GET', '/unread')).body.total_unread_count).toBe(0);
    });

    it('never moves a read position backwards, and an old mark-read sends nothing', async () => {
      await server.createUsers('ivy', 'jay');
      const cid = await server.createChannel('team', 'backwards', ['ivy', 'jay']);
      const jay = await connect('jay', cid);
      const ivy = await connect('ivy', cid);
      const sent = [];
      for (let i = 1; i <= 3; i++) sent.push(await post('jay', cid, `story ${i}`));
      const latest = sent[2]!;

      await as('ivy', 'POST', '/channels/team/backwards/read', {});
      const older = await as('ivy', 'POST', '/channels/team/backwards/read', {
        message_id: sent[0]!.id,
      });
      expect(older.status).toBe(200);
      expect(older.body.read.last_read_message_id).toBe(latest.id);
      expect(older.body.read.last_read_seq).toBe(latest.seq);
      expect(older.body.unread_count).toBe(0);
      const overWs = await ivy.request({ type: 'channel.read', cid, message_id: sent[1]!.id });
      expect(overWs.read.last_read_message_id).toBe(latest.id);
      // The same position again is no news either.
      await ivy.request({ type: 'channel.read', cid, message_id: latest.id });

      const next = await post('jay', cid, 'story 4');
      await as('ivy', 'POST', '/channels/team/backwards/read', {});
      const receipts = await jay.waitForCount('message.read', 2, readBy('ivy'));
      await jay.ping();
      expect(jay.frames.filter(readBy('ivy')).map((f) => f.last_read_message_id)).toEqual([
        latest.id,
        next.id,
      ]);
      expect(receipts[1]!.seq).toBe(next.seq + 1);
      const log = await as('ivy', 'GET', `/channels/team/backwards/events?since_seq=0`);
      expect(log.body.events.filter(readBy('ivy'))).toHaveLength(2);
    });
  });
}
