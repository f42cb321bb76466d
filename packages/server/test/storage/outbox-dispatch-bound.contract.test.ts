import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely, KyselyPlugin } from 'kysely';
import type { Storage } from '../../src/storage/index.js';
import type { Database } from '../../src/storage/kysely/database.js';
import { dispatchEvents } from '../../src/storage/kysely/outbox-dispatch.js';
import type { StorageAdapter } from '../../src/storage/kysely/storage-adapter.js';
import {
  createPostgresDatabase,
  postgresAdapter,
} from '../../src/storage/postgres/postgres-dialect.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import {
  T0,
  dispatchOptions,
  messageEvent,
  messagingChannel,
  newMessage,
  webhookFor,
} from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { openTestStorage } from '../helpers/test-storage.js';

/*
 * The dispatcher reads the channels with undispatched events, then their events, without
 * a lock: a send may commit between the two reads. The events it takes must stop at the
 * last_seq it read, since it moves the outbox only that far: one beyond would be
 * dispatched again by the next round. Here the send is made to land exactly there.
 */

/** Runs `between` once, right after the first statement of the connection it is added to. */
function afterFirstStatement(between: () => Promise<void>): KyselyPlugin {
  let done = false;
  return {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      if (!done) {
        done = true;
        await between();
      }
      return args.result;
    },
  };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: a send between the dispatcher's reads`, () => {
    let storage: Storage;
    let close: () => Promise<void>;
    let db: Kysely<Database>;
    let adapter: StorageAdapter;

    beforeAll(async () => {
      const opened = await openTestStorage(kind);
      ({ storage, close } = opened);
      if (kind === 'postgres') {
        db = createPostgresDatabase(opened.config.databaseUrl!);
        adapter = postgresAdapter;
      } else {
        db = createSqliteDatabase(`${opened.config.dataDir}/parley.db`);
        adapter = sqliteAdapter;
      }
      for (const userId of ['alice', 'bob']) await storage.ensureUser(userId, T0);
      await storage.notifications.createWebhook(webhookFor('all', ['*']));
    });
    afterAll(async () => {
      await db?.destroy();
      await close?.();
    });

    it('dispatches the event committed between them once, in the next round', async () => {
      const cid = await messagingChannel(storage, 'bound', ['alice', 'bob']);
      const message = (id: string) => newMessage(cid, 'alice', id);
      await storage.sendMessages([message('before')], messageEvent);
      const seqBefore = (await storage.getChannel(cid))!.lastSeq;
      const options = dispatchOptions(100);

      const racing = db.withPlugin(
        afterFirstStatement(async () => {
          await storage.sendMessages([message('between')], messageEvent);
        }),
      );
      const first = await dispatchEvents(racing, adapter, options);
      expect(first.taken).toBe(seqBefore);
      // The next rounds take the rest; then nothing is left.
      while ((await storage.notifications.dispatch(options)).taken > 0);

      const deliveries = await storage.notifications.listDeliveries({
        status: 'pending',
        limit: 100,
      });
      const seqs = deliveries.filter((d) => d.cid === cid).map((d) => d.seq);
      expect(seqs.sort((a, b) => a - b)).toEqual(
        Array.from({ length: seqBefore + 1 }, (_, k) => k + 1),
      );
    });

    it('takes backlogs longer than its limit in channel order, each event once', async () => {
      const cids = [];
      for (const name of ['backlog-a', 'backlog-b', 'backlog-c']) {
        const cid = await messagingChannel(storage, name, ['alice', 'bob']);
        for (let i = 0; i < 12; i++)
          await storage.sendMessages([newMessage(cid, 'bob', `${name}-${i}`)], messageEvent);
        cids.push(cid);
      }
      const seqs = await Promise.all(
        cids.map(async (cid) => (await storage.getChannel(cid))!.lastSeq),
      );
      let left = seqs.reduce((a, b) => a + b, 0);
      const options = dispatchOptions(10);
      for (;;) {
        const round = await storage.notifications.dispatch(options);
        expect(round.taken).toBe(Math.min(10, left));
        left -= round.taken;
        if (!round.more) break;
      }
      expect(left).toBe(0);

      const deliveries = await storage.notifications.listDeliveries({
        status: 'pending',
        limit: 200,
      });
      cids.forEach((cid, c) => {
        const dispatched = deliveries.filter((d) => d.cid === cid).map((d) => d.seq);
        expect(dispatched.sort((a, b) => a - b)).toEqual(
          Array.from({ length: seqs[c]! }, (_, k) => k + 1),
        );
      });
    });

    it('walks on after the channels it took: one walk takes each channel once, then ends', async () => {
      const options = dispatchOptions(1_000);
      while ((await storage.notifications.dispatch(options)).more);
      const cids: string[] = [];
      for (let i = 0; i <= 100; i++) {
        const cid = await messagingChannel(storage, `walk-${String(i).padStart(3, '0')}`, [
          'alice',
          'bob',
        ]);
        await storage.sendMessages([newMessage(cid, 'alice', `walk-${i}`)], messageEvent);
        cids.push(cid);
      }
      const pending = async (cid: string) => (await storage.getChannel(cid))!.lastSeq;
      const first = await storage.notifications.dispatch(options);
      expect(first).toMatchObject({ more: true, resumeAfter: cids[99] });
      let firstHundred = 0;
      for (const cid of cids.slice(0, 100)) firstHundred += await pending(cid);
      expect(first.taken).toBe(firstHundred);

      // A channel the walk has passed gets a message: the walk goes on to the last channel
      // and ends, and the next one, from the first, takes it.
      await storage.sendMessages([newMessage(cids[0]!, 'bob', 'walk-again')], messageEvent);
      const second = await storage.notifications.dispatch({ ...options, after: first.resumeAfter });
      expect(second).toMatchObject({ taken: await pending(cids[100]!), more: false });
      expect(await storage.notifications.dispatch(options)).toMatchObject({
        taken: 1,
        more: false,
      });
    });
  });
}
