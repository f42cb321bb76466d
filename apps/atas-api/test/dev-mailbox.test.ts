import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';

interface Listed {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  created_at: string;
}

// The dev mailbox reads files, so one database kind is enough. Parley runs without SMTP, as
// in `npm start`: its emails are .eml files in its data folder, listed beside ATAS's.
describe('the dev mailbox (no SMTP)', () => {
  let parleyDir: string;
  let parley: TestServer;
  let atas: AtasHarness;

  beforeAll(async () => {
    parleyDir = await mkdtemp(join(tmpdir(), 'parley-mail-'));
    parley = await TestServer.start('sqlite', {
      dataDir: parleyDir,
      emailAfterMs: 1_000,
      mentionEmailAfterMs: 1_000,
      notificationPollMs: 25,
    });
    atas = await AtasHarness.start('sqlite', parley.url, {
      devMailbox: true,
      devMailFolders: [join(parleyDir, 'mail')],
    });
  });
  afterAll(async () => {
    await atas?.close();
    await parley?.close();
    await rm(parleyDir, { recursive: true, force: true });
  });

  const list = async (): Promise<Listed[]> =>
    (await atas.request('GET', '/api/v1/dev/mail')).body.emails;

  it("lists ATAS's and Parley's emails of the data folder, newest first, with sender, date and text", async () => {
    expect(await list()).toEqual([]);
    const olga = await atas.user('Olga', 'organizer');
    const sam = await atas.user('Sam', 'speaker');
    const invitation = await atas.invite(olga.session, sam.email, 'Mailbox Conf');
    await parley.api('POST', `/channels/request/${invitation.chat.id}/messages`, {
      body: { user_id: olga.user.id, text: 'See you at Mailbox Conf!' },
    });

    const deadline = Date.now() + 15_000;
    let emails = await list();
    while (emails.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      emails = await list();
    }
    expect(emails).toHaveLength(2);
    const [fromParley, fromAtas] = emails;
    expect(fromAtas).toMatchObject({
      from: 'no-reply@atas.localhost',
      to: sam.email,
      subject: 'Olga invites you to speak at Mailbox Conf',
    });
    expect(fromAtas!.text).toContain(`http://atas.test/dashboard/requests/${invitation.id}`);
    expect(Number.isNaN(Date.parse(fromAtas!.created_at))).toBe(false);
    expect(fromParley!.to).toBe(sam.email);
    expect(fromParley!.text).toContain('See you at Mailbox Conf!');
    expect(fromParley!.text).toContain(`http://atas.test/dashboard/requests/${invitation.id}`);
    expect(fromParley!.created_at >= fromAtas!.created_at).toBe(true);
  });

  it('is not there with SMTP configured, nor without the devMailbox option', async () => {
    const withSmtp = await AtasHarness.start('sqlite', parley.url, {
      devMailbox: true,
      mail: { smtpUrl: 'smtp://127.0.0.1:1' },
    });
    const without = await AtasHarness.start('sqlite', parley.url);
    try {
      for (const harness of [withSmtp, without]) {
        const res = await harness.request('GET', '/api/v1/dev/mail');
        expect(errorOf(res)).toEqual({ status: 404, code: 'not_found' });
      }
    } finally {
      await withSmtp.close();
      await without.close();
    }
  });
});
