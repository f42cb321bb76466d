import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotMemberError } from '../../src/storage/storage-errors.js';
import type { SendResult, Storage } from '../../src/storage/index.js';
import { createStorage } from '../../src/storage/index.js';
import { addedEvent, removedEvent } from '../helpers/storage-contract.js';
import { T0, messageEvent, messagingChannel, newMessage } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';

/*
 * Send batches decide from what the storage knows of a channel (ChannelStates) instead of
 * reading it, and the write finds out when the channel moved on. Two storages over one
 * database stand for two nodes that hear nothing of each other's changes (no bus here):
 * the worst case for what one of them knows.
 */

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: sends decided from known channel states`, () => {
    let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
    /** Node a sends and knows the channel; node b changes it behind a's back. */
    let a: Storage;
    let b: Storage;
    let cid: string;
    let serial = 0;

    beforeAll(async () => {
      config = await createTestStorageConfig(kind);
      a = createStorage(config);
      b = createStorage(config);
      await a.migrate();
      for (const userId of ['alice', 'bob', 'carol', 'dave']) await a.ensureUser(userId, T0);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      await config.cleanup();
    });
    beforeEach(async () => {
      cid = await messagingChannel(a, `known-${++serial}`, ['alice', 'bob', 'carol']);
      // Past the first message and first response (each read and written in a transaction),
      // then a message written in one statement: a now knows the channel at seq 3.
      await sendAs(a, 'alice');
      await sendAs(a, 'bob');
      await sendAs(a, 'alice');
    });

    async function sendAs(node: Storage, userId: string, id = `m-${++serial}`) {
      const [result] = await node.sendMessages([newMessage(cid, userId, id)], messageEvent);
      return result!;
    }

    async function seqsOf(node: Storage): Promise<number[]> {
      return (await node.getEvents(cid, 0, 100)).map((event) => event.seq);
    }

    it('refuses a member removed on another node, and stores nothing of it', async () => {
      await b.removeMembers(cid, ['carol'], T0, removedEvent);
      const result = await sendAs(a, 'carol', 'from-carol');
      expect(result.status).toBe('failed');
      expect((result as Extract<SendResult, { status: 'failed' }>).error).toBeInstanceOf(
        NotMemberError,
      );
      expect(await a.getMessage('from-carol')).toBeNull();
      // a knows better now: alice still sends, right after the removal's seq.
      const next = await sendAs(a, 'alice');
      expect(next).toMatchObject({ status: 'stored', message: { seq: 5 } });
      expect(await seqsOf(b)).toEqual([1, 2, 3, 4, 5]);
    });

    it('stores the message of a member added on another node', async () => {
      await b.addMembers(cid, [{ userId: 'dave', role: 'member' }], T0, addedEvent);
      const result = await sendAs(a, 'dave', 'from-dave');
      expect(result).toMatchObject({ status: 'stored', message: { id: 'from-dave', seq: 5 } });
    });

    it('keeps the seqs gap-free while the two nodes take turns', async () => {
      for (let round = 0; round < 5; round++) {
        expect(await sendAs(b, 'bob')).toMatchObject({ status: 'stored' });
        expect(await sendAs(a, 'alice')).toMatchObject({ status: 'stored' });
      }
      expect(await seqsOf(a)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    });

    it('answers a retried id as a duplicate, stored once', async () => {
      const first = await sendAs(a, 'alice', 'retried');
      const again = await sendAs(a, 'alice', 'retried');
      expect(first).toMatchObject({ status: 'stored', message: { seq: 4 } });
      expect(again).toMatchObject({ status: 'duplicate', message: { id: 'retried', seq: 4 } });
      expect(await seqsOf(a)).toEqual([1, 2, 3, 4]);
    });

    it('does not take a channel made again under its cid for the one it knew', async () => {
      await b.deleteChannel(cid);
      // Made again later without carol, then brought to the last seq a knows.
      await b.getOrCreateChannel({
        cid,
        type: 'messaging',
        id: cid.slice('messaging:'.length),
        data: {},
        distinct: false,
        createdById: null,
        members: ['alice', 'bob'].map((userId) => ({ userId, role: 'member' })),
        now: T0 + 60_000,
      });
      for (const userId of ['alice', 'bob', 'alice']) await sendAs(b, userId);
      const result = await sendAs(a, 'carol', 'from-carol');
      expect(result.status).toBe('failed');
      expect(await a.getMessage('from-carol')).toBeNull();
      expect(await seqsOf(b)).toEqual([1, 2, 3]);
    });
  });
}
