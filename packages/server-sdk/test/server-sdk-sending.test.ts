import { describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { expectChatError } from './helpers/expect-chat-error.js';
import { useSdkServer } from './helpers/sdk-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: server SDK, sending`, () => {
    const sdk = useSdkServer(kind);

    describe('messages', () => {
      it('sends as a user; the same id again answers duplicate: true and stores nothing', async () => {
        const [org, spk] = await sdk.users('m-org', 'm-spk');
        const id = sdk.fresh('thread');
        await sdk.parley.getOrCreateChannel('messaging', id, { members: [org!, spk!] });
        const first = await sdk.parley.sendMessage('messaging', id, {
          id: sdk.fresh('msg'),
          userId: org!,
          text: 'Can you speak on Friday?',
          data: { priority: 'high' },
        });
        expect(first.duplicate).toBe(false);
        expect(first.message).toMatchObject({
          type: 'regular',
          user_id: org,
          text: 'Can you speak on Friday?',
          data: { priority: 'high' },
        });
        const retry = await sdk.parley.sendMessage('messaging', id, {
          id: first.message.id,
          userId: org!,
          text: 'Can you speak on Friday?',
        });
        expect(retry.duplicate).toBe(true);
        expect(retry.message.seq).toBe(first.message.seq);
        const log = await sdk.parley.getEvents('messaging', id, { sinceSeq: 0 });
        expect(log.events.filter((e) => e.type === 'message.new')).toHaveLength(1);
      });

      it('fails with message_id_conflict (409) when the id is used in another channel', async () => {
        const [u] = await sdk.users('conflict');
        const [one, two] = [sdk.fresh('one'), sdk.fresh('two')];
        await sdk.parley.getOrCreateChannel('messaging', one, { members: [u!] });
        await sdk.parley.getOrCreateChannel('messaging', two, { members: [u!] });
        const messageId = sdk.fresh('shared-id');
        await sdk.parley.sendMessage('messaging', one, { id: messageId, userId: u!, text: 'here' });
        await expectChatError(
          sdk.parley.sendMessage('messaging', two, { id: messageId, userId: u!, text: 'there' }),
          'message_id_conflict',
        );
      });

      it('fails with not_member (403) when the author is not in the channel', async () => {
        const [outsider] = await sdk.users('outsider');
        const id = sdk.fresh('closed');
        await sdk.parley.getOrCreateChannel('messaging', id);
        await expectChatError(
          sdk.parley.sendMessage('messaging', id, { userId: outsider!, text: 'let me in' }),
          'not_member',
        );
      });

      it('keeps a historical createdAt given as a Date or a string', async () => {
        const [u] = await sdk.users('importer');
        const id = sdk.fresh('legacy');
        await sdk.parley.getOrCreateChannel('messaging', id, { members: [u!] });
        const at = new Date('2024-03-01T09:30:00.000Z');
        const fromDate = await sdk.parley.sendMessage('messaging', id, {
          userId: u!,
          text: 'old',
          createdAt: at,
        });
        expect(Date.parse(fromDate.message.created_at)).toBe(at.getTime());
        const fromString = await sdk.parley.sendMessage('messaging', id, {
          userId: u!,
          text: 'older',
          createdAt: '2024-02-01T08:00:00Z',
        });
        expect(Date.parse(fromString.message.created_at)).toBe(Date.parse('2024-02-01T08:00:00Z'));
      });

      it('sends system messages, with or without an author, that show with type system', async () => {
        const [org, spk] = await sdk.users('s-org', 's-spk');
        const id = sdk.fresh('request');
        await sdk.parley.getOrCreateChannel('messaging', id, { members: [org!, spk!] });
        const plain = await sdk.parley.sendSystemMessage('messaging', id, {
          text: 'Invitation accepted',
          data: { status: 'accepted' },
        });
        expect(plain.duplicate).toBe(false);
        expect(plain.message).toMatchObject({ type: 'system', user_id: null, user: null });
        const attributed = await sdk.parley.sendSystemMessage('messaging', id, {
          id: sdk.fresh('sys'),
          text: 'Olga changed the date',
          userId: org!,
        });
        expect(attributed.message).toMatchObject({ type: 'system', user_id: org });

        const state = await sdk.parley.getChannel('messaging', id);
        expect(state.messages.map((m) => [m.type, m.text])).toEqual([
          ['system', 'Invitation accepted'],
          ['system', 'Olga changed the date'],
        ]);
        const unread = await sdk.parley.getUnread(spk!);
        expect(unread.channels).toContainEqual({
          cid: `messaging:${id}`,
          unread_count: 2,
          unread_mentions: 0,
        });
      });

      it('counts a user’s unread messages from others; the user’s own send reads the channel', async () => {
        const [reader, writer] = await sdk.users('unread-r', 'unread-w');
        const [one, two] = [sdk.fresh('u1'), sdk.fresh('u2')];
        for (const id of [one, two]) {
          await sdk.parley.getOrCreateChannel('messaging', id, { members: [reader!, writer!] });
        }
        await sdk.parley.sendMessage('messaging', one, { userId: writer!, text: 'a' });
        await sdk.parley.sendMessage('messaging', one, { userId: writer!, text: 'b' });
        await sdk.parley.sendMessage('messaging', two, { userId: writer!, text: 'c' });
        // Replying moves the reader's read position past 'c'.
        await sdk.parley.sendMessage('messaging', two, { userId: reader!, text: 'mine' });
        expect(await sdk.parley.getUnread(reader!)).toEqual({
          total_unread_count: 2,
          unread_channels: 1,
          total_unread_mentions: 0,
          channels: [{ cid: `messaging:${one}`, unread_count: 2, unread_mentions: 0 }],
        });
        expect(await sdk.parley.getUnread(writer!)).toMatchObject({ total_unread_count: 1 });
      });

      it('pages through the event log after sinceSeq', async () => {
        const [u] = await sdk.users('pager');
        const id = sdk.fresh('events');
        await sdk.parley.getOrCreateChannel('messaging', id, { members: [u!] });
        for (const text of ['1', '2', '3', '4', '5']) {
          await sdk.parley.sendMessage('messaging', id, { userId: u!, text });
        }
        const page = await sdk.parley.getEvents('messaging', id, { sinceSeq: 1, limit: 2 });
        expect(page.events.map((e) => e.seq)).toEqual([2, 3]);
        expect(page.has_more).toBe(true);
        expect(page.last_seq).toBe(5);
        const rest = await sdk.parley.getEvents('messaging', id, { sinceSeq: 3 });
        expect(rest.events.map((e) => e.seq)).toEqual([4, 5]);
        expect(rest.has_more).toBe(false);
      });
    });
  });
}
