import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';
import { INSIGHTS_EXPECTED, seedInsights } from './helpers/insights-seed.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: an event's Insights`, () => {
    let parley: TestServer | undefined;
    let atas: AtasHarness;
    let organizerSession: string;
    let eventId: string;
    let invitationIds: string[];

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
      const seeded = await seedInsights(atas.api);
      ({ eventId, invitationIds } = seeded);
      organizerSession = await atas.login(seeded.email, seeded.password);
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    const insights = (session: string, id = eventId) =>
      atas.request('GET', `/api/v1/events/${id}/insights`, { session });

    it('counts invitations by status, and each request’s messages and first response, exactly', async () => {
      const res = await insights(organizerSession);
      expect(res.status).toBe(200);
      const { requests, ...totals } = res.body.insights;
      expect(totals).toEqual({
        event_id: eventId,
        invitations: INSIGHTS_EXPECTED.invitations,
        messages: INSIGHTS_EXPECTED.messages,
        median_first_response_s: INSIGHTS_EXPECTED.median_first_response_s,
        chat_available: true,
      });
      expect(requests).toEqual(
        INSIGHTS_EXPECTED.requests.map((expected, i) => ({
          invitation_id: invitationIds[i],
          speaker: { id: expect.any(String), name: expected.speaker },
          status: expected.status,
          messages: expected.messages,
          first_response_s: expected.first_response_s,
        })),
      );
    });

    it('shows them to the event’s organizer only', async () => {
      const other = await atas.user('Otto', 'organizer');
      expect(errorOf(await insights(other.session))).toEqual({
        status: 404,
        code: 'event_not_found',
      });
      const speaker = await atas.user('Sid', 'speaker');
      expect(errorOf(await insights(speaker.session))).toEqual({
        status: 403,
        code: 'forbidden',
      });
      expect(errorOf(await atas.request('GET', `/api/v1/events/${eventId}/insights`))).toEqual({
        status: 401,
        code: 'unauthorized',
      });
      expect(errorOf(await insights(organizerSession, 'no-such-event'))).toEqual({
        status: 404,
        code: 'event_not_found',
      });
    });

    it('with Parley down: the invitation figures still, the chat figures null', async () => {
      await parley?.close();
      parley = undefined;
      const res = await insights(organizerSession);
      expect(res.status).toBe(200);
      expect(res.body.insights).toMatchObject({
        invitations: INSIGHTS_EXPECTED.invitations,
        messages: null,
        median_first_response_s: null,
        chat_available: false,
      });
      expect(res.body.insights.requests.map((r: any) => [r.messages, r.first_response_s])).toEqual([
        [null, null],
        [null, null],
        [null, null],
        [null, null],
      ]);
    });
  });
}
