import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: invitations by email`, () => {
    let parley: TestServer;
    let atas: AtasHarness;
    let olga: Account;
    let eventId: string;

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      olga = await atas.user('Olga', 'organizer');
      const event = await atas.request('POST', '/api/v1/events', {
        session: olga.session,
        body: { title: 'Mail Conf', starts_at: '2030-05-01T09:00:00Z' },
      });
      eventId = event.body.event.id;
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    const invite = (email: string, message?: string) =>
      atas.request('POST', `/api/v1/events/${eventId}/invitations`, {
        session: olga.session,
        body: { speaker_email: email, message },
      });
    const counts = async () => ({
      users: (await atas.api.db.selectFrom('atas_users').select('id').execute()).length,
      invitations: (await atas.api.db.selectFrom('atas_invitations').select('id').execute()).length,
      links: (await atas.api.db.selectFrom('atas_links').select('token_hash').execute()).length,
      emails: (await atas.outbox()).length,
    });

    it('invites a new address: an email with a one-time link where the speaker joins and lands on the request', async () => {
      const res = await invite('New.Speaker@Example.org', 'Keynote on day two?');
      expect(res.status).toBe(201);
      expect(res.body.email_sent).toBe(true);
      const invitation = res.body.invitation;
      expect(invitation).toMatchObject({
        status: 'pending',
        message: 'Keynote on day two?',
        speaker: { email: 'new.speaker@example.org', joined: false },
      });
      const email = await atas.lastEmailTo('new.speaker@example.org');
      expect(email.subject).toBe('Olga invites you to speak at Mail Conf');
      expect(email.text).toContain('> Keynote on day two?');
      expect(email.token).not.toBeNull();

      const shown = await atas.request('GET', `/api/v1/invite-links/${email.token}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({
        email: 'new.speaker@example.org',
        invitation: { id: invitation.id, event: { title: 'Mail Conf' } },
      });
      const joined = await atas.request('POST', `/api/v1/invite-links/${email.token}`, {
        body: { name: 'Nia Speaker', password: 'nia-password' },
      });
      expect(joined.status).toBe(200);
      expect(joined.body).toMatchObject({
        invitation_id: invitation.id,
        user: { name: 'Nia Speaker', role: 'speaker', email: 'new.speaker@example.org' },
      });
      const theirs = await atas.request('GET', `/api/v1/invitations/${invitation.id}`, {
        session: joined.body.session,
      });
      expect(theirs.body.invitation.speaker).toMatchObject({ name: 'Nia Speaker', joined: true });
      const login = await atas.request('POST', '/api/v1/auth/login', {
        body: { email: 'new.speaker@example.org', password: 'nia-password' },
      });
      expect(login.status).toBe(200);

      const reused = await atas.request('POST', `/api/v1/invite-links/${email.token}`, {
        body: { name: 'Someone Else', password: 'other-password' },
      });
      expect(errorOf(reused)).toEqual({ status: 410, code: 'link_used' });
      expect(errorOf(await atas.request('GET', `/api/v1/invite-links/${email.token}`))).toEqual({
        status: 410,
        code: 'link_used',
      });
    });

    it('refuses a second invitation of the same email, the organizer themself and an organizer, writing nothing', async () => {
      await invite('dup@example.org');
      const before = await counts();
      const again = await invite('DUP@example.org');
      expect(errorOf(again)).toEqual({ status: 409, code: 'already_invited' });
      const self = await invite(olga.email);
      expect(errorOf(self)).toEqual({ status: 409, code: 'cannot_invite_self' });
      const oscar = await atas.user('Oscar', 'organizer');
      const organizer = await invite(oscar.email);
      expect(errorOf(organizer)).toEqual({ status: 409, code: 'not_a_speaker' });
      const bad = await invite('not-an-email');
      expect(errorOf(bad)).toEqual({ status: 400, code: 'invalid_request' });
      expect(await counts()).toEqual({ ...before, users: before.users + 1 }); // Oscar only
    });

    it('an existing speaker gets the request on the dashboard and an email linking to it', async () => {
      const sam = await atas.user('Sam', 'speaker');
      const res = await invite(sam.email);
      expect(res.body.invitation.speaker).toMatchObject({ id: sam.user.id, joined: true });
      const email = await atas.lastEmailTo(sam.email);
      expect(email.token).toBeNull();
      expect(email.text).toContain(`http://atas.test/dashboard/requests/${res.body.invitation.id}`);
      const list = await atas.request('GET', '/api/v1/invitations', { session: sam.session });
      expect(list.body.invitations.map((i: any) => i.id)).toEqual([res.body.invitation.id]);
    });

    it('resends with a new link; the old one stops working; an expired link is refused', async () => {
      const res = await invite('late@example.org');
      const first = await atas.lastEmailTo('late@example.org');
      const resent = await atas.request(
        'POST',
        `/api/v1/invitations/${res.body.invitation.id}/resend`,
        { session: olga.session },
      );
      expect(resent.status).toBe(200);
      expect(resent.body.email_sent).toBe(true);
      const second = await atas.lastEmailTo('late@example.org');
      expect(second.token).not.toBe(first.token);
      expect(errorOf(await atas.request('GET', `/api/v1/invite-links/${first.token}`))).toEqual({
        status: 410,
        code: 'link_used',
      });
      await atas.api.db
        .updateTable('atas_links')
        .set({ expires_at: Date.now() - 1 })
        .where('invitation_id', '=', res.body.invitation.id)
        .execute();
      const expired = await atas.request('POST', `/api/v1/invite-links/${second.token}`, {
        body: { name: 'Late', password: 'late-password' },
      });
      expect(errorOf(expired)).toEqual({ status: 410, code: 'link_expired' });
      const account = await atas.api.ctx.accounts.findByEmail('late@example.org');
      expect(account?.password_hash).toBe('');
    });

    it('lists the event invitations with their status for its organizer only', async () => {
      const res = await atas.request('GET', `/api/v1/events/${eventId}/invitations`, {
        session: olga.session,
      });
      expect(res.status).toBe(200);
      expect(res.body.invitations.map((i: any) => [i.speaker.email, i.status])).toEqual([
        ['late@example.org', 'pending'],
        ['sam@atas.test', 'pending'],
        ['dup@example.org', 'pending'],
        ['new.speaker@example.org', 'pending'],
      ]);
      const other = await atas.request('GET', `/api/v1/events/${eventId}/invitations`, {
        session: await atas.login('oscar@atas.test', 'Oscar-password'),
      });
      expect(errorOf(other)).toEqual({ status: 404, code: 'event_not_found' });
    });

    it('withdraws a pending invitation: a notice in its log, which becomes read-only', async () => {
      const res = await invite('gone@example.org');
      const { token } = await atas.lastEmailTo('gone@example.org');
      const invitation = res.body.invitation;
      await parley.api('POST', `/channels/request/${invitation.chat.id}/messages`, {
        body: { text: 'Before the withdrawal', user_id: olga.user.id },
      });
      const withdrawn = await atas.request(
        'POST',
        `/api/v1/invitations/${invitation.id}/withdraw`,
        {
          session: olga.session,
        },
      );
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({
        invitation: { status: 'withdrawn' },
        chat_notified: true,
      });

      const channel = await parley.api('GET', `/channels/request/${invitation.chat.id}`);
      expect(channel.body.members).toEqual([]);
      expect(channel.body.channel.data.read_only).toBe(true);
      // Nobody can write any more: the organizer's own chat token is refused by Parley.
      const chatToken = await atas.request('GET', '/api/v1/chat/token', { session: olga.session });
      const send = await parley.api('POST', `/channels/request/${invitation.chat.id}/messages`, {
        token: chatToken.body.token,
        body: { text: 'after' },
      });
      expect(send.body.error.code).toBe('not_member');
      // Both sides still read it through ATAS.
      const log = await atas.request('GET', `/api/v1/invitations/${invitation.id}/log`, {
        session: olga.session,
      });
      expect(log.body.read_only).toBe(true);
      expect(log.body.messages.map((m: any) => [m.type, m.text])).toEqual([
        ['regular', 'Before the withdrawal'],
        ['system', 'Olga withdrew the invitation. This Communication Log is now read-only.'],
      ]);
      // The link in the email is dead, and a second withdrawal is refused.
      expect(errorOf(await atas.request('GET', `/api/v1/invite-links/${token}`))).toEqual({
        status: 410,
        code: 'link_used',
      });
      const again = await atas.request('POST', `/api/v1/invitations/${invitation.id}/withdraw`, {
        session: olga.session,
      });
      expect(errorOf(again)).toEqual({ status: 409, code: 'invitation_not_withdrawable' });
      const resend = await atas.request('POST', `/api/v1/invitations/${invitation.id}/resend`, {
        session: olga.session,
      });
      expect(errorOf(resend)).toEqual({ status: 409, code: 'invitation_not_pending' });
    });
  });
}
