import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRichWorld, type RichWorld } from '../../helpers/rich-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: recovering rich changes by seq`, () => {
    let w: RichWorld;

    beforeAll(async () => {
      w = await startRichWorld(kind, 'rich-recovery');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    it('gives a client that was away every edit, reaction, reply and delete once, in order', async () => {
      const carol = await w.server.connect('carol');
      const state = await carol.watch(w.cid);
      const since = state.channel.last_seq as number;
      await carol.close();

      // While carol is away:
      const message = await w.send('alice', { text: 'v1' });
      await w.server.api(
        'PATCH',
        `/messages/${message.id}`,
        w.as('alice', { body: { text: 'v2' } }),
      );
      await w.server.api(
        'POST',
        `/messages/${message.id}/reactions`,
        w.as('bob', { body: { type: 'up' } }),
      );
      const reply = await w.send('bob', { text: 'in thread', parent_id: message.id });
      await w.server.api('DELETE', `/messages/${reply.id}`, w.as('bob'));
      await w.server.api(
        'PATCH',
        `/messages/${message.id}`,
        w.as('alice', { body: { pinned: true } }),
      );

      const back = await w.server.connect('carol');
      try {
        await back.watch(w.cid);
        const { events, has_more } = await back.request({
          type: 'channel.events',
          cid: w.cid,
          since_seq: since,
        });
        expect(has_more).toBe(false);
        expect(events.map((e: { type: string }) => e.type)).toEqual([
          'message.new',
          'message.updated',
          'reaction.new',
          'message.new',
          'message.deleted',
          'message.updated',
        ]);
        const seqs = events.map((e: { seq: number }) => e.seq);
        expect(seqs).toEqual(seqs.map((_: number, i: number) => since + 1 + i));
        // The final state the events lead to is what the server holds now.
        const last = events.at(-1);
        expect(last.message).toMatchObject({
          text: 'v2',
          pinned: true,
          reaction_counts: { up: 1 },
        });
        expect(events[4]).toMatchObject({ thread: { parent_id: message.id, reply_count: 0 } });
      } finally {
        await back.close();
      }
    });
  });
}
