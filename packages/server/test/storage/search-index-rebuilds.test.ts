import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cjkBigramsOf, searchTextOf } from '../../src/search/search-text.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { directDatabase, insertChannel, insertMember, insertUser } from '../helpers/direct-rows.js';
import { migratedUpTo } from '../helpers/direct-rows.js';
import { createTestStorageConfig } from '../helpers/storages.js';
import { channelTokenOf } from '../../src/storage/sqlite/sqlite-channel-tokens.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/**
 * The FTS5 tables as servers before migration 018 made them: with token positions and
 * column sizes (FTS5's default, detail='full'), kept by the same triggers.
 */
const TABLES_WITH_POSITIONS = [
  `CREATE VIRTUAL TABLE parley_messages_fts USING fts5(
    search_text, content='parley_messages', content_rowid='rowid', tokenize='trigram')`,
  `CREATE TRIGGER parley_messages_fts_insert AFTER INSERT ON parley_messages BEGIN
    INSERT INTO parley_messages_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
  END`,
  `CREATE VIRTUAL TABLE parley_messages_cjk USING fts5(
    search_bigrams, content='parley_messages', content_rowid='rowid', tokenize='unicode61')`,
  `CREATE TRIGGER parley_messages_cjk_insert AFTER INSERT ON parley_messages
    WHEN new.search_bigrams <> '' BEGIN
    INSERT INTO parley_messages_cjk(rowid, search_bigrams) VALUES (new.rowid, new.search_bigrams);
  END`,
];

/**
 * The FTS5 tables as servers before migration 022 made them: over the messages' own
 * columns (external content), without channel tokens.
 */
const TABLES_WITHOUT_TOKENS = [
  `CREATE VIRTUAL TABLE parley_messages_fts USING fts5(search_text, content='parley_messages',
    content_rowid='rowid', tokenize='trigram', detail='none', columnsize=0)`,
  `CREATE TRIGGER parley_messages_fts_insert AFTER INSERT ON parley_messages BEGIN
    INSERT INTO parley_messages_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
  END`,
  `CREATE TRIGGER parley_messages_fts_delete AFTER DELETE ON parley_messages BEGIN
    INSERT INTO parley_messages_fts(parley_messages_fts, rowid, search_text)
      VALUES ('delete', old.rowid, old.search_text);
  END`,
  `CREATE VIRTUAL TABLE parley_messages_cjk USING fts5(search_bigrams, content='parley_messages',
    content_rowid='rowid', tokenize='unicode61', detail='none', columnsize=0)`,
  `CREATE TRIGGER parley_messages_cjk_insert AFTER INSERT ON parley_messages
    WHEN new.search_bigrams <> '' BEGIN
    INSERT INTO parley_messages_cjk(rowid, search_bigrams) VALUES (new.rowid, new.search_bigrams);
  END`,
];

const OLD_TEXTS = [
  'Réunion au Café',
  '会议室在三楼',
  'The hotel is booked',
  // Every trigram of "hotel", never the word: the index lists it, the rows' test drops it.
  'hot tel note',
];

/**
 * A database migrated up to `upTo` whose FTS5 tables `tables` made (an older server's; none:
 * those the migrations made), holding OLD_TEXTS in ana's `team:old`. Returns its config.
 */
async function olderIndex(upTo: string, tables: readonly string[]) {
  const config = await createTestStorageConfig('sqlite');
  const db = await migratedUpTo('sqlite', config, upTo);
  for (const name of tables.length === 0 ? [] : ['parley_messages_fts', 'parley_messages_cjk']) {
    for (const suffix of ['insert', 'delete', 'update']) {
      await sql`DROP TRIGGER ${sql.raw(`${name}_${suffix}`)}`.execute(db);
    }
    await sql`DROP TABLE ${sql.raw(name)}`.execute(db);
  }
  for (const statement of tables) await sql.raw(statement).execute(db);
  await insertUser(db, 'ana', NOW);
  await insertChannel(db, { cid: 'team:old', owner: 'ana', now: NOW, lastSeq: 4 });
  await insertMember(db, {
    cid: 'team:old',
    userId: 'ana',
    role: 'owner',
    now: NOW,
    lastReadSeq: 4,
  });
  for (const [i, text] of OLD_TEXTS.entries()) {
    const searchText = searchTextOf(text);
    await db
      .insertInto('parley_messages')
      .values({
        id: `old-${i + 1}`,
        cid: 'team:old',
        seq: i + 1,
        type: 'regular',
        user_id: 'ana',
        text,
        data: '{}',
        created_at: NOW + i,
        updated_at: NOW + i,
        search_text: searchText,
        search_bigrams: cjkBigramsOf(searchText),
      } as never)
      .execute();
  }
  await db.destroy();
  return config;
}

/** The ids `storage` finds for a term as `readerId` (null: the server, every channel). */
const finder = (storage: Storage, readerId: string | null) => async (term: string) =>
  (await storage.searchMessages({ terms: [term], excluded: [], readerId, limit: 10 })).map(
    (m) => m.id,
  );

/** Progress written to stderr while the test runs (and written on). */
function capturedProgress(): string[] {
  const progress: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
    progress.push(String(chunk));
    return write(chunk as string, ...(rest as []));
  });
  return progress;
}

