import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createParleyServer, type ServerOptions } from '../../../src/index.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../../helpers/storages.js';
import { TEST_API_KEY, TEST_SECRET } from '../../helpers/test-server.js';

/** The .eml files the server wrote, parsed. */
async function mailbox(dataDir: string) {
  const folder = join(dataDir, 'mail');
  const files = await readdir(folder).catch(() => [] as string[]);
  return Promise.all(files.sort().map(async (f) => simpleParser(await readFile(join(folder, f)))));
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: emails without SMTP`, () => {
    it('writes them as .eml files, keeps the schedule across a restart, and mails mentions sooner', async () => {
      const storage = await createTestStorageConfig(kind);
      const dataDir = storage.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-mail-')));
      const options: ServerOptions = {
        port: 0,
        host: '127.0.0.1',
        dataDir,
        databaseUrl: storage.databaseUrl,
        apiKey: TEST_API_KEY,
        secret: TEST_SECRET,
        logLevel: false,
        notificationPollMs: 25,
        emailAfterMs: 2_500,
        mentionEmailAfterMs: 2_500,
        emailLinkTemplate: 'https://app.example/chat/{type}/{id}',
        publicUrl: 'https://chat.example/',
      };
      let server = createParleyServer(options);
      try {
        const { url } = await server.start();
        const token = await server.tokens.createServerToken();
        const api = (method: string, path: string, body: unknown) =>
          fetch(url + path, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        const ok = async (res: Promise<Response>) => expect((await res).status).toBeLessThan(300);
        await ok(
          api('POST', '/users', {
            users: [
              { id: 'ana', name: 'Ana' },
              { id: 'ben', email: 'ben@example.test' },
            ],
          }),
        );
        await ok(api('POST', '/channels/team/req@7', { members: ['ana', 'ben'] }));
        await ok(
          api('POST', '/channels/team/req@7/messages', {
            text: 'before the restart',
            user_id: 'ana',
          }),
        );
        // Stopped before the email is due: the schedule is in the database.
        await server.close();
        expect(await mailbox(dataDir)).toEqual([]);

        server = createParleyServer({ ...options, mentionEmailAfterMs: 200 });
        const restarted = await server.start();
        await until(async () => (await mailbox(dataDir)).length === 1);
        const [first] = await mailbox(dataDir);
        expect(first!.text).toContain('Ana: before the restart');
        expect(first!.text).toContain('https://app.example/chat/team/req%407');
        expect(first!.text).toContain('https://chat.example/notifications/unsubscribe?token=');

        // Other channels: a plain message waits 2.5 s, a mention 200 ms.
        const token2 = await server.tokens.createServerToken();
        const api2 = (path: string, body: unknown) =>
          fetch(restarted.url + path, {
            method: 'POST',
            headers: { authorization: `Bearer ${token2}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        await api2('/channels/team/plain', { members: ['ana', 'ben'] });
        await api2('/channels/team/plain/messages', { text: 'no hurry', user_id: 'ana' });
        await api2('/channels/team/mention', { members: ['ana', 'ben'] });
        await api2('/channels/team/mention/messages', {
          text: '@ben look',
          user_id: 'ana',
          mentioned_users: ['ben'],
        });
        await until(async () => (await mailbox(dataDir)).length === 2);
        const mails = await mailbox(dataDir);
        expect(mails).toHaveLength(2);
        // The channel has no name: the email names it after the other member.
        expect(mails[1]!.subject).toBe('1 unread message in Ana');
        expect(mails[1]!.text).not.toContain('no hurry');
      } finally {
        await server.close();
        await storage.cleanup();
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
