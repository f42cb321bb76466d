import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: events and invitations`, () => {
    let parley: TestServer;
    let atas: AtasHarness;
    let olga: Account;
    let oscar: Account;
    let sam: Account;
    let sue: Account;
    let samInvitation: any;
    let sueInvitation: any;

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      olga = await atas.user('Olga', 'organizer');
      oscar = await atas.user('Oscar', 'organizer');
      sam = await atas.user('Sam', 'speaker');
      sue = await atas.user('Sue', 'speaker');
      samInvitation = await atas.invite(olga.session, sam.email, 'Old conf');
      sueInvitation = await atas.invite(olga.session, sue.email);
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    it('creates a pending invitation with its event, both people and its request channel', async () => {
      expect(samInvitation).toMatchObject({
        status: 'pending',
        event: { title: 'Old conf', organizer_id: olga.user.id },
        organizer: { id: olga.user.id, name: 'Olga' },
        speaker: { id: sam.user.id, name: 'Sam' },
        chat: {
          type: 'request',
          id: `legacy_${samInvitation.conversation_uuid}`,
          cid: `request:legacy_${samInvitation.conversation_uuid}`,
        },
      });
      const channel = await parley.api('GET', `/channels/request/${samInvitation.chat.id}`);
      expect(channel.status).toBe(200);
      expect(channel.body.members.map((m: any) => m.user_id).sort()).toEqual(
        [olga.user.id, sam.user.id].sort(),
      );
    });

    it('lets only organizers create events and invite, and only to their own events', async () => {
      const bySpeaker = await atas.request('POST', '/api/v1/events', {
        session: sam.session,
        body: { title: 'Mine', starts_at: '2030-01-01T00:00:00Z' },
      });
      expect(errorOf(bySpeaker)).toEqual({ status: 403, code: 'forbidden' });
      const othersEvent = await atas.request(
        'POST',
        `/api/v1/events/${samInvitation.event.id}/invitations`,
        { session: oscar.session, body: { speaker_email: sue.email } },
      );
      expect(errorOf(othersEvent)).toEqual({ status: 404, code: 'event_not_found' });
      const again = await atas.request(
        'POST',
        `/api/v1/events/${samInvitation.event.id}/invitations`,
        { session: olga.session, body: { speaker_email: sam.email } },
      );
      expect(errorOf(again)).toEqual({ status: 409, code: 'already_invited' });
      const notSpeaker = await atas.request(
        'POST',
        `/api/v1/events/${samInvitation.event.id}/invitations`,
        { session: olga.session, body: { speaker_email: oscar.email } },
      );
      expect(errorOf(notSpeaker)).toEqual({ status: 409, code: 'not_a_speaker' });
    });

    it('refuses a malformed event and creates nothing', async () => {
      const before = await atas.request('GET', '/api/v1/events', { session: olga.session });
      const res = await atas.request('POST', '/api/v1/events', {
        session: olga.session,
        body: { title: ' ', starts_at: 'tomorrow' },
      });
      expect(errorOf(res)).toEqual({ status: 400, code: 'invalid_request' });
      expect(res.body.error.details.issues.map((i: any) => i.path).sort()).toEqual([
        'starts_at',
        'title',
      ]);
      const after = await atas.request('GET', '/api/v1/events', { session: olga.session });
      expect(after.body.events).toEqual(before.body.events);
    });

    it('shows an invitation to its organizer and its speaker, and 404 to anyone else', async () => {
      for (const who of [olga, sue]) {
        const res = await atas.request('GET', `/api/v1/invitations/${sueInvitation.id}`, {
          session: who.session,
        });
        expect(res.status).toBe(200);
        expect(res.body.invitation.id).toBe(sueInvitation.id);
      }
      for (const who of [sam, oscar]) {
        const res = await atas.request('GET', `/api/v1/invitations/${sueInvitation.id}`, {
          session: who.session,
        });
        expect(errorOf(res)).toEqual({ status: 404, code: 'invitation_not_found' });
      }
      const forged = await atas.request('GET', '/api/v1/invitations/not-an-id', {
        session: sue.session,
      });
      expect(errorOf(forged)).toEqual({ status: 404, code: 'invitation_not_found' });
    });

    it('lets neither the organizer nor another speaker answer, and changes nothing', async () => {
      const byOrganizer = await atas.request(
        'POST',
        `/api/v1/invitations/${sueInvitation.id}/accept`,
        { session: olga.session },
      );
      expect(errorOf(byOrganizer)).toEqual({ status: 403, code: 'forbidden' });
      const byOther = await atas.request(
        'POST',
        `/api/v1/invitations/${sueInvitation.id}/decline`,
        {
          session: sam.session,
        },
      );
      expect(errorOf(byOther)).toEqual({ status: 404, code: 'invitation_not_found' });
      const now = await atas.request('GET', `/api/v1/invitations/${sueInvitation.id}`, {
        session: sue.session,
      });
      expect(now.body.invitation.status).toBe('pending');
    });

    it('lets the speaker accept once, posts a system message in the request channel, then refuses another answer', async () => {
      const res = await atas.request('POST', `/api/v1/invitations/${samInvitation.id}/accept`, {
        session: sam.session,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ invitation: { status: 'accepted' }, chat_notified: true });
      const channel = await parley.api('GET', `/channels/request/${samInvitation.chat.id}`);
      const system = channel.body.messages.filter((m: any) => m.type === 'system');
      expect(system).toHaveLength(1);
      expect(system[0]).toMatchObject({
        text: 'Sam accepted the invitation',
        data: { kind: 'status', status: 'accepted', invitation_id: samInvitation.id },
      });
      const again = await atas.request('POST', `/api/v1/invitations/${samInvitation.id}/decline`, {
        session: sam.session,
      });
      expect(errorOf(again)).toEqual({ status: 409, code: 'invitation_not_pending' });
      const after = await parley.api('GET', `/channels/request/${samInvitation.chat.id}`);
      expect(after.body.messages.filter((m: any) => m.type === 'system')).toHaveLength(1);
    });

    it('posts a decline as a system message too', async () => {
      const oscarsEvent = await atas.invite(oscar.session, sue.email, 'Declined conf');
      const res = await atas.request('POST', `/api/v1/invitations/${oscarsEvent.id}/decline`, {
        session: sue.session,
      });
      expect(res.body).toMatchObject({ invitation: { status: 'declined' }, chat_notified: true });
      const channel = await parley.api('GET', `/channels/request/${oscarsEvent.chat.id}`);
      expect(channel.body.messages.map((m: any) => [m.type, m.text])).toEqual([
        ['system', 'Sue declined the invitation'],
      ]);
    });

    it("lists the user's invitations, pending first", async () => {
      const res = await atas.request('GET', '/api/v1/invitations', { session: olga.session });
      expect(res.status).toBe(200);
      expect(res.body.invitations.map((i: any) => [i.id, i.status])).toEqual([
        [sueInvitation.id, 'pending'],
        [samInvitation.id, 'accepted'],
      ]);
      // Sue's declined invitation is newer than her pending one, and still comes after it.
      const sues = await atas.request('GET', '/api/v1/invitations', { session: sue.session });
      expect(sues.body.invitations.map((i: any) => [i.event.title, i.status])).toEqual([
        ['Parley Conf', 'pending'],
        ['Declined conf', 'declined'],
      ]);
      const sams = await atas.request('GET', '/api/v1/invitations', { session: sam.session });
      expect(sams.body.invitations.map((i: any) => i.id)).toEqual([samInvitation.id]);
    });

    it("refuses a speaker another speaker's request channel, in the API and in Parley", async () => {
      const viaApi = await atas.request('GET', `/api/v1/invitations/${sueInvitation.id}/chat`, {
        session: sam.session,
      });
      expect(errorOf(viaApi)).toEqual({ status: 404, code: 'invitation_not_found' });
      const own = await atas.request('GET', `/api/v1/invitations/${samInvitation.id}/chat`, {
        session: sam.session,
      });
      expect(own.body.channel).toEqual(samInvitation.chat);

      const token = await atas.request('GET', '/api/v1/chat/token', { session: sam.session });
      expect(token.status).toBe(200);
      const mine = await parley.api('GET', `/channels/request/${samInvitation.chat.id}`, {
        token: token.body.token,
      });
      expect(mine.status).toBe(200);
      const theirs = await parley.api('GET', `/channels/request/${sueInvitation.chat.id}`, {
        token: token.body.token,
      });
      expect({ status: theirs.status, code: theirs.body.error.code }).toEqual({
        status: 403,
        code: 'not_member',
      });
    });
  });
}