// SQLite only: PostgreSQL's trigram indexes keep no positions (SearchIndex.dropPositions)
// and find a term in one channel with an index of their own (SearchIndex.addChannelTokens).
describeRebuild(
  'without positions (migration 018)',
  '017_search_merge_steps',
  TABLES_WITH_POSITIONS,
);
describeRebuild(
  'with channel tokens (migration 022)',
  '021_search_channel_time',
  TABLES_WITHOUT_TOKENS,
);

function describeRebuild(how: string, upTo: string, tables: readonly string[]): void {
  describe(`sqlite: the search index ${how}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      vi.restoreAllMocks();
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('rebuilds an older server’s index with progress, and search finds exactly what it did', async () => {
      const config = await olderIndex(upTo, tables);
      cleanups.push(() => config.cleanup());
      const progress = capturedProgress();
      const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      cleanups.unshift(() => storage.close());
      await storage.migrate();
      expect(progress.join('')).toMatch(/rebuilding the search index parley_messages_fts/);
      expect(progress.join('')).toMatch(/search index parley_messages_fts: rowids up to 4 of 4/);
      expect(progress.join('')).toMatch(/search index parley_messages_fts: merged/);

      const direct = directDatabase('sqlite', config);
      cleanups.unshift(() => direct.destroy());
      const { rows } = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
        WHERE name IN ('parley_messages_fts', 'parley_messages_cjk') ORDER BY name`.execute(direct);
      expect(
        rows.map((r) => [r.name, /content='', .*\s*detail='none', columnsize=0/s.test(r.sql)]),
      ).toEqual([
        ['parley_messages_cjk', true],
        ['parley_messages_fts', true],
      ]);
      // The send path's merge steps hold for the new tables as for the old.
      for (const name of ['parley_messages_fts', 'parley_messages_cjk']) {
        const config = await sql<{ v: number }>`SELECT v FROM ${sql.raw(`${name}_config`)}
          WHERE k = 'automerge'`.execute(direct);
        expect(config.rows).toEqual([{ v: 0 }]);
      }
      // Each message indexed after its channel's token.
      const token = `"${channelTokenOf('team:old')}"`;
      const listed = async (table: string, match: string) =>
        (
          await sql<{ rowid: number }>`SELECT rowid FROM ${sql.table(table)}
            WHERE ${sql.table(table)} MATCH ${match} ORDER BY rowid`.execute(direct)
        ).rows.map((r) => r.rowid);
      expect(await listed('parley_messages_fts', `${token} AND "hot"`)).toEqual([3, 4]);
      expect(await listed('parley_messages_cjk', `${token} AND "会议"`)).toEqual([2]);

      const search = finder(storage, 'ana');
      const everywhere = finder(storage, null);
      expect(await search('cafe')).toEqual(['old-1']);
      expect(await search('au cafe')).toEqual(['old-1']);
      expect(await search('三楼')).toEqual(['old-2']);
      expect(await search('hotel')).toEqual(['old-3']);
      expect(await everywhere('hotel')).toEqual(['old-3']);
      expect(await everywhere('会议')).toEqual(['old-2']);
      // A second start finds nothing left to do.
      progress.length = 0;
      await storage.migrate();
      expect(progress.join('')).not.toMatch(/rebuilding/);
    });
  });
}

describe('sqlite: the search index rebuilt on demand (--rebuild-search-index)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('indexes every stored message again after the index lost them', async () => {
    const config = await olderIndex('022_search_channel_tokens', []);
    cleanups.push(() => config.cleanup());
    const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    cleanups.unshift(() => storage.close());
    await storage.migrate();
    // As after a VACUUM that renumbered the rows: the index lists none of them.
    const direct = directDatabase('sqlite', config);
    cleanups.unshift(() => direct.destroy());
    for (const table of ['parley_messages_fts', 'parley_messages_cjk']) {
      await sql`INSERT INTO ${sql.table(table)}(${sql.table(table)}) VALUES ('delete-all')`.execute(
        direct,
      );
    }
    expect(await finder(storage, null)('hotel')).toEqual([]);

    const progress = capturedProgress();
    await storage.rebuildSearchIndex();
    expect(progress.join('')).toMatch(/search index parley_messages_fts: rowids up to 4 of 4/);
    expect(await finder(storage, null)('hotel')).toEqual(['old-3']);
    expect(await finder(storage, 'ana')('hotel')).toEqual(['old-3']);
    expect(await finder(storage, 'ana')('会议')).toEqual(['old-2']);
    expect(await finder(storage, null)('cafe')).toEqual(['old-1']);
  });
});
