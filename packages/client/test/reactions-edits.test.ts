import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestServer } from '../../server/test/helpers/test-server.js';
import type { ChatError } from '../src/index.js';
import { ClientPool } from './helpers/chat-harness.js';
import { shown, twoMembers } from './helpers/two-members.js';
import { waitUntil } from './helpers/wait.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: reactions, edits, pins and deletes`, () => {
    let server: TestServer;
    const pool = new ClientPool();

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('ann', 'ben');
    });
    afterEach(() => pool.disconnectAll());
    afterAll(async () => {
      await server?.close();
    });

    it('shows a reaction at once to its author and soon to the other member, and its removal', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'react');
      const message = await benChannel.sendMessage({ text: 'Flights are booked' });
      await waitUntil('ann to see the message', () => shown(annChannel, message.id));

      const reacting = annChannel.sendReaction(message.id, '🎉');
      // Optimistic: counted before the server answers.
      expect(shown(annChannel, message.id)).toMatchObject({
        reaction_counts: { '🎉': 1 },
        own_reactions: [expect.objectContaining({ type: '🎉', user_id: 'ann' })],
      });
      await reacting;
      await waitUntil(
        'ben to see ann’s reaction',
        () => shown(benChannel, message.id)?.reaction_counts['🎉'] === 1,
      );
      const seenByBen = shown(benChannel, message.id)!;
      expect(seenByBen.own_reactions).toEqual([]);
      expect(seenByBen.latest_reactions.map((r) => [r.user_id, r.type])).toEqual([['ann', '🎉']]);

      // Ben adds his own, then ann takes hers back: both converge on one 🎉, ben's.
      await benChannel.sendReaction(message.id, '🎉');
      await annChannel.deleteReaction(message.id, '🎉');
      for (const channel of [annChannel, benChannel]) {
        await waitUntil(
          'both to agree',
          () =>
            shown(channel, message.id)?.reaction_counts['🎉'] === 1 &&
            shown(channel, message.id)?.latest_reactions.length === 1,
        );
      }
      expect(shown(annChannel, message.id)!.own_reactions).toEqual([]);
      expect(shown(benChannel, message.id)!.own_reactions.map((r) => r.type)).toEqual(['🎉']);
      expect(shown(annChannel, message.id)!.latest_reactions[0]!.user_id).toBe('ben');
    });

    it('replaces the reader’s other reactions with enforceUnique, a vote', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'vote');
      const message = await benChannel.sendMessage({ text: 'Lunch: pizza or sushi?' });
      await waitUntil('ann to see it', () => shown(annChannel, message.id));
      await annChannel.sendReaction(message.id, 'pizza', { enforceUnique: true });
      const voting = annChannel.sendReaction(message.id, 'sushi', { enforceUnique: true });
      expect(shown(annChannel, message.id)!.reaction_counts).toEqual({ sushi: 1 });
      await voting;
      await waitUntil(
        'ben to see one vote for sushi',
        () => JSON.stringify(shown(benChannel, message.id)?.reaction_counts) === '{"sushi":1}',
      );
    });

    it('shows an edit as edited to both, and a delete as a tombstone, quotes included', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'edit');
      const message = await annChannel.sendMessage({ text: 'Hotel: Ibis' });
      await waitUntil('ben to see it', () => shown(benChannel, message.id));
      const quote = await benChannel.sendMessage({
        text: 'Which Ibis?',
        quotedMessageId: message.id,
      });
      expect(quote.quoted_message?.text).toBe('Hotel: Ibis');

      const editing = annChannel.updateMessage(message.id, { text: 'Hotel: Ibis Centre' });
      expect(shown(annChannel, message.id)).toMatchObject({ text: 'Hotel: Ibis Centre' });
      expect(shown(annChannel, message.id)!.edited_at).not.toBeNull();
      const edited = await editing;
      expect(edited).toMatchObject({ text: 'Hotel: Ibis Centre' });
      await waitUntil(
        'ben to see the edit, in the message and its quote',
        () =>
          shown(benChannel, message.id)?.text === 'Hotel: Ibis Centre' &&
          shown(benChannel, quote.id)?.quoted_message?.text === 'Hotel: Ibis Centre',
      );
      expect(shown(benChannel, message.id)!.edited_at).toBe(edited.edited_at);

      const deleting = annChannel.deleteMessage(message.id);
      expect(shown(annChannel, message.id)).toMatchObject({ text: '' });
      expect(shown(annChannel, message.id)!.deleted_at).not.toBeNull();
      await deleting;
      await waitUntil(
        'ben to see the tombstone, in the message and its quote',
        () =>
          shown(benChannel, message.id)?.deleted_at != null &&
          shown(benChannel, quote.id)?.quoted_message?.deleted_at != null,
      );
      expect(shown(benChannel, message.id)).toMatchObject({ text: '', data: {} });
      expect(shown(benChannel, quote.id)!.quoted_message!.text).toBe('');
      // Still in the list, in its place: history and seqs stay whole.
      expect(benChannel.state.messages.map((m) => m.id)).toEqual([message.id, quote.id]);
    });

    it('pins and unpins for the owner, and lists the pinned messages', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'pin');
      const message = await benChannel.sendMessage({ text: 'Talk at 10:00, room B' });
      await waitUntil('ann to see it', () => shown(annChannel, message.id));
      const pinning = annChannel.pinMessage(message.id);
      expect(shown(annChannel, message.id)).toMatchObject({ pinned: true, pinned_by: 'ann' });
      await pinning;
      await waitUntil('ben to see the pin', () => shown(benChannel, message.id)?.pinned === true);
      expect((await benChannel.getPinned()).map((m) => m.id)).toEqual([message.id]);
      await annChannel.unpinMessage(message.id);
      await waitUntil(
        'ben to see the unpin',
        () => shown(benChannel, message.id)?.pinned === false,
      );
      expect(await benChannel.getPinned()).toEqual([]);
    });

    it('rolls a refused edit back with the server’s error, and tells listeners', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'refused');
      const message = await annChannel.sendMessage({ text: 'Agreed fee: 500' });
      await waitUntil('ben to see it', () => shown(benChannel, message.id));
      const texts: string[] = [];
      benChannel.on('state.changed', (state) => {
        const text = state.messages.find((m) => m.id === message.id)?.text;
        if (text !== undefined && text !== texts.at(-1)) texts.push(text);
      });

      // Ben edits ann's message: shown at once, refused by the server, restored.
      const editing = benChannel.updateMessage(message.id, { text: 'Agreed fee: 5000' });
      expect(shown(benChannel, message.id)!.text).toBe('Agreed fee: 5000');
      const error = (await editing.catch((e: unknown) => e)) as ChatError;
      expect(error.code).toBe('forbidden');
      expect(shown(benChannel, message.id)).toMatchObject({
        text: 'Agreed fee: 500',
        edited_at: null,
      });
      await waitUntil('the restored text to be published', () => texts.length === 2);
      expect(texts).toEqual(['Agreed fee: 5000', 'Agreed fee: 500']);

      // A plain member may not pin: the pin is rolled back too.
      const pinning = benChannel.pinMessage(message.id);
      expect(shown(benChannel, message.id)!.pinned).toBe(true);
      await expect(pinning).rejects.toMatchObject({ code: 'forbidden' });
      expect(shown(benChannel, message.id)!.pinned).toBe(false);

      // A reaction to a deleted message is refused and its count goes away.
      await annChannel.deleteMessage(message.id);
      await waitUntil('ben to see it deleted', () => shown(benChannel, message.id)?.deleted_at);
      const reacting = benChannel.sendReaction(message.id, 'like');
      expect(shown(benChannel, message.id)!.reaction_counts).toEqual({ like: 1 });
      await expect(reacting).rejects.toMatchObject({ code: 'message_deleted' });
      expect(shown(benChannel, message.id)!.reaction_counts).toEqual({});
      expect(shown(annChannel, message.id)!.text).toBe('');
    });

    it('refuses bad arguments before sending anything', async () => {
      const { annChannel } = await twoMembers(server, pool, 'bad-args');
      const message = await annChannel.sendMessage({ text: 'hi' });
      await expect(annChannel.sendReaction(message.id, 'two words')).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(annChannel.updateMessage(message.id, {})).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(annChannel.updateMessage(message.id, { text: '  ' })).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(annChannel.deleteMessage('bad id!')).rejects.toMatchObject({
        code: 'invalid_request',
      });
      expect(shown(annChannel, message.id)).toMatchObject({ text: 'hi', reaction_counts: {} });
    });
  });
}
