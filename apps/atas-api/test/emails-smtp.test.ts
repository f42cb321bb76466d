import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '../../../packages/server/test/helpers/smtp-sink.js';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

/** Parley emails a member away this long; short, so the test sees it. */
const EMAIL_AFTER_MS = 1_500;

const fromOf = (mail: ParsedMail) => mail.from?.value[0]?.address;

// ATAS and Parley configured as a deployment would: both send through one SMTP server (a
// real one, started here), and what arrives is parsed as a mail provider would.
for (const kind of STORAGE_KINDS) {
  describe(`${kind}: ATAS's emails through SMTP`, () => {
    let smtp: SmtpSink;
    let parley: TestServer;
    let atas: AtasHarness;
    let olga: Account;

    beforeAll(async () => {
      smtp = await SmtpSink.start();
      parley = await TestServer.start('sqlite', {
        smtpUrl: smtp.url,
        emailFrom: 'Parley <chat@atas.test>',
        emailAfterMs: EMAIL_AFTER_MS,
        mentionEmailAfterMs: EMAIL_AFTER_MS,
        notificationPollMs: 25,
      });
      atas = await AtasHarness.start(kind, parley.url, {
        mail: { smtpUrl: smtp.url, from: 'ATAS <no-reply@atas.test>' },
      });
      olga = await atas.user('Olga', 'organizer');
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
      await smtp?.close();
    });

    /** The emails to `address` from `sender` (ATAS's or Parley's), once there are `count`. */
    async function mailsFrom(sender: string, address: string, count: number) {
      const mine = () => smtp.to(address).filter((m) => fromOf(m) === sender);
      const deadline = Date.now() + 15_000;
      while (mine().length < count) {
        if (Date.now() > deadline) throw new Error(`${address} got ${mine().length} of ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return mine();
    }
    const atasMails = (address: string, count: number) =>
      mailsFrom('no-reply@atas.test', address, count);

    it('emails a speaker with an account when invited, with a link to the request page', async () => {
      const sam = await atas.user('Sam', 'speaker');
      const invitation = await atas.invite(olga.session, sam.email, 'Smtp Conf');
      const [mail] = await atasMails(sam.email, 1);
      expect(mail!.subject).toBe('Olga invites you to speak at Smtp Conf');
      expect(mail!.text).toContain(`http://atas.test/dashboard/requests/${invitation.id}`);
      expect(atas.api.ctx.mailer.outbox).toBeNull();
      expect(await atas.outbox()).toEqual([]); // nothing kept on disk with SMTP
    });

    it('emails a new address an invite link where the speaker joins', async () => {
      await atas.invite(olga.session, 'fresh.face@example.org', 'Join Conf');
      const [mail] = await atasMails('fresh.face@example.org', 1);
      expect(mail!.subject).toBe('Olga invites you to speak at Join Conf');
      expect(mail!.text).toMatch(/http:\/\/atas\.test\/invite\/[\w-]+/);
    });

    it('emails the organizer when a speaker accepts and when another declines, with the request page', async () => {
      const [ana, ben] = [await atas.user('Ana', 'speaker'), await atas.user('Ben', 'speaker')];
      const first = await atas.invite(olga.session, ana.email, 'Answer Conf');
      const second = await atas.invite(olga.session, ben.email, 'Other Conf');
      const before = (await atasMails(olga.email, 0)).length;

      const accepted = await atas.request('POST', `/api/v1/invitations/${first.id}/accept`, {
        session: ana.session,
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body.email_sent).toBe(true);
      const declined = await atas.request('POST', `/api/v1/invitations/${second.id}/decline`, {
        session: ben.session,
      });
      expect(declined.body.email_sent).toBe(true);

      const mails = (await atasMails(olga.email, before + 2)).slice(-2);
      const bySubject = Object.fromEntries(mails.map((m) => [m.subject, m.text]));
      expect(bySubject['Ana accepted your invitation to Answer Conf']).toContain(
        `http://atas.test/dashboard/requests/${first.id}`,
      );
      expect(bySubject['Ben declined your invitation to Other Conf']).toContain(
        `http://atas.test/dashboard/requests/${second.id}`,
      );
    });

    it("lets Parley email an offline speaker about the organizer's message, linking to the request page", async () => {
      const kim = await atas.user('Kim', 'speaker');
      const invitation = await atas.invite(olga.session, kim.email, 'Offline Conf');
      await atasMails(kim.email, 1); // the invitation
      // Olga writes in the Communication Log; Kim has no connection open.
      const sent = await parley.api('POST', `/channels/request/${invitation.chat.id}/messages`, {
        body: { user_id: olga.user.id, text: 'Could you send us your talk title?' },
      });
      expect(sent.status).toBe(201);
      const fromParley = await mailsFrom('chat@atas.test', kim.email, 1);
      expect(fromParley[0]!.text).toContain('Could you send us your talk title?');
      expect(fromParley[0]!.text).toContain(`http://atas.test/dashboard/requests/${invitation.id}`);
    });
  });
}
