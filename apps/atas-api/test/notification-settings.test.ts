import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, closedPortUrl, errorOf } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

const PATH = '/api/v1/me/notification-settings';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: notification settings`, () => {
    let parley: TestServer;
    let atas: AtasHarness;
    let olga: Account;
    let sam: Account;
    let requestCid: string;
    let eventCid: string;

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      olga = await atas.user('Olga', 'organizer');
      sam = await atas.user('Sam', 'speaker');
      const invitation = await atas.invite(olga.session, sam.email, 'Quiet Conf');
      await atas.request('POST', `/api/v1/invitations/${invitation.id}/accept`, {
        session: sam.session,
      });
      requestCid = invitation.chat.cid;
      eventCid = `event:event_${invitation.event.id}`;
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    it("lists the user's email, whether email is on, and each conversation by event and people", async () => {
      const res = await atas.request('GET', PATH, { session: sam.session });
      expect(res.status).toBe(200);
      expect(res.body.settings.email).toBe(sam.email);
      expect(res.body.settings.email_enabled).toBe(true);
      const byCid = Object.fromEntries(
        res.body.settings.conversations.map((c: { cid: string }) => [c.cid, c]),
      );
      expect(byCid[requestCid]).toEqual({
        cid: requestCid,
        kind: 'request',
        event_title: 'Quiet Conf',
        people: ['Olga'],
        muted: false,
      });
      expect(byCid[eventCid]).toEqual({
        cid: eventCid,
        kind: 'event',
        event_title: 'Quiet Conf',
        people: [],
        muted: false,
      });
    });

    it('saves email off and a muted conversation in Parley, and reads them back', async () => {
      const saved = await atas.request('PUT', PATH, {
        session: sam.session,
        body: { email_enabled: false, mute: [requestCid] },
      });
      expect(saved.status).toBe(200);
      expect(saved.body.settings.email_enabled).toBe(false);
      const parleySide = await parley.api('GET', `/users/${sam.user.id}/notification-settings`);
      expect(parleySide.body.settings).toMatchObject({
        email_enabled: false,
        muted_cids: [requestCid],
      });

      const again = await atas.request('GET', PATH, { session: sam.session });
      const muted = again.body.settings.conversations
        .filter((c: { muted: boolean }) => c.muted)
        .map((c: { cid: string }) => c.cid);
      expect(muted).toEqual([requestCid]);

      const back = await atas.request('PUT', PATH, {
        session: sam.session,
        body: { email_enabled: true, unmute: [requestCid] },
      });
      expect(back.body.settings.email_enabled).toBe(true);
      expect(back.body.settings.conversations.every((c: { muted: boolean }) => !c.muted)).toBe(
        true,
      );
    });

    it("refuses another person's conversation, a cid both muted and unmuted, and bad fields", async () => {
      const other = await atas.user('Other', 'speaker');
      const cases = [
        { session: other.session, body: { mute: [requestCid] } },
        { session: sam.session, body: { mute: [requestCid], unmute: [requestCid] } },
        { session: sam.session, body: { email_enabled: 'yes' } },
        { session: sam.session, body: { email: 'x@example.org' } },
        { session: sam.session, body: { mute: 'request:x' } },
      ];
      for (const { session, body } of cases) {
        const res = await atas.request('PUT', PATH, { session, body });
        expect(errorOf(res), JSON.stringify(body)).toEqual({
          status: 400,
          code: 'invalid_request',
        });
      }
      const settings = await parley.api('GET', `/users/${sam.user.id}/notification-settings`);
      expect(settings.body.settings).toMatchObject({ email_enabled: true, muted_cids: [] });
    });

    it('needs a session', async () => {
      expect(errorOf(await atas.request('GET', PATH))).toEqual({
        status: 401,
        code: 'unauthorized',
      });
      expect(errorOf(await atas.request('PUT', PATH, { body: {} }))).toEqual({
        status: 401,
        code: 'unauthorized',
      });
    });

    it('answers chat_unavailable (503) when Parley cannot be reached', async () => {
      const offline = await AtasHarness.start(kind, await closedPortUrl());
      try {
        const kim = await offline.user('Kim', 'speaker');
        const read = await offline.request('GET', PATH, { session: kim.session });
        expect(errorOf(read)).toEqual({ status: 503, code: 'chat_unavailable' });
        const write = await offline.request('PUT', PATH, { session: kim.session, body: {} });
        expect(errorOf(write)).toEqual({ status: 503, code: 'chat_unavailable' });
      } finally {
        await offline.close();
      }
    });
  });
}
