import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelNotFoundError,
  MessageIdConflictError,
  NotMemberError,
} from '../../src/storage/index.js';
import type { MessageRecord, NewMessage, SendResult, Storage } from '../../src/storage/index.js';
import { REFUSED_TEXT, withRefusedText } from '../helpers/refused-text.js';
import { T0, messageEvent, messagingChannel } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { openTestStorage, type TestStorage } from '../helpers/test-storage.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: storage sends a batch of messages in one transaction`, () => {
    let config: TestStorage['config'];
    let storage: Storage;
    let close: () => Promise<void>;
    let next = 0;

    beforeAll(async () => {
      ({ storage, config, close } = await openTestStorage(kind));
      for (const userId of ['alice', 'bob', 'carol']) await storage.ensureUser(userId, T0);
    });
    afterAll(async () => {
      await close?.();
    });

    /** A new channel with these members; each test uses its own. */
    function channel(members: string[]): Promise<string> {
      return messagingChannel(storage, `batch-${++next}`, members);
    }

    function message(cid: string, userId: string | null, id: string, text = id): NewMessage {
      return {
        id,
        cid,
        type: userId === null ? 'system' : 'regular',
        userId,
        text,
        data: {},
        createdAt: T0 + next,
      };
    }

    /** The message a result carries; throws for a failure. */
    function messageOf(result: SendResult | undefined): MessageRecord {
      if (result === undefined || result.status === 'failed') throw new Error('no message');
      return result.message;
    }

    /** Each result as [status, seq or error class]. */
    function outcomes(results: SendResult[]) {
      return results.map((r) =>
        r.status === 'failed'
          ? [r.status, (r.error as Error).constructor.name]
          : [r.status, r.message.seq],
      );
    }

    it('gives each channel’s messages consecutive seqs in batch order, with their events', async () => {
      const one = await channel(['alice', 'bob']);
      const two = await channel(['alice']);
      const results = await storage.sendMessages(
        [
          message(one, 'alice', `${one}-a`),
          message(two, 'alice', `${two}-a`),
          message(one, 'bob', `${one}-b`),
          message(one, null, `${one}-c`),
        ],
        messageEvent,
      );
      expect(outcomes(results)).toEqual([
        ['stored', 1],
        ['stored', 1],
        ['stored', 2],
        ['stored', 3],
      ]);
      const events = await storage.getEvents(one, 0, 10);
      expect(events.map((e) => [e.seq, e.type, (e.payload.message as { id: string }).id])).toEqual([
        [1, 'message.new', `${one}-a`],
        [2, 'message.new', `${one}-b`],
        [3, 'message.new', `${one}-c`],
      ]);
      expect((await storage.getChannel(one))?.lastSeq).toBe(3);
      expect((await storage.getChannel(two))?.lastSeq).toBe(1);
      // The result carries the channel after the batch and its members.
      const stored = results[0] as Extract<SendResult, { status: 'stored' }>;
      expect(stored.channel).toMatchObject({ cid: one, lastSeq: 3 });
      expect([...stored.memberIds].sort()).toEqual(['alice', 'bob']);
      // Each author has read up to their own last message.
      expect(await storage.getMember(one, 'alice')).toMatchObject({ lastReadSeq: 1 });
      expect(await storage.getMember(one, 'bob')).toMatchObject({
        lastReadSeq: 2,
        lastReadMessageId: `${one}-b`,
      });
      expect(await storage.getMember(two, 'alice')).toMatchObject({ lastReadSeq: 1 });
    });

    it('stores an id sent twice in one batch once and answers the second with the first', async () => {
      const cid = await channel(['alice', 'bob']);
      const results = await storage.sendMessages(
        [
          message(cid, 'alice', `${cid}-same`, 'first'),
          message(cid, 'alice', `${cid}-same`, 'second'),
          message(cid, 'bob', `${cid}-same`, 'by bob'),
          message(cid, 'alice', `${cid}-next`),
        ],
        messageEvent,
      );
      expect(outcomes(results)).toEqual([
        ['stored', 1],
        ['duplicate', 1],
        ['failed', 'MessageIdConflictError'],
        ['stored', 2],
      ]);
      expect(results[1]).toEqual({ status: 'duplicate', message: messageOf(results[0]) });
      expect(messageOf(results[0]).text).toBe('first');
      expect((await storage.getMessages(cid, { limit: 10 })).map((m) => m.text)).toEqual([
        'first',
        `${cid}-next`,
      ]);
      expect(await storage.getEvents(cid, 0, 10)).toHaveLength(2);
    });

    it('answers an id stored by an earlier batch as a duplicate, or a conflict for another author', async () => {
      const cid = await channel(['alice', 'bob']);
      const [first] = await storage.sendMessages([message(cid, 'alice', `${cid}-m`)], messageEvent);
      const results = await storage.sendMessages(
        [
          message(cid, 'bob', `${cid}-m`),
          message(cid, 'alice', `${cid}-m`, 'a retry'),
          message(cid, 'alice', `${cid}-n`),
        ],
        messageEvent,
      );
      expect(outcomes(results)).toEqual([
        ['failed', 'MessageIdConflictError'],
        ['duplicate', 1],
        ['stored', 2],
      ]);
      expect(results[1]).toEqual({ status: 'duplicate', message: messageOf(first) });
    });

    it('refuses a missing channel and a non-member alone, without using a seq', async () => {
      const cid = await channel(['alice']);
      const results = await storage.sendMessages(
        [
          message(cid, 'alice', `${cid}-1`),
          message('messaging:nowhere', 'alice', `${cid}-lost`),
          message(cid, 'carol', `${cid}-outsider`),
          { ...message(cid, 'bob', `${cid}-admin`), allowNonMember: true },
          message(cid, 'alice', `${cid}-2`),
        ],
        messageEvent,
      );
      expect(outcomes(results)).toEqual([
        ['stored', 1],
        ['failed', 'ChannelNotFoundError'],
        ['failed', 'NotMemberError'],
        ['stored', 2],
        ['stored', 3],
      ]);
      expect((results[1] as { error: unknown }).error).toEqual(
        new ChannelNotFoundError('messaging:nowhere'),
      );
      expect((results[2] as { error: unknown }).error).toEqual(new NotMemberError(cid, 'carol'));
      expect(await storage.getMessage(`${cid}-outsider`)).toBeNull();
      expect((await storage.getEvents(cid, 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('stores the rest of a batch when the database refuses one message of it', async () => {
      const cid = await channel(['alice', 'bob']);
      await withRefusedText(kind, config, async () => {
        const results = await storage.sendMessages(
          Array.from({ length: 9 }, (_, i) =>
            message(
              cid,
              i % 2 === 0 ? 'alice' : 'bob',
              `${cid}-${i}`,
              i === 4 ? REFUSED_TEXT : 'ok',
            ),
          ),
          messageEvent,
        );
        expect(results.map((r) => r.status)).toEqual([
          ...Array<string>(4).fill('stored'),
          'failed',
          ...Array<string>(4).fill('stored'),
        ]);
        expect(String((results[4] as { error: unknown }).error)).toMatch(/text refused/);
      });
      const stored = await storage.getMessages(cid, { limit: 20 });
      expect(stored.map((m) => [m.id, m.seq])).toEqual(
        [0, 1, 2, 3, 5, 6, 7, 8].map((i, n) => [`${cid}-${i}`, n + 1]),
      );
      expect((await storage.getEvents(cid, 0, 20)).map((e) => e.seq)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
      expect((await storage.getChannel(cid))?.lastSeq).toBe(8);
    });

    it('stores the rest of a batch when the event builder throws for one message', async () => {
      const cid = await channel(['alice']);
      const results = await storage.sendMessages(
        ['a', 'b', 'c'].map((n) => message(cid, 'alice', `${cid}-${n}`)),
        (change, seq, at) => {
          if (change.message.id.endsWith('-b')) throw new Error('builder failed');
          return messageEvent(change, seq, at);
        },
      );
      expect(outcomes(results)).toEqual([
        ['stored', 1],
        ['failed', 'Error'],
        ['stored', 2],
      ]);
      expect(await storage.getMessage(`${cid}-b`)).toBeNull();
      expect(await storage.getMember(cid, 'alice')).toMatchObject({
        lastReadSeq: 2,
        lastReadMessageId: `${cid}-c`,
      });
    });

    it('many concurrent batches of one channel share its seqs without a gap or a duplicate', async () => {
      const cid = await channel(['alice', 'bob']);
      const batches = await Promise.all(
        Array.from({ length: 10 }, (_, b) =>
          storage.sendMessages(
            Array.from({ length: 10 }, (_, i) =>
              message(cid, i % 2 === 0 ? 'alice' : 'bob', `${cid}-${b}-${i}`),
            ),
            messageEvent,
          ),
        ),
      );
      const seqs = batches.flat().map((r) => (r.status === 'stored' ? r.message.seq : -1));
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      // Within a batch, batch order.
      for (const batch of batches) {
        const own = batch.map((r) => messageOf(r).seq);
        expect(own).toEqual([...own].sort((x, y) => x - y));
      }
    });

    it('an empty batch answers nothing', async () => {
      expect(await storage.sendMessages([], messageEvent)).toEqual([]);
    });

    it('reports a conflict with MessageIdConflictError naming the id', async () => {
      const one = await channel(['alice']);
      const two = await channel(['alice']);
      await storage.sendMessages([message(one, 'alice', `${one}-x`)], messageEvent);
      const [result] = await storage.sendMessages(
        [message(two, 'alice', `${one}-x`)],
        messageEvent,
      );
      expect(result).toEqual({ status: 'failed', error: new MessageIdConflictError(`${one}-x`) });
    });
  });
}
