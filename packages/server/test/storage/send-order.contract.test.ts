import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageIdConflictError } from '../../src/storage/index.js';
import type {
  EventBuilder,
  MessageChange,
  NewMessage,
  SendResult,
  Storage,
} from '../../src/storage/index.js';
import { T0, messageEvent, messagingChannel } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { openTestStorage } from '../helpers/test-storage.js';

/*
 * Batches sent while an earlier one is still being written (the group commit keeps two in
 * flight on PostgreSQL): one that shares a channel or a message id with it waits for it;
 * one into other channels is written at the same time. The earlier batch is held by an
 * event builder that has not resolved yet.
 */

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: batches sent while another is being written`, () => {
    let storage: Storage;
    let close: () => Promise<void>;
    let next = 0;

    beforeAll(async () => {
      ({ storage, close } = await openTestStorage(kind));
      await storage.ensureUser('alice', T0);
    });
    afterAll(async () => {
      await close?.();
    });

    const channel = () => messagingChannel(storage, `order-${++next}`, ['alice']);

    const message = (cid: string, id: string): NewMessage => ({
      id,
      cid,
      type: 'regular',
      userId: 'alice',
      text: id,
      data: {},
      createdAt: T0 + 1_000,
    });

    /** A batch held until `release` is called (its event builder resolves then). */
    function heldBatch(messages: NewMessage[]) {
      let release!: () => void;
      const builder = new Promise<EventBuilder<MessageChange>>(
        (resolve) => (release = () => resolve(messageEvent)),
      );
      return { results: storage.sendMessages(messages, builder), release };
    }

    /** Whether `promise` has settled after the storage had time to write (it should not). */
    async function settled(promise: Promise<unknown>): Promise<boolean> {
      let done = false;
      void promise.then(
        () => (done = true),
        () => (done = true),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      return done;
    }

    const seqOf = (result: SendResult) => (result.status === 'failed' ? -1 : result.message.seq);

    it('stores a batch into another channel while the earlier one is held', async () => {
      const [held, other] = [await channel(), await channel()];
      const first = heldBatch([message(held, `${held}-first`)]);
      const second = await storage.sendMessages([message(other, `${other}-second`)], messageEvent);
      expect(second.map(seqOf)).toEqual([1]);
      expect(await settled(first.results)).toBe(false);
      first.release();
      expect((await first.results).map(seqOf)).toEqual([1]);
    });

    it('holds a batch into the same channel until the earlier one is stored, then takes the next seqs', async () => {
      const cid = await channel();
      const first = heldBatch([message(cid, `${cid}-a`), message(cid, `${cid}-b`)]);
      const second = storage.sendMessages([message(cid, `${cid}-c`)], messageEvent);
      expect(await settled(second)).toBe(false);
      first.release();
      expect((await first.results).map(seqOf)).toEqual([1, 2]);
      expect((await second).map(seqOf)).toEqual([3]);
      expect((await storage.getEvents(cid, 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('holds a batch reusing an id of the earlier one in another channel, then refuses it', async () => {
      const [held, other] = [await channel(), await channel()];
      const first = heldBatch([message(held, `${held}-shared`)]);
      const second = storage.sendMessages([message(other, `${held}-shared`)], messageEvent);
      expect(await settled(second)).toBe(false);
      first.release();
      expect((await first.results).map(seqOf)).toEqual([1]);
      const [refused] = await second;
      expect(refused?.status === 'failed' && refused.error).toBeInstanceOf(MessageIdConflictError);
      expect((await storage.getChannel(other))?.lastSeq).toBe(0);
    });
  });
}
