import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient, type ParleyServerClient } from '../src/index.js';
import { expectChatError } from './helpers/expect-chat-error.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: server SDK, messages after they are sent`, () => {
    let server: TestServer;
    let parley: ParleyServerClient;

    beforeAll(async () => {
      server = await TestServer.start(kind);
      parley = createParleyServerClient({
        url: server.url,
        secret: TEST_SECRET,
        apiKey: TEST_API_KEY,
      });
      await parley.upsertUsers([{ id: 'org' }, { id: 'spk' }]);
      await parley.getOrCreateChannel('request', 'r1', {
        members: ['org', 'spk'],
        createdById: 'org',
      });
    });
    afterAll(() => server?.close());

    it('replies, quotes and mentions as an author, and reads the thread', async () => {
      const { message: parent } = await parley.sendMessage('request', 'r1', {
        text: 'Fee?',
        userId: 'org',
      });
      const { message: reply } = await parley.sendMessage('request', 'r1', {
        text: '@org 500 EUR',
        userId: 'spk',
        parentId: parent.id,
        quotedMessageId: parent.id,
        mentionedUsers: ['org', 'nobody'],
      });
      expect(reply).toMatchObject({ parent_id: parent.id, quoted_message: { id: parent.id } });
      expect(reply.mentioned_users.map((u) => u.id)).toEqual(['org']);
      const thread = await parley.getReplies(parent.id);
      expect(thread.messages.map((m) => m.id)).toEqual([reply.id]);
      expect((await parley.getMessage(parent.id)).message.reply_count).toBe(1);
    });

    it('edits, pins (recording who), reacts and deletes', async () => {
      const { message } = await parley.sendMessage('request', 'r1', {
        text: 'Venue TBD',
        userId: 'org',
      });
      const edited = await parley.updateMessage(message.id, { text: 'Venue: Hall B' });
      expect(edited.message).toMatchObject({ text: 'Venue: Hall B' });
      const pinned = await parley.updateMessage(message.id, { pinned: true, userId: 'org' });
      expect(pinned.message).toMatchObject({ pinned: true, pinned_by: 'org' });
      expect((await parley.getPinned('request', 'r1')).messages.map((m) => m.id)).toEqual([
        message.id,
      ]);

      const reacted = await parley.sendReaction(message.id, { type: 'thumbsup', userId: 'spk' });
      expect(reacted).toMatchObject({
        duplicate: false,
        message: { reaction_counts: { thumbsup: 1 } },
      });
      expect((await parley.getReactions(message.id)).reactions.map((r) => r.user_id)).toEqual([
        'spk',
      ]);
      await parley.deleteReaction(message.id, 'thumbsup', 'spk');
      expect((await parley.getMessage(message.id)).message.reaction_counts).toEqual({});

      const deleted = await parley.deleteMessage(message.id);
      expect(deleted.message).toMatchObject({ text: '', pinned: false });
      await parley.deleteMessage(message.id, { hard: true });
      await expectChatError(parley.getMessage(message.id), 'message_not_found');
    });

    it('checks arguments before sending anything', async () => {
      await expectChatError(parley.getMessage('not a valid id'), 'invalid_request');
      await expectChatError(parley.updateMessage('m', {}), 'invalid_request');
      await expectChatError(
        parley.sendReaction('m', { type: 'two words', userId: 'spk' }),
        'invalid_request',
      );
    });
  });
}
