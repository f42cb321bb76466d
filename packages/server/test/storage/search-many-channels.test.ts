import { describe, expect, it } from 'vitest';
import {
  insertChannel,
  insertMember,
  insertSearchMessages,
  insertUser,
  type SearchMessageRow,
  newestIds,
} from '../helpers/direct-rows.js';
import { filledStorage } from '../helpers/filled-storage.js';
import { removedEvent } from '../helpers/storage-contract.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

// A reader's channels searched side by side: newest first across channels whose messages
// interleave in time, ties by id, for readers in a few channels and in more channels than
// one merged statement takes (SQLite merges up to 64, then tests them all at once).

const CHANNELS = 70;
const PER_CHANNEL = 30;
const now = Date.parse('2026-01-01T00:00:00Z');

/** Message `n` of channel `c`: times interleaved across channels, every fifth shared. */
function messageOf(c: number, n: number): SearchMessageRow {
  const words = ['ordinary note'];
  if ((c + n) % 2 === 0) words.push('common');
  if ((c * 7 + n) % 23 === 0) words.push('uncommon');
  return {
    id: `m-${String((c * 31 + n * 17) % 9973).padStart(4, '0')}-${c}-${n}`,
    cid: `team:c${c}`,
    seq: n + 1,
    text: words.join(' '),
    createdAt: now + (n % 5 === 0 ? n * 100 : ((c * 13 + n * 101) % 3000) * 1_000),
  };
}

const messages = Array.from({ length: CHANNELS }, (_, c) =>
  Array.from({ length: PER_CHANNEL }, (_, n) => messageOf(c, n)),
).flat();
/** Who reads which channels: a few, all but a few, and every one. */
const readers: Record<string, number[]> = {
  few: [3, 41, 7],
  many: Array.from({ length: 66 }, (_, c) => c),
  every: Array.from({ length: CHANNELS }, (_, c) => c),
};

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: search over a reader's many channels`, () => {
    const storage = filledStorage(
      kind,
      async (db) => {
        await insertUser(db, 'author', now);
        for (const reader of Object.keys(readers)) await insertUser(db, reader, now);
        for (let c = 0; c < CHANNELS; c++) {
          const cid = `team:c${c}`;
          await insertChannel(db, {
            cid,
            owner: 'author',
            now,
            lastSeq: PER_CHANNEL,
            lastMessageAt: now,
          });
          for (const [reader, channels] of Object.entries(readers)) {
            if (channels.includes(c)) {
              await insertMember(db, { cid, userId: reader, role: 'member', now, lastReadSeq: 0 });
            }
          }
        }
        await insertSearchMessages(db, 'author', messages);
      },
      60_000,
    );

    const expected = (term: string, reader: string, limit: number, before?: number) =>
      newestIds(
        messages,
        (m) =>
          m.text.includes(term) &&
          readers[reader]!.includes(Number(m.cid.slice('team:c'.length))) &&
          (before === undefined || m.createdAt < before),
        limit,
      );

    it('finds the newest matches of all the reader’s channels, and only theirs', async () => {
      for (const reader of Object.keys(readers)) {
        for (const term of ['common', 'uncommon', 'note', 'on']) {
          for (const limit of [5, 21, 500]) {
            const found = await storage().searchMessages({
              ...{ terms: [term], excluded: [], readerId: reader, limit },
            });
            const label = `${term} as ${reader}, limit ${limit}`;
            expect(
              found.map((m) => m.id),
              label,
            ).toEqual(expected(term, reader, limit));
          }
        }
        // Before a time shared by messages of several channels.
        const before = now + 1_500 * 1_000;
        const found = await storage().searchMessages({
          ...{ terms: ['common'], excluded: ['uncommon'], readerId: reader, limit: 40, before },
        });
        expect(
          found.map((m) => m.id),
          reader,
        ).toEqual(
          expected('common', reader, 1_000, before)
            .filter((id) => !messages.find((m) => m.id === id)!.text.includes('uncommon'))
            .slice(0, 40),
        );
      }
    });

    // Last: it changes who reads what.
    it('stops finding a channel’s messages at once when the reader leaves it', async () => {
      const search = () =>
        storage().searchMessages({ terms: ['note'], excluded: [], readerId: 'few', limit: 21 });
      expect((await search()).map((m) => m.id)).toEqual(expected('note', 'few', 21));
      await storage().removeMembers('team:c41', ['few'], now, removedEvent);
      const cidOf = new Map(messages.map((m) => [m.id, m.cid]));
      const left = expected('note', 'few', 1_000).filter((id) => cidOf.get(id) !== 'team:c41');
      expect((await search()).map((m) => m.id)).toEqual(left.slice(0, 21));
    });

    it('finds nothing for a reader in no channel', async () => {
      await expect(
        storage().searchMessages({
          terms: ['common'],
          excluded: [],
          readerId: 'author',
          limit: 21,
        }),
      ).resolves.toEqual([]);
    });
  });
}
