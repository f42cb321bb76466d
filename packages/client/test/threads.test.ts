import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import type { ThreadState } from '../src/index.js';
import { countIds, settle } from './helpers/chat-harness.js';
import { useProxiedServer } from './helpers/proxied-server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { shown, twoMembers } from './helpers/two-members.js';
import { waitUntil } from './helpers/wait.js';

const texts = (state: ThreadState) => state.messages.map((m) => m.text);

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: threads`, () => {
    let server: TestServer;
    let proxy: TcpProxy;

    const world = useProxiedServer(kind, ['ann', 'ben']);
    const { pool } = world;
    beforeAll(() => {
      ({ server, proxy } = world);
    });

    it('loads a thread and follows live replies, their edits and reactions, outside the channel’s list', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'thread-live');
      const parent = await benChannel.sendMessage({ text: 'Travel plan?' });
      const early = await benChannel.sendMessage({ text: 'Train or plane?', parentId: parent.id });
      const thread = annChannel.thread(parent.id);
      const changes: ThreadState[] = [];
      thread.on('change', (state) => changes.push(state));
      await thread.load();
      expect(thread.state).toMatchObject({ loading: false, hasOlder: false });
      expect(thread.state.parent).toMatchObject({ id: parent.id, reply_count: 1 });
      expect(texts(thread.state)).toEqual(['Train or plane?']);

      // Ann replies: pending at once in the thread, never in the channel's list.
      const replying = thread.sendReply({ text: 'Plane' });
      expect(thread.state.messages.at(-1)).toMatchObject({ text: 'Plane', status: 'sending' });
      const reply = await replying;
      expect(reply).toMatchObject({ status: 'sent', parent_id: parent.id });
      // Ben's live reply, shown in the channel too.
      const shared = await benChannel.sendMessage({
        text: 'Booked!',
        parentId: parent.id,
        showInChannel: true,
      });
      await waitUntil(
        'ann’s thread to show three replies',
        () => thread.state.messages.length === 3,
      );
      expect(texts(thread.state)).toEqual(['Train or plane?', 'Plane', 'Booked!']);
      expect(thread.state.messages.every((m) => m.status === 'sent')).toBe(true);
      await waitUntil(
        'the parent’s reply count to follow, in the thread and the channel',
        () =>
          thread.state.parent?.reply_count === 3 && shown(annChannel, parent.id)?.reply_count === 3,
      );
      expect(annChannel.state.messages.map((m) => m.id)).toEqual([parent.id, shared.id]);
      expect(shown(annChannel, parent.id)!.thread_participants).toEqual(['ben', 'ann']);

      // Edits, reactions and deletes of replies reach the open thread.
      await benChannel.updateMessage(early.id, { text: 'Train or plane? (by Friday)' });
      await thread
        .sendReply({ text: 'Seat 12A' })
        .then((m) => annChannel.sendReaction(m.id, 'like'));
      await benChannel.deleteMessage(shared.id);
      await waitUntil(
        'the thread to show the edit, the reaction and the tombstone',
        () =>
          thread.state.messages[0]?.text === 'Train or plane? (by Friday)' &&
          thread.state.messages[2]?.deleted_at != null &&
          thread.state.messages[3]?.reaction_counts['like'] === 1,
      );
      expect(thread.state.messages[3]!.own_reactions.map((r) => r.type)).toEqual(['like']);
      expect(changes.length).toBeGreaterThan(0);

      thread.dispose();
      const before = changes.length;
      await benChannel.sendMessage({ text: 'after', parentId: parent.id });
      await settle();
      expect(changes.length).toBe(before);
    });

    it('pages older replies', async () => {
      const { annChannel, benChannel } = await twoMembers(server, pool, 'thread-pages');
      const parent = await benChannel.sendMessage({ text: 'Questions for the panel' });
      for (let i = 0; i < 7; i++) {
        await benChannel.sendMessage({ text: `q${i}`, parentId: parent.id });
      }
      const thread = annChannel.thread(parent.id);
      await thread.load(3);
      expect(texts(thread.state)).toEqual(['q4', 'q5', 'q6']);
      expect(thread.state.hasOlder).toBe(true);
      await thread.loadOlder(3);
      await thread.loadOlder(3);
      expect(texts(thread.state)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
      expect(thread.state.hasOlder).toBe(false);
    });

    it('catches up on replies missed while its link was down, each once', async () => {
      const { ann, annChannel, benChannel } = await twoMembers(server, pool, 'thread-recover', {
        annUrl: proxy.url,
      });
      const parent = await benChannel.sendMessage({ text: 'Dinner after the talk?' });
      const thread = annChannel.thread(parent.id);
      await thread.load();
      const shownTwice: string[] = [];
      thread.on('change', (state) => {
        for (const [id, n] of countIds(state.messages)) if (n > 1) shownTwice.push(id);
      });

      proxy.pause();
      proxy.cut();
      await waitUntil('ann to notice the lost link', () => ann.state === 'reconnecting');
      const first = await benChannel.sendMessage({ text: 'Yes', parentId: parent.id });
      await benChannel.sendMessage({ text: 'At 8?', parentId: parent.id });
      await benChannel.updateMessage(first.id, { text: 'Yes, with the team' });
      await benChannel.sendReaction(first.id, '🍝');
      proxy.resume();

      await waitUntil(
        'ann’s thread to catch up',
        () =>
          texts(thread.state).join('|') === 'Yes, with the team|At 8?' &&
          thread.state.messages[0]?.reaction_counts['🍝'] === 1 &&
          thread.state.parent?.reply_count === 2,
        15_000,
      );
      await settle();
      expect(texts(thread.state)).toEqual(['Yes, with the team', 'At 8?']);
      expect(shownTwice).toEqual([]);
      // The channel's own list still has the parent only.
      expect(annChannel.state.messages.map((m) => m.id)).toEqual([parent.id]);
    });
  });
}
