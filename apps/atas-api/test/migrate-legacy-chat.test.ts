import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import {
  TEST_API_KEY,
  TEST_SECRET,
  TestServer,
} from '../../../packages/server/test/helpers/test-server.js';
import { migrateLegacyChat } from '../src/index.js';
import { AtasHarness } from './helpers/atas-harness.js';

const CLI = fileURLToPath(new URL('../dist/migrate-legacy-chat-cli.js', import.meta.url));

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: migrate:legacy-chat`, () => {
    let parley: TestServer;
    let atas: AtasHarness;
    let invitation: any;
    let olgaId: string;
    let samId: string;
    // Inserted out of time order: the copy must follow the times, not the insertion.
    const times = [
      '2024-03-01T10:00:00.000Z',
      '2024-03-01T09:00:00.000Z',
      '2024-03-02T08:30:00.000Z',
    ];

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      const olga = await atas.user('Olga', 'organizer');
      const sam = await atas.user('Sam', 'speaker');
      olgaId = olga.user.id;
      samId = sam.user.id;
      invitation = await atas.invite(olga.session, sam.email);
      const log = atas.api.ctx.legacyLog;
      const conversationUuid = invitation.conversation_uuid;
      await log.post({
        conversationUuid,
        authorId: samId,
        text: 'second',
        createdAt: new Date(times[0]!),
      });
      await log.post({
        conversationUuid,
        authorId: olgaId,
        text: 'first',
        createdAt: new Date(times[1]!),
      });
      await log.post({
        conversationUuid,
        authorId: samId,
        text: 'third',
        createdAt: new Date(times[2]!),
      });
      // A conversation no invitation owns: it has no channel to go to.
      await log.post({ conversationUuid: 'orphan-conversation', authorId: olgaId, text: 'lost' });
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    // What a reader sees of each message (the embedded user's updated_at moves on upsert).
    const channelMessages = async (): Promise<
      Array<{ id: string; text: string; user_id: string; created_at: string }>
    > =>
      (
        await parley.api('GET', `/channels/request/${invitation.chat.id}?message_limit=200`)
      ).body.messages.map((m: any) => ({
        id: m.id,
        text: m.text,
        user_id: m.user_id,
        created_at: m.created_at,
      }));

    it('counts what it would copy in a dry run and writes nothing to Parley', async () => {
      const summary = await migrateLegacyChat({
        db: atas.api.db,
        chat: atas.api.ctx.chat,
        dryRun: true,
      });
      expect(summary).toEqual({
        conversations: 2,
        messages: 4,
        imported: 0,
        alreadyImported: 0,
        skipped: 1,
        dryRun: true,
      });
      expect(await channelMessages()).toEqual([]);
    });

    it('copies each message into the request channel in time order, with its author and time', async () => {
      const progress: Array<[number, number]> = [];
      const summary = await migrateLegacyChat({
        db: atas.api.db,
        chat: atas.api.ctx.chat,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(summary).toMatchObject({ imported: 3, alreadyImported: 0, skipped: 1 });
      expect(progress.at(-1)).toEqual([4, 4]);
      const messages = await channelMessages();
      expect(messages.map((m) => [m.text, m.user_id, m.created_at])).toEqual([
        ['first', olgaId, times[1]],
        ['second', samId, times[0]],
        ['third', samId, times[2]],
      ]);
      expect(messages.every((m) => /^legacy-[0-9a-f-]{36}$/.test(m.id))).toBe(true);
    });

    it('adds nothing when run again', async () => {
      const before = await channelMessages();
      const summary = await migrateLegacyChat({ db: atas.api.db, chat: atas.api.ctx.chat });
      expect(summary).toMatchObject({ imported: 0, alreadyImported: 3, skipped: 1 });
      expect(await channelMessages()).toEqual(before);
    });

    it('runs as a command: --dry-run prints a summary, an unknown flag is refused', async () => {
      const run = promisify(execFile);
      const env = {
        ...process.env,
        ATAS_DATA_DIR: atas.storage.dataDir,
        ATAS_DATABASE_URL: atas.storage.databaseUrl ?? '',
        PARLEY_URL: parley.url,
        PARLEY_API_KEY: TEST_API_KEY,
        PARLEY_SECRET: TEST_SECRET,
      };
      const dry = await run('node', [CLI, '--dry-run'], { env });
      expect(dry.stdout).toContain('dry run: 4 messages in 2 conversations would be copied');
      expect(dry.stdout).toContain('nothing was written');
      const bad = await run('node', [CLI, '--frobnicate']).catch((err: any) => err);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('unknown argument --frobnicate');
    });
  });
}
