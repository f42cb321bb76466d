import { beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelNotFoundError,
  UnknownUsersError,
  channelCursorOf,
} from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import {
  addedEvent,
  readEvent,
  removedEvent,
  updatedEvent,
  useContractStorage,
} from '../helpers/storage-contract.js';
import { T0 } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: storage of channels`, () => {
    const world = useContractStorage(kind);
    const { channelOf, send } = world;
    let storage: Storage;
    beforeEach(() => {
      storage = world.storage;
    });

    describe('channels', () => {
      it('getOrCreateChannel creates the channel with its members, then returns it untouched', async () => {
        await storage.upsertUsers([{ id: 'alice' }, { id: 'bob' }], T0);
        const created = await storage.getOrCreateChannel({
          cid: 'team:general',
          type: 'team',
          id: 'general',
          data: { name: 'General' },
          distinct: false,
          createdById: 'alice',
          members: [
            { userId: 'alice', role: 'owner' },
            { userId: 'bob', role: 'member' },
            { userId: 'bob', role: 'moderator' },
          ],
          now: T0,
        });
        expect(created).toEqual({
          created: true,
          channel: {
            cid: 'team:general',
            type: 'team',
            id: 'general',
            data: { name: 'General' },
            distinct: false,
            createdById: 'alice',
            createdAt: T0,
            updatedAt: T0,
            lastMessageAt: null,
            memberCount: 2,
            lastSeq: 0,
            frozen: false,
          },
        });
        expect(await storage.getMembers('team:general')).toEqual([
          {
            cid: 'team:general',
            userId: 'alice',
            role: 'owner',
            createdAt: T0,
            lastReadSeq: 0,
            lastReadMessageId: null,
            lastReadAt: null,
          },
          expect.objectContaining({ userId: 'bob', role: 'member' }),
        ]);

        const again = await storage.getOrCreateChannel({
          cid: 'team:general',
          type: 'team',
          id: 'general',
          data: { name: 'Other' },
          distinct: true,
          createdById: 'bob',
          members: [{ userId: 'bob', role: 'owner' }],
          now: T0 + 1,
        });
        expect(again).toEqual({ created: false, channel: created.channel });
        expect(await storage.getEvents('team:general', 0, 10)).toEqual([]);
      });

      it('getOrCreateChannel called 10 times at once creates one channel and returns it to all', async () => {
        await storage.upsertUsers([{ id: 'alice' }, { id: 'bob' }], T0);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            storage.getOrCreateChannel({
              cid: 'messaging:!members-alice-bob',
              type: 'messaging',
              id: '!members-alice-bob',
              data: {},
              distinct: true,
              createdById: 'alice',
              members: [
                { userId: 'alice', role: 'owner' },
                { userId: 'bob', role: 'member' },
              ],
              now: T0 + i,
            }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)?.channel;
        for (const result of results) expect(result.channel).toEqual(winner);
        expect(winner).toMatchObject({ distinct: true, memberCount: 2 });
        const members = await storage.getMembers('messaging:!members-alice-bob');
        expect(members.map((m) => m.userId).sort()).toEqual(['alice', 'bob']);
      });

      it('getOrCreateChannel with an unknown member throws UnknownUsersError and creates nothing', async () => {
        await storage.ensureUser('alice', T0);
        const attempt = storage.getOrCreateChannel({
          cid: 'messaging:x',
          type: 'messaging',
          id: 'x',
          data: {},
          distinct: false,
          createdById: 'alice',
          members: [
            { userId: 'alice', role: 'owner' },
            { userId: 'ghost', role: 'member' },
          ],
          now: T0,
        });
        await expect(attempt).rejects.toEqual(new UnknownUsersError(['ghost']));
        expect(await storage.getChannel('messaging:x')).toBeNull();
        expect(await storage.getChannelIdsOf('alice')).toEqual([]);
      });

      it('getChannel returns null for a channel that does not exist', async () => {
        expect(await storage.getChannel('messaging:none')).toBeNull();
      });

      it('addMembers adds only new members, one member.added event each with consecutive seqs', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1');
        await storage.upsertUsers([{ id: 'carol' }, { id: 'dave' }], T0);

        const result = await storage.addMembers(
          channel.cid,
          [
            { userId: 'bob', role: 'moderator' },
            { userId: 'carol', role: 'member' },
            { userId: 'dave', role: 'moderator' },
          ],
          T0 + 10,
          addedEvent,
        );
        expect(result.added.map((m) => [m.userId, m.role, m.lastReadSeq])).toEqual([
          // They joined after m1 (seq 1): earlier history starts out read.
          ['carol', 'member', 1],
          ['dave', 'moderator', 1],
        ]);
        expect(result.events.map((e) => [e.seq, e.type, e.payload['member']])).toEqual([
          [2, 'member.added', { user_id: 'carol', role: 'member' }],
          [3, 'member.added', { user_id: 'dave', role: 'moderator' }],
        ]);
        expect(result.channel).toMatchObject({ memberCount: 4, lastSeq: 3, updatedAt: T0 + 10 });
        expect(await storage.getEvents(channel.cid, 1, 10)).toEqual(result.events);
        // An existing member keeps their role.
        expect((await storage.getMember(channel.cid, 'bob'))?.role).toBe('member');

        const none = await storage.addMembers(
          channel.cid,
          [{ userId: 'carol', role: 'member' }],
          T0 + 20,
          addedEvent,
        );
        expect(none).toEqual({ channel: result.channel, added: [], events: [] });
      });

      it('addMembers rejects unknown users and a missing channel without changing anything', async () => {
        const channel = await channelOf('c', ['alice']);
        await expect(
          storage.addMembers(channel.cid, [{ userId: 'ghost', role: 'member' }], T0, addedEvent),
        ).rejects.toEqual(new UnknownUsersError(['ghost']));
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(0);
        await expect(
          storage.addMembers(
            'messaging:none',
            [{ userId: 'alice', role: 'member' }],
            T0,
            addedEvent,
          ),
        ).rejects.toBeInstanceOf(ChannelNotFoundError);
      });

      it('removeMembers removes only members, one member.removed event each', async () => {
        const channel = await channelOf('c', ['alice', 'bob', 'carol']);
        const result = await storage.removeMembers(
          channel.cid,
          ['carol', 'nobody', 'bob', 'carol'],
          T0 + 5,
          removedEvent,
        );
        expect(result.removed).toEqual(['carol', 'bob']);
        expect(result.events.map((e) => [e.seq, e.type, e.payload['user_id']])).toEqual([
          [1, 'member.removed', 'carol'],
          [2, 'member.removed', 'bob'],
        ]);
        expect(result.channel).toMatchObject({ memberCount: 1, lastSeq: 2 });
        expect((await storage.getMembers(channel.cid)).map((m) => m.userId)).toEqual(['alice']);
        expect(await storage.getMember(channel.cid, 'bob')).toBeNull();

        const none = await storage.removeMembers(channel.cid, ['bob'], T0 + 6, removedEvent);
        expect(none).toEqual({ channel: result.channel, removed: [], events: [] });
      });

      it('updateChannelData merges set, removes unset keys and stores a channel.updated event', async () => {
        await storage.ensureUser('alice', T0);
        await storage.getOrCreateChannel({
          cid: 'team:x',
          type: 'team',
          id: 'x',
          data: { name: 'X', topic: 'old', color: 'red' },
          distinct: false,
          createdById: 'alice',
          members: [{ userId: 'alice', role: 'owner' }],
          now: T0,
        });
        const { channel, event } = await storage.updateChannelData(
          'team:x',
          { set: { topic: 'new', tags: ['a'] }, unset: ['color', 'absent'] },
          T0 + 100,
          updatedEvent,
        );
        const data = { name: 'X', topic: 'new', tags: ['a'] };
        expect(channel).toMatchObject({ data, lastSeq: 1, updatedAt: T0 + 100 });
        expect(event).toEqual({
          cid: 'team:x',
          seq: 1,
          type: 'channel.updated',
          createdAt: T0 + 100,
          payload: {
            type: 'channel.updated',
            cid: 'team:x',
            seq: 1,
            created_at: T0 + 100,
            channel: { cid: 'team:x', data },
          },
          messageId: null,
        });
        expect(await storage.getChannel('team:x')).toEqual(channel);
        expect(await storage.getEvents('team:x', 0, 10)).toEqual([event]);
        await expect(
          storage.updateChannelData('team:none', { set: {}, unset: [] }, T0, updatedEvent),
        ).rejects.toBeInstanceOf(ChannelNotFoundError);
      });

      it('queryChannels lists the user’s channels by last activity, newest first, filtered by type', async () => {
        // Created at T0+1..T0+4; then messages move b (T0+10) and d (T0+20) ahead.
        const a = await channelOf('a', ['alice', 'bob'], T0 + 1);
        const b = await channelOf('b', ['alice'], T0 + 2);
        const c = await channelOf('c', ['alice'], T0 + 3);
        const d = await channelOf('d', ['alice'], T0 + 4);
        await channelOf('other', ['bob'], T0 + 5);
        await storage.getOrCreateChannel({
          cid: 'team:t',
          type: 'team',
          id: 't',
          data: {},
          distinct: false,
          createdById: 'alice',
          members: [{ userId: 'alice', role: 'owner' }],
          now: T0 + 6,
        });
        await send(b.cid, 'alice', 'mb', T0 + 10);
        await send(d.cid, 'alice', 'md', T0 + 20);

        const list = await storage.queryChannels({ userId: 'alice', limit: 10 });
        expect(list.map((ch) => ch.cid)).toEqual([d.cid, b.cid, 'team:t', c.cid, a.cid]);
        expect(list[0]?.lastMessageAt).toBe(T0 + 20);
        const messaging = await storage.queryChannels({
          userId: 'alice',
          type: 'messaging',
          limit: 10,
        });
        expect(messaging.map((ch) => ch.cid)).toEqual([d.cid, b.cid, c.cid, a.cid]);
        expect(await storage.queryChannels({ userId: 'nobody', limit: 10 })).toEqual([]);
      });

      it('queryChannels pages with a cursor without a duplicate or a gap, even on equal activity', async () => {
        // 9 channels, 3 per creation time, so that cid breaks the ties.
        for (let i = 0; i < 9; i++) await channelOf(`ch${i}`, ['alice'], T0 + Math.floor(i / 3));
        const expected = (await storage.queryChannels({ userId: 'alice', limit: 100 })).map(
          (ch) => ch.cid,
        );
        expect(expected).toEqual([
          'messaging:ch8',
          'messaging:ch7',
          'messaging:ch6',
          'messaging:ch5',
          'messaging:ch4',
          'messaging:ch3',
          'messaging:ch2',
          'messaging:ch1',
          'messaging:ch0',
        ]);
        const seen: string[] = [];
        let cursor;
        for (;;) {
          const page = await storage.queryChannels({ userId: 'alice', cursor, limit: 2 });
          if (page.length === 0) break;
          seen.push(...page.map((ch) => ch.cid));
          cursor = channelCursorOf(page.at(-1)!);
        }
        expect(seen).toEqual(expected);
      });

      it('getChannelIdsOf lists every channel the user is a member of', async () => {
        await channelOf('a', ['alice', 'bob']);
        await channelOf('b', ['alice']);
        await channelOf('c', ['bob']);
        expect((await storage.getChannelIdsOf('alice')).sort()).toEqual([
          'messaging:a',
          'messaging:b',
        ]);
      });

      it('deleteChannel removes the channel with its members, messages and events', async () => {
        const channel = await channelOf('gone', ['alice', 'bob']);
        const kept = await channelOf('kept', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1');
        await send(kept.cid, 'alice', 'k1');
        await storage.markRead(channel.cid, 'bob', { seq: 1, messageId: 'm1' }, T0, readEvent);

        expect(await storage.deleteChannel(channel.cid)).toEqual({ uploads: [] });
        expect(await storage.getChannel(channel.cid)).toBeNull();
        expect(await storage.getMembers(channel.cid)).toEqual([]);
        expect(await storage.getMessage('m1')).toBeNull();
        expect(await storage.getMessages(channel.cid, { limit: 10 })).toEqual([]);
        expect(await storage.getEvents(channel.cid, 0, 10)).toEqual([]);
        expect(await storage.getChannelIdsOf('alice')).toEqual([kept.cid]);
        expect(await storage.getMessage('k1')).not.toBeNull();
        expect(await storage.deleteChannel(channel.cid)).toBeNull();

        // The cid and the message id can be used again, from seq 1.
        const again = await channelOf('gone', ['alice']);
        expect(again.lastSeq).toBe(0);
        expect((await send(again.cid, 'alice', 'm1')).message.seq).toBe(1);
      });
    });
  });
}
