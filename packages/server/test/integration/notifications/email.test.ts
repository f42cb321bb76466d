import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { TestServer } from '../../helpers/test-server.js';

/**
 * How long a member may stay away before an email; the tests act well within it (on a
 * loaded machine too). `settle` waits until an email that was going to come has come.
 */
const EMAIL_AFTER_MS = 1_500;
const settle = () => new Promise((resolve) => setTimeout(resolve, EMAIL_AFTER_MS + 1_000));

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: email for offline users`, () => {
    let smtp: SmtpSink;
    let server: TestServer;
    let counter = 0;
    const fresh = (prefix: string) => `${prefix}${++counter}`;

    beforeAll(async () => {
      smtp = await SmtpSink.start();
      server = await TestServer.start(kind, {
        smtpUrl: smtp.url,
        emailFrom: 'Parley <chat@atas.example>',
        emailAfterMs: EMAIL_AFTER_MS,
        mentionEmailAfterMs: EMAIL_AFTER_MS,
        notificationPollMs: 25,
      });
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });

    /** A sender and a recipient with an address, in a new channel with `data`. */
    async function conversation(data: Record<string, unknown> = {}) {
      const [ana, ben] = [fresh('ana'), fresh('ben')];
      const email = `${ben}@example.test`;
      const res = await server.api('POST', '/users', {
        body: {
          users: [
            { id: ana, name: 'Ana' },
            { id: ben, name: 'Ben', email },
          ],
        },
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(email);
      const id = fresh('log');
      await server.api('POST', `/channels/team/${id}`, { body: { members: [ana, ben], data } });
      const send = async (text: string, extra: Record<string, unknown> = {}) => {
        const sent = await server.api('POST', `/channels/team/${id}/messages`, {
          body: { text, user_id: ana, ...extra },
        });
        expect(sent.status).toBe(201);
      };
      return { ana, ben, email, id, cid: `team:${id}`, send };
    }

    it('sends an offline member exactly one email for three messages, with the link, quotes and a working unsubscribe', async () => {
      const c = await conversation({
        name: 'Invitation: <Keynote>',
        url: 'https://atas.example/requests/7',
      });
      await c.send('Hello Ben');
      await c.send('Are you <b>free</b> on Monday?');
      await c.send('Please answer soon');
      const [mail] = await smtp.waitFor(c.email);
      await settle();
      expect(smtp.to(c.email)).toHaveLength(1);

      expect(mail!.from?.value).toEqual([{ name: 'Parley', address: 'chat@atas.example' }]);
      expect(mail!.subject).toBe('3 unread messages in Invitation: <Keynote>');
      expect(mail!.text).toContain('Ana: Hello Ben');
      expect(mail!.text).toContain('Ana: Are you <b>free</b> on Monday?');
      expect(mail!.text).toContain('https://atas.example/requests/7');
      // Message text is text in the HTML part too: escaped, never markup.
      expect(mail!.html).toContain('Are you &lt;b&gt;free&lt;/b&gt; on Monday?');
      expect(mail!.html).toContain('Invitation: &lt;Keynote&gt;');
      expect(mail!.html).not.toContain('<b>free</b>');
      expect(mail!.html).toContain('href="https://atas.example/requests/7"');

      // RFC 8058 one-click unsubscribe, without logging in.
      const header = (name: string) =>
        mail!.headerLines
          .find((h) => h.key === name)
          ?.line.slice(name.length + 1)
          .trim();
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const link = /^<([^>]+)>$/.exec(header('list-unsubscribe')!.replace(/\s+/g, ''))![1]!;
      expect(link.startsWith(`${server.url}/notifications/unsubscribe?token=`)).toBe(true);
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<form method="post"');
      const settings = () => server.api('GET', `/users/${c.ben}/notification-settings`);
      expect((await settings()).body.settings.email_enabled).toBe(true);
      const click = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(click.status).toBe(200);
      expect(await click.text()).toContain('Unsubscribed');
      expect((await settings()).body.settings).toEqual({
        email: c.email,
        email_enabled: false,
        muted_cids: [],
      });

      // Read, then new messages: no email any more.
      await server.api('POST', `/channels/team/${c.id}/read`, { body: { user_id: c.ben } });
      await c.send('Still there?');
      await settle();
      expect(smtp.to(c.email)).toHaveLength(1);
    });

    it('sends no email to a member who reads in time, nor to one who connects in time', async () => {
      const reader = await conversation();
      await reader.send('one');
      await reader.send('two');
      await server.api('POST', `/channels/team/${reader.id}/read`, {
        body: { user_id: reader.ben },
      });

      const visitor = await conversation();
      await visitor.send('see you');
      const socket = await server.connect(visitor.ben);
      await socket.close();

      await settle();
      expect(smtp.to(reader.email)).toEqual([]);
      expect(smtp.to(visitor.email)).toEqual([]);
    });

    it('sends one email per channel until the member reads, then one for what comes next', async () => {
      const c = await conversation();
      await c.send('first');
      await smtp.waitFor(c.email, 1);
      await c.send('second, after the email');
      await settle();
      expect(smtp.to(c.email)).toHaveLength(1);
      await server.api('POST', `/channels/team/${c.id}/read`, { body: { user_id: c.ben } });
      await c.send('third, after reading');
      const mails = await smtp.waitFor(c.email, 2);
      expect(mails[1]!.subject).toBe('1 unread message in Ana'); // unnamed: the other member
      expect(mails[1]!.text).toContain('third, after reading');
      expect(mails[1]!.text).not.toContain('second');
    });

    it('honours mutes, and lets only the user or the server see and change the settings', async () => {
      const c = await conversation();
      const token = await server.tokenFor(c.ben);
      const muted = await server.api('PUT', `/users/${c.ben}/notification-settings`, {
        token,
        body: { mute: [c.cid] },
      });
      expect(muted.status).toBe(200);
      expect(muted.body.settings).toEqual({
        email: c.email,
        email_enabled: true,
        muted_cids: [c.cid],
      });
      await c.send('muted');
      await settle();
      expect(smtp.to(c.email)).toEqual([]);

      const other = await server.api('GET', `/users/${c.ben}/notification-settings`, {
        token: await server.tokenFor(c.ana),
      });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('user_mismatch');
      // Another user never sees the address.
      const seen = await server.api('GET', `/users/${c.ben}`, {
        token: await server.tokenFor(c.ana),
      });
      expect(JSON.stringify(seen.body)).not.toContain(c.email);
      const notMember = await server.api('PUT', `/users/${c.ben}/notification-settings`, {
        token,
        body: { mute: ['team:elsewhere'], email_enabled: false },
      });
      expect(notMember.status).toBe(403);
      expect(notMember.body.error).toMatchObject({
        code: 'not_member',
        details: { cids: ['team:elsewhere'] },
      });
      // Nothing half-done: email stays on.
      const after = await server.api('GET', `/users/${c.ben}/notification-settings`, { token });
      expect(after.body.settings.email_enabled).toBe(true);
      const unknown = await server.api('GET', '/users/nobody-at-all/notification-settings');
      expect(unknown.body.error.code).toBe('user_not_found');
      const bad = await server.api('PUT', `/users/${c.ben}/notification-settings`, {
        body: { email: 'x' },
      });
      expect(bad.body.error.code).toBe('invalid_request');
      const badEmail = await server.api('POST', '/users', {
        body: { users: [{ id: c.ben, email: 'not an address' }] },
      });
      expect(badEmail.body.error.code).toBe('invalid_request');
    });

    it('refuses an unsubscribe link whose token does not verify', async () => {
      const c = await conversation();
      const forged = `${Buffer.from(c.ben).toString('base64url')}.${Buffer.alloc(32).toString('base64url')}`;
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${server.url}/notifications/unsubscribe?token=${forged}`, {
          method,
        });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'invalid_signature',
        );
      }
      const settings = await server.api('GET', `/users/${c.ben}/notification-settings`);
      expect(settings.body.settings.email_enabled).toBe(true);
    });
  });
}
