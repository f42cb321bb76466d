import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: events and their chat`, () => {
    let parley: TestServer;
    let atas: AtasHarness;
    let olga: Account;
    let oscar: Account;
    let sam: Account;
    let sue: Account;
    let event: any;

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      olga = await atas.user('Olga', 'organizer');
      oscar = await atas.user('Oscar', 'organizer');
      sam = await atas.user('Sam', 'speaker');
      sue = await atas.user('Sue', 'speaker');
      const res = await atas.request('POST', '/api/v1/events', {
        session: olga.session,
        body: {
          title: 'Lisbon Days',
          description: 'Two days by the river.',
          location: 'Centro de Congressos',
          starts_at: '2030-06-10T08:00:00Z',
          ends_at: '2030-06-11T17:00:00Z',
          time_zone: 'Europe/Lisbon',
        },
      });
      expect(res.status).toBe(201);
      event = res.body.event;
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    const eventChat = () => parley.api('GET', `/channels/event/event_${event.id}`);
    const memberIds = (res: any) => res.body.members.map((m: any) => m.user_id).sort();

    it('creates an event with its description, venue and time zone, and its chat', async () => {
      expect(event).toMatchObject({
        title: 'Lisbon Days',
        description: 'Two days by the river.',
        location: 'Centro de Congressos',
        starts_at: '2030-06-10T08:00:00.000Z',
        ends_at: '2030-06-11T17:00:00.000Z',
        time_zone: 'Europe/Lisbon',
      });
      const chat = await eventChat();
      expect(chat.body.channel.data).toMatchObject({ name: 'Lisbon Days', event_id: event.id });
      expect(memberIds(chat)).toEqual([olga.user.id]);
    });

    it('refuses an event ending before it starts and an unknown time zone, writing nothing', async () => {
      const before = await atas.request('GET', '/api/v1/events', { session: olga.session });
      const backwards = await atas.request('POST', '/api/v1/events', {
        session: olga.session,
        body: {
          title: 'Backwards',
          starts_at: '2030-01-02T00:00:00Z',
          ends_at: '2030-01-01T00:00:00Z',
        },
      });
      expect(errorOf(backwards)).toEqual({ status: 400, code: 'invalid_request' });
      expect(backwards.body.error.details.issues[0].path).toBe('ends_at');
      const zone = await atas.request('POST', '/api/v1/events', {
        session: olga.session,
        body: { title: 'Nowhere', starts_at: '2030-01-02T00:00:00Z', time_zone: 'Mars/Olympus' },
      });
      expect(errorOf(zone)).toEqual({ status: 400, code: 'invalid_request' });
      const after = await atas.request('GET', '/api/v1/events', { session: olga.session });
      expect(after.body.events).toEqual(before.body.events);
    });

    it('edits an event; an edit that would end it before it starts changes nothing', async () => {
      const edited = await atas.request('PATCH', `/api/v1/events/${event.id}`, {
        session: olga.session,
        body: { title: 'Lisbon Days 2030', time_zone: 'America/Sao_Paulo', description: null },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.event).toMatchObject({
        title: 'Lisbon Days 2030',
        time_zone: 'America/Sao_Paulo',
        description: null,
        location: 'Centro de Congressos',
      });
      expect((await eventChat()).body.channel.data.name).toBe('Lisbon Days 2030');

      const backwards = await atas.request('PATCH', `/api/v1/events/${event.id}`, {
        session: olga.session,
        body: { starts_at: '2030-06-12T08:00:00Z' },
      });
      expect(errorOf(backwards)).toEqual({ status: 400, code: 'invalid_request' });
      const read = await atas.request('GET', `/api/v1/events/${event.id}`, {
        session: olga.session,
      });
      expect(read.body.event.starts_at).toBe('2030-06-10T08:00:00.000Z');

      const empty = await atas.request('PATCH', `/api/v1/events/${event.id}`, {
        session: olga.session,
        body: {},
      });
      expect(errorOf(empty)).toEqual({ status: 400, code: 'invalid_request' });
      const byOther = await atas.request('PATCH', `/api/v1/events/${event.id}`, {
        session: oscar.session,
        body: { title: 'Mine now' },
      });
      expect(errorOf(byOther)).toEqual({ status: 404, code: 'event_not_found' });
      const bySpeaker = await atas.request('GET', `/api/v1/events/${event.id}`, {
        session: sam.session,
      });
      expect(errorOf(bySpeaker)).toEqual({ status: 403, code: 'forbidden' });
    });

    it('adds a speaker to the event chat on accept and removes them on withdraw', async () => {
      const invite = (email: string) =>
        atas.request('POST', `/api/v1/events/${event.id}/invitations`, {
          session: olga.session,
          body: { speaker_email: email },
        });
      const samInvitation = (await invite(sam.email)).body.invitation;
      const sueInvitation = (await invite(sue.email)).body.invitation;
      const notYet = await atas.request('GET', `/api/v1/events/${event.id}/chat`, {
        session: sam.session,
      });
      expect(errorOf(notYet)).toEqual({ status: 404, code: 'event_not_found' });

      for (const [who, invitation] of [
        [sam, samInvitation],
        [sue, sueInvitation],
      ] as const) {
        await atas.request('POST', `/api/v1/invitations/${invitation.id}/accept`, {
          session: who.session,
        });
      }
      expect(memberIds(await eventChat())).toEqual([olga.user.id, sam.user.id, sue.user.id].sort());
      const chat = await atas.request('GET', `/api/v1/events/${event.id}/chat`, {
        session: sam.session,
      });
      expect(chat.body.channel).toEqual({
        type: 'event',
        id: `event_${event.id}`,
        cid: `event:event_${event.id}`,
      });

      const withdrawn = await atas.request(
        'POST',
        `/api/v1/invitations/${sueInvitation.id}/withdraw`,
        { session: olga.session },
      );
      expect(withdrawn.body.invitation.status).toBe('withdrawn');
      expect(memberIds(await eventChat())).toEqual([olga.user.id, sam.user.id].sort());
    });

    it('posts pinned announcements that accepted speakers read; only the organizer posts', async () => {
      const posted = await atas.request('POST', `/api/v1/events/${event.id}/announcements`, {
        session: olga.session,
        body: { text: 'Doors open at 8:30.' },
      });
      expect(posted.status).toBe(201);
      expect(posted.body.message).toMatchObject({
        text: 'Doors open at 8:30.',
        pinned: true,
        user: { id: olga.user.id },
        data: { kind: 'announcement' },
      });
      const read = await atas.request('GET', `/api/v1/events/${event.id}/announcements`, {
        session: sam.session,
      });
      expect(read.body.announcements.map((m: any) => m.text)).toEqual(['Doors open at 8:30.']);
      const bySpeaker = await atas.request('POST', `/api/v1/events/${event.id}/announcements`, {
        session: sam.session,
        body: { text: 'Me too' },
      });
      expect(errorOf(bySpeaker)).toEqual({ status: 403, code: 'forbidden' });
      const blank = await atas.request('POST', `/api/v1/events/${event.id}/announcements`, {
        session: olga.session,
        body: { text: '   ' },
      });
      expect(errorOf(blank)).toEqual({ status: 400, code: 'invalid_request' });
      const bySue = await atas.request('GET', `/api/v1/events/${event.id}/announcements`, {
        session: sue.session,
      });
      expect(errorOf(bySue)).toEqual({ status: 404, code: 'event_not_found' });
    });
  });
}
