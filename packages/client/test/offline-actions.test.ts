import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { LocalStorageQueueStore } from '../src/index.js';
import { settle, withTimeout } from './helpers/chat-harness.js';
import { MemoryStorage } from './helpers/memory-storage.js';
import { useProxiedServer } from './helpers/proxied-server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { shown, twoMembers } from './helpers/two-members.js';
import { waitUntil } from './helpers/wait.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: edits and reactions made offline`, () => {
    let server: TestServer;
    let proxy: TcpProxy;

    const world = useProxiedServer(kind, ['ann', 'ben']);
    const { pool } = world;
    beforeAll(() => {
      ({ server, proxy } = world);
    });

    it('delivers an edit and a reaction made offline to the other member once, after reconnecting', async () => {
      const storage = new MemoryStorage();
      const { ann, annChannel, benChannel } = await twoMembers(server, pool, 'offline-edit', {
        annUrl: proxy.url,
        ann: { queueStore: new LocalStorageQueueStore('parley.queue', storage) },
      });
      const mine = await annChannel.sendMessage({ text: 'Arrival: Monday' });
      const theirs = await benChannel.sendMessage({ text: 'See you then' });
      await waitUntil('ann to see ben’s message', () => shown(annChannel, theirs.id));
      const updates: string[] = [];
      benChannel.on('message.updated', (e) => updates.push(e.message.text));
      const reactions: string[] = [];
      benChannel.on('reaction.new', (e) => reactions.push(e.reaction.type));

      proxy.pause();
      proxy.cut();
      await waitUntil('ann to notice the lost link', () => ann.state === 'reconnecting');
      // Two edits while offline go as one; a reaction waits behind them.
      const first = annChannel.updateMessage(mine.id, { text: 'Arrival: Tuesday' });
      const second = annChannel.updateMessage(mine.id, { text: 'Arrival: Tuesday, 9:00' });
      const reacting = annChannel.sendReaction(theirs.id, 'like');
      expect(shown(annChannel, mine.id)!.text).toBe('Arrival: Tuesday, 9:00');
      expect(shown(annChannel, theirs.id)!.reaction_counts).toEqual({ like: 1 });
      expect(ann.pendingCount).toBe(2);
      await waitUntil('the queue to reach storage', () =>
        storage.getItem('parley.queue')?.includes('Arrival: Tuesday, 9:00'),
      );
      await settle(300); // offline for a while: the changes wait, nothing is rolled back
      expect(shown(annChannel, mine.id)!.text).toBe('Arrival: Tuesday, 9:00');
      expect(shown(benChannel, mine.id)!.text).toBe('Arrival: Monday');

      proxy.resume();
      const [a, b] = await withTimeout(Promise.all([first, second]), 15_000, 'the edits');
      expect(a.text).toBe('Arrival: Tuesday, 9:00');
      expect(b.text).toBe('Arrival: Tuesday, 9:00');
      await withTimeout(reacting, 15_000, 'the reaction');
      await waitUntil(
        'ben to see the edit and the reaction',
        () =>
          shown(benChannel, mine.id)?.text === 'Arrival: Tuesday, 9:00' &&
          shown(benChannel, theirs.id)?.reaction_counts['like'] === 1,
      );
      await settle();
      expect(updates).toEqual(['Arrival: Tuesday, 9:00']);
      expect(reactions).toEqual(['like']);
      expect(shown(annChannel, mine.id)!.text).toBe('Arrival: Tuesday, 9:00');
      expect(shown(annChannel, theirs.id)!.own_reactions.map((r) => r.type)).toEqual(['like']);
      expect(ann.pendingCount).toBe(0);
      expect(storage.getItem('parley.queue')).toBeNull();
    });

    it('changes a message still waiting to be sent instead of editing it, and drops one deleted before it went', async () => {
      const { ann, annChannel, benChannel } = await twoMembers(server, pool, 'offline-unsent', {
        annUrl: proxy.url,
      });
      const updates: string[] = [];
      benChannel.on('message.updated', (e) => updates.push(e.message.text));
      proxy.pause();
      proxy.cut();
      await waitUntil('ann to notice the lost link', () => ann.state === 'reconnecting');
      const sending = annChannel.sendMessage({ text: 'Meet at 9' });
      const dropped = annChannel.sendMessage({ text: 'Never mind' });
      const [pending, gone] = annChannel.state.messages.slice(-2);
      const editing = annChannel.updateMessage(pending!.id, { text: 'Meet at 10' });
      expect(shown(annChannel, pending!.id)).toMatchObject({
        text: 'Meet at 10',
        status: 'sending',
      });
      await annChannel.deleteMessage(gone!.id);
      await expect(dropped).rejects.toMatchObject({ code: 'message_deleted' });
      expect(shown(annChannel, gone!.id)).toBeUndefined();
      await expect(annChannel.sendReaction(pending!.id, 'like')).rejects.toMatchObject({
        code: 'invalid_request',
      });

      proxy.resume();
      const [sent, edited] = await withTimeout(Promise.all([sending, editing]), 15_000, 'the send');
      expect(sent).toMatchObject({ text: 'Meet at 10', edited_at: null });
      expect(edited.id).toBe(sent.id);
      await waitUntil('ben to see it', () => shown(benChannel, sent.id));
      await settle();
      expect(shown(benChannel, sent.id)).toMatchObject({ text: 'Meet at 10', edited_at: null });
      expect(shown(benChannel, gone!.id)).toBeUndefined();
      expect(updates).toEqual([]);
    });

    it('keeps an edit made offline across a reload and sends it once', async () => {
      const storage = new MemoryStorage();
      const store = () => new LocalStorageQueueStore('parley.queue', storage);
      const { ann, annChannel, benChannel } = await twoMembers(server, pool, 'offline-reload', {
        annUrl: proxy.url,
        ann: { queueStore: store() },
      });
      const mine = await annChannel.sendMessage({ text: 'Budget: 300' });
      await waitUntil('ben to see it', () => shown(benChannel, mine.id));
      const updates: string[] = [];
      benChannel.on('message.updated', (e) => updates.push(e.message.text));

      proxy.pause();
      proxy.cut();
      await waitUntil('ann to notice the lost link', () => ann.state === 'reconnecting');
      annChannel.updateMessage(mine.id, { text: 'Budget: 350' }).catch(() => {});
      await waitUntil('the edit to reach storage', () =>
        storage.getItem('parley.queue')?.includes('Budget: 350'),
      );
      await withTimeout(ann.disconnect(), 5_000, 'disconnect()'); // the page goes away
      proxy.resume();

      const again = pool.create(proxy.url, { queueStore: store() });
      await again.connectUser({ id: 'ann' }, await server.tokenFor('ann'));
      await waitUntil('ben to see the edit', () => updates.length > 0);
      await waitUntil('the queue to drain', () => again.pendingCount === 0);
      await settle();
      expect(updates).toEqual(['Budget: 350']);
      expect(shown(benChannel, mine.id)!.text).toBe('Budget: 350');
    });
  });
}
