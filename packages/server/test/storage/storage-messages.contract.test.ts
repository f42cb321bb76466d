import { beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelNotFoundError,
  MessageIdConflictError,
  NotMemberError,
  channelCursorOf,
} from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import {
  addedEvent,
  readEvent,
  removedEvent,
  useContractStorage,
} from '../helpers/storage-contract.js';
import { PLAIN, T0, messageEvent } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: storage of messages and events`, () => {
    const world = useContractStorage(kind);
    const { channelOf, send, sendOne } = world;
    let storage: Storage;
    beforeEach(() => {
      storage = world.storage;
    });

    describe('messages and events', () => {
      it('sendMessage gives strictly increasing seqs shared with the event log and stores the built payload', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        const first = await send(channel.cid, 'alice', 'm1', T0 + 1);
        await storage.addMembers(channel.cid, [], T0, addedEvent);
        await storage.removeMembers(channel.cid, ['bob'], T0 + 2, removedEvent);
        const second = await send(channel.cid, 'alice', 'm2', T0 + 3);

        expect(first.duplicate).toBe(false);
        expect(first.message).toEqual({
          id: 'm1',
          cid: channel.cid,
          seq: 1,
          type: 'regular',
          userId: 'alice',
          text: 'm1',
          data: {},
          createdAt: T0 + 1,
          updatedAt: T0 + 1,
          ...PLAIN,
        });
        expect(first.event).toEqual({
          cid: channel.cid,
          seq: 1,
          type: 'message.new',
          createdAt: T0 + 1,
          payload: messageEvent({ message: first.message, thread: null, quoted: null }, 1, T0 + 1),
          messageId: first.message.id,
        });
        expect(second.message.seq).toBe(3);
        const events = await storage.getEvents(channel.cid, 0, 10);
        expect(events.map((e) => [e.seq, e.type])).toEqual([
          [1, 'message.new'],
          [2, 'member.removed'],
          [3, 'message.new'],
        ]);
        expect(events[2]).toEqual(second.event);
        expect(await storage.getChannel(channel.cid)).toMatchObject({
          lastSeq: 3,
          lastMessageAt: T0 + 3,
          updatedAt: T0 + 3,
        });
      });

      it('sendMessage moves the author’s read position to the new message, without an event', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1', T0 + 1);
        await send(channel.cid, 'bob', 'm2', T0 + 2);
        expect(await storage.getMember(channel.cid, 'bob')).toMatchObject({
          lastReadSeq: 2,
          lastReadMessageId: 'm2',
          lastReadAt: T0 + 2,
        });
        expect(await storage.getMember(channel.cid, 'alice')).toMatchObject({
          lastReadSeq: 1,
          lastReadMessageId: 'm1',
        });
        expect((await storage.getEvents(channel.cid, 0, 10)).map((e) => e.type)).toEqual([
          'message.new',
          'message.new',
        ]);
      });

      it('sending the same message id twice returns the stored message and stores nothing new', async () => {
        const channel = await channelOf('c', ['alice']);
        const first = await send(channel.cid, 'alice', 'm1', T0, 'hello');
        const retry = await send(channel.cid, 'alice', 'm1', T0 + 50, 'hello again');
        expect(retry).toEqual({ message: first.message, event: null, duplicate: true });
        expect(await storage.getChannel(channel.cid)).toMatchObject({ lastSeq: 1 });
        expect(await storage.getMessages(channel.cid, { limit: 10 })).toEqual([first.message]);
        expect(await storage.getEvents(channel.cid, 0, 10)).toHaveLength(1);
        // The next message takes the next seq: the retry used none.
        expect((await send(channel.cid, 'alice', 'm2')).message.seq).toBe(2);
      });

      it('a system message id sent twice is a duplicate too', async () => {
        const channel = await channelOf('c', ['alice']);
        await send(channel.cid, null, 'sys1');
        expect((await send(channel.cid, null, 'sys1')).duplicate).toBe(true);
      });

      it('a message id used in another channel or by another author throws MessageIdConflictError', async () => {
        const one = await channelOf('one', ['alice', 'bob']);
        const two = await channelOf('two', ['alice']);
        await send(one.cid, 'alice', 'm1');
        await expect(send(two.cid, 'alice', 'm1')).rejects.toEqual(
          new MessageIdConflictError('m1'),
        );
        await expect(send(one.cid, 'bob', 'm1')).rejects.toBeInstanceOf(MessageIdConflictError);
        await expect(send(one.cid, null, 'm1')).rejects.toBeInstanceOf(MessageIdConflictError);
        expect((await storage.getChannel(one.cid))?.lastSeq).toBe(1);
        expect((await storage.getChannel(two.cid))?.lastSeq).toBe(0);
      });

      it('50 concurrent sends in one channel get seqs 1..50 with no gap or duplicate', async () => {
        const channel = await channelOf('busy', ['alice', 'bob']);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            send(channel.cid, i % 2 === 0 ? 'alice' : 'bob', `m${i}`),
          ),
        );
        const seqs = results.map((r) => r.message.seq).sort((x, y) => x - y);
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        for (const r of results) expect(r.event?.seq).toBe(r.message.seq);
        const events = await storage.getEvents(channel.cid, 0, 100);
        expect(events.map((e) => e.seq)).toEqual(seqs);
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(50);
      });

      it('concurrent sends of one id store it once and report the others as duplicates', async () => {
        const channel = await channelOf('c', ['alice']);
        const results = await Promise.all(
          Array.from({ length: 5 }, () => send(channel.cid, 'alice', 'same')),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(1);
      });

      it('sendMessage to a channel that does not exist throws ChannelNotFoundError', async () => {
        await storage.ensureUser('alice', T0);
        await expect(send('messaging:none', 'alice', 'm1')).rejects.toEqual(
          new ChannelNotFoundError('messaging:none'),
        );
        expect(await storage.getMessage('m1')).toBeNull();
      });

      it('a failing event builder leaves no message, event or seq behind', async () => {
        const channel = await channelOf('c', ['alice']);
        const failing = sendOne(
          {
            id: 'm1',
            cid: channel.cid,
            type: 'regular',
            userId: 'alice',
            text: 'x',
            data: {},
            createdAt: T0,
          },
          () => {
            throw new Error('builder failed');
          },
        );
        await expect(failing).rejects.toThrow('builder failed');
        expect(await storage.getMessage('m1')).toBeNull();
        expect(await storage.getChannel(channel.cid)).toEqual(channel);
        expect(await storage.getMember(channel.cid, 'alice')).toMatchObject({ lastReadSeq: 0 });
      });

      it('a message’s custom data and text round-trip unchanged', async () => {
        const channel = await channelOf('c', ['alice']);
        const data = {
          attachments: [{ type: 'image', url: 'https://x/y.png', size: 12345 }],
          nested: { flag: true, none: null, ratio: 0.5, emoji: '🎉 ünïcödé' },
        };
        const text = '<script>alert("x")</script> \'quotes\' and 改行\nnewline';
        await sendOne({
          id: 'm1',
          cid: channel.cid,
          type: 'regular',
          userId: 'alice',
          text,
          data,
          createdAt: T0,
        });
        expect(await storage.getMessage('m1')).toMatchObject({ text, data });
      });

      it('keeps times as epoch-millisecond numbers', async () => {
        const at = 1_893_456_000_123; // 2030-01-01T00:00:00.123Z
        const channel = await channelOf('c', ['alice'], at);
        const { message, event } = await send(channel.cid, 'alice', 'm1', at + 1);
        const stored = [
          (await storage.getUsers(['alice']))[0]?.createdAt,
          (await storage.getChannel(channel.cid))?.createdAt,
          (await storage.getChannel(channel.cid))?.lastMessageAt,
          (await storage.getMember(channel.cid, 'alice'))?.lastReadAt,
          (await storage.getMessage(message.id))?.createdAt,
          (await storage.getEvents(channel.cid, 0, 1))[0]?.createdAt,
        ];
        expect(stored).toEqual([at, at, at + 1, at + 1, at + 1, at + 1]);
        for (const value of stored) expect(typeof value).toBe('number');
        expect(event?.createdAt).toBe(at + 1);
      });

      it('an imported message keeps its createdAt, its seq still orders it, and activity follows it', async () => {
        const channel = await channelOf('c', ['alice'], T0 + 1_000_000);
        await send(channel.cid, 'alice', 'old1', T0 + 10);
        await send(channel.cid, 'alice', 'old2', T0 + 20);
        const messages = await storage.getMessages(channel.cid, { limit: 10 });
        expect(messages.map((m) => [m.id, m.seq, m.createdAt])).toEqual([
          ['old1', 1, T0 + 10],
          ['old2', 2, T0 + 20],
        ]);
        const stored = await storage.getChannel(channel.cid);
        expect(stored?.lastMessageAt).toBe(T0 + 20);
        expect(channelCursorOf(stored!).activityAt).toBe(T0 + 20);

        // A channel created later but with older messages sorts after a newer conversation.
        const recent = await channelOf('recent', ['alice'], T0 + 100);
        await send(recent.cid, 'alice', 'r1', T0 + 500);
        const list = await storage.queryChannels({ userId: 'alice', limit: 10 });
        expect(list.map((ch) => ch.cid)).toEqual([recent.cid, channel.cid]);
      });

      it('getMessages returns pages oldest first: latest, before a seq, and after a seq', async () => {
        const channel = await channelOf('c', ['alice']);
        for (let i = 1; i <= 10; i++) await send(channel.cid, 'alice', `m${i}`, T0 + i);
        const seqs = async (page: Parameters<Storage['getMessages']>[1]) =>
          (await storage.getMessages(channel.cid, page)).map((m) => m.seq);

        expect(await seqs({ limit: 3 })).toEqual([8, 9, 10]);
        expect(await seqs({ limit: 3, beforeSeq: 8 })).toEqual([5, 6, 7]);
        expect(await seqs({ limit: 3, beforeSeq: 3 })).toEqual([1, 2]);
        expect(await seqs({ limit: 3, afterSeq: 0 })).toEqual([1, 2, 3]);
        expect(await seqs({ limit: 3, afterSeq: 8 })).toEqual([9, 10]);
        expect(await seqs({ limit: 3, afterSeq: 10 })).toEqual([]);
        expect(await seqs({ limit: 100 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });

      it('markRead moves the read position forward only, with a message.read event', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        for (let i = 1; i <= 3; i++) await send(channel.cid, 'alice', `m${i}`, T0 + i);

        const moved = await storage.markRead(
          channel.cid,
          'bob',
          { seq: 2, messageId: 'm2' },
          T0 + 10,
          readEvent,
        );
        expect(moved.member).toMatchObject({
          lastReadSeq: 2,
          lastReadMessageId: 'm2',
          lastReadAt: T0 + 10,
        });
        expect(moved.event).toEqual({
          cid: channel.cid,
          seq: 4,
          type: 'message.read',
          createdAt: T0 + 10,
          payload: readEvent(moved.member, 4, T0 + 10),
          messageId: null,
        });
        expect(await storage.getEvents(channel.cid, 3, 10)).toEqual([moved.event]);

        for (const seq of [2, 1]) {
          const still = await storage.markRead(
            channel.cid,
            'bob',
            { seq, messageId: `m${seq}` },
            T0 + 20,
            readEvent,
          );
          expect(still).toEqual({ member: moved.member, event: null });
        }
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(4);
      });

      it('concurrent markRead calls to one position store one event', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1');
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            storage.markRead(channel.cid, 'bob', { seq: 1, messageId: 'm1' }, T0, readEvent),
          ),
        );
        expect(results.filter((r) => r.event !== null)).toHaveLength(1);
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(2);
      });

      it('markRead by a non-member throws NotMemberError, in a missing channel ChannelNotFoundError', async () => {
        const channel = await channelOf('c', ['alice']);
        await storage.ensureUser('eve', T0);
        const upTo = { seq: 1, messageId: null };
        await expect(storage.markRead(channel.cid, 'eve', upTo, T0, readEvent)).rejects.toEqual(
          new NotMemberError(channel.cid, 'eve'),
        );
        await expect(
          storage.markRead('messaging:none', 'alice', upTo, T0, readEvent),
        ).rejects.toBeInstanceOf(ChannelNotFoundError);
      });

      it('getEvents returns the events after sinceSeq, in order, at most limit', async () => {
        const channel = await channelOf('c', ['alice']);
        for (let i = 1; i <= 6; i++) await send(channel.cid, 'alice', `m${i}`);
        const seqs = async (since: number, limit: number) =>
          (await storage.getEvents(channel.cid, since, limit)).map((e) => e.seq);
        expect(await seqs(0, 100)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(await seqs(2, 3)).toEqual([3, 4, 5]);
        expect(await seqs(5, 10)).toEqual([6]);
        expect(await seqs(6, 10)).toEqual([]);
        expect(await storage.getEvents('messaging:none', 0, 10)).toEqual([]);
      });

      it('getUnreadCounts counts others’ and system messages after the read position', async () => {
        const one = await channelOf('one', ['alice', 'bob']);
        const two = await channelOf('two', ['alice', 'bob']);
        const quiet = await channelOf('quiet', ['alice', 'bob']);
        await send(one.cid, 'bob', 'b1');
        await send(one.cid, 'alice', 'a1');
        await send(one.cid, 'bob', 'b2');
        await send(one.cid, null, 'sys1');
        await send(two.cid, 'bob', 'b3');
        await send(quiet.cid, 'alice', 'a2');

        const counts = (n: number) => ({ unread: n, mentions: 0 });
        expect(await storage.getUnreadCounts('alice')).toEqual(
          new Map([
            [one.cid, counts(2)], // a1 moved alice's read position past b1: b2 and sys1 remain.
            [two.cid, counts(1)],
          ]),
        );
        expect(await storage.getUnreadCounts('alice', [two.cid, quiet.cid])).toEqual(
          new Map([[two.cid, counts(1)]]),
        );
        expect(await storage.getUnreadCounts('alice', [])).toEqual(new Map());
        expect(await storage.getUnreadCounts('bob')).toEqual(
          new Map([
            [one.cid, counts(1)], // b2 moved bob's read position past a1: sys1 remains.
            [quiet.cid, counts(1)],
          ]),
        );
        await storage.markRead(one.cid, 'alice', { seq: 4, messageId: 'sys1' }, T0, readEvent);
        expect(await storage.getUnreadCounts('alice')).toEqual(new Map([[two.cid, counts(1)]]));
      });
    });
  });
}
