import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

// What Parley needs from ATAS to email people about unread messages: their addresses
// (pushed on sign-up, profile change, chat token and start-up) and, per channel, the page
// the email links to (`data.url`). Read back from Parley with its server token.
for (const kind of STORAGE_KINDS) {
  describe(`${kind}: emails and links reach Parley`, () => {
    let parley: TestServer;
    let atas: AtasHarness;
    let olga: Account;

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      olga = await atas.user('Olga', 'organizer');
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    /** The address Parley would email `userId` at (null when none, undefined when unknown). */
    async function parleyEmail(userId: string): Promise<string | null | undefined> {
      const res = await parley.api('GET', `/users/${userId}/notification-settings`);
      return res.status === 200 ? res.body.settings.email : undefined;
    }
    const channelData = async (type: string, id: string) =>
      (await parley.api('GET', `/channels/${type}/${id}`)).body.channel.data;

    it('pushes the email of an organizer who signs up', async () => {
      const res = await atas.request('POST', '/api/v1/auth/signup', {
        body: { email: 'New.Org@Example.org', password: 'a-long-password', name: 'Nora' },
      });
      expect(res.status).toBe(201);
      expect(await parleyEmail(res.body.user.id)).toBe('new.org@example.org');
    });

    it('pushes the email of an account Parley did not know at its chat token and at a profile change', async () => {
      // Made straight in the database, as accounts from before emails were pushed.
      const early = await atas.user('Early', 'speaker');
      expect(await parleyEmail(early.user.id)).toBeUndefined();
      await atas.request('GET', '/api/v1/chat/token', { session: early.session });
      expect(await parleyEmail(early.user.id)).toBe(early.email);

      const late = await atas.user('Late', 'speaker');
      const patched = await atas.request('PATCH', '/api/v1/me', {
        session: late.session,
        body: { name: 'Late Comer' },
      });
      expect(patched.body.chat_notified).toBe(true);
      expect(await parleyEmail(late.user.id)).toBe(late.email);
    });

    it('pushes every account with syncChatUsers, which start() runs in the background', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await atas.user(`Batch${i}`, 'speaker')).user.id);
      expect(await parleyEmail(ids[0]!)).toBeUndefined();
      expect(await atas.api.syncChatUsers()).toBeGreaterThanOrEqual(ids.length + 1);
      for (const [i, id] of ids.entries()) {
        expect(await parleyEmail(id)).toBe(`batch${i}@atas.test`);
      }
    });

    it('withholds the email of an invited speaker until they join through the link', async () => {
      const invitation = await atas.invite(olga.session, 'not.yet@example.org', 'Join Conf');
      const speakerId = invitation.speaker.id;
      expect(await parleyEmail(speakerId)).toBeNull();
      const { token } = await atas.lastEmailTo('not.yet@example.org');
      const joined = await atas.request('POST', `/api/v1/invite-links/${token}`, {
        body: { name: 'Not Yet', password: 'a-long-password' },
      });
      expect(joined.status).toBe(200);
      expect(await parleyEmail(speakerId)).toBe('not.yet@example.org');
    });

    it("sets a request channel's url to the request page, and an event chat's to the conversation", async () => {
      const sam = await atas.user('Sam', 'speaker');
      const invitation = await atas.invite(olga.session, sam.email, 'Link Conf');
      expect((await channelData('request', invitation.chat.id)).url).toBe(
        `http://atas.test/dashboard/requests/${invitation.id}`,
      );
      await atas.request('POST', `/api/v1/invitations/${invitation.id}/accept`, {
        session: sam.session,
      });
      const eventId = invitation.event.id;
      expect((await channelData('event', `event_${eventId}`)).url).toBe(
        `http://atas.test/dashboard/messages?c=${encodeURIComponent(`event:event_${eventId}`)}`,
      );
    });

    it('gives a channel without the right url (made before, or under another address) the request page', async () => {
      const tom = await atas.user('Tom', 'speaker');
      const invitation = await atas.invite(olga.session, tom.email, 'Old Conf');
      const changed = await parley.api('PATCH', `/channels/request/${invitation.chat.id}`, {
        body: { set: { url: 'http://old.example/requests/1' } },
      });
      expect(changed.status).toBe(200);
      const chat = await atas.request('GET', `/api/v1/invitations/${invitation.id}/chat`, {
        session: tom.session,
      });
      expect(chat.status).toBe(200);
      expect((await channelData('request', invitation.chat.id)).url).toBe(
        `http://atas.test/dashboard/requests/${invitation.id}`,
      );
    });
  });
}
