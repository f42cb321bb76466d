import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { AtasHarness, closedPortUrl, errorOf } from './helpers/atas-harness.js';

type Account = Awaited<ReturnType<AtasHarness['user']>>;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: legacy Communication Log`, () => {
    let atas: AtasHarness;
    let olga: Account;
    let sam: Account;
    let sue: Account;
    let invitation: any;

    beforeAll(async () => {
      // The legacy log lives in ATAS's database only: Parley is not needed.
      atas = await AtasHarness.start(kind, await closedPortUrl());
      olga = await atas.user('Olga', 'organizer');
      sam = await atas.user('Sam', 'speaker');
      sue = await atas.user('Sue', 'speaker');
      invitation = await atas.invite(olga.session, sam.email);
    });
    afterAll(() => atas?.close());

    const path = () => `/api/v1/invitations/${invitation.id}/messages`;

    it('lists what both participants post, oldest first, with authors', async () => {
      const first = await atas.request('POST', path(), {
        session: olga.session,
        body: { text: 'Welcome, Sam!' },
      });
      expect(first.status).toBe(201);
      expect(first.body.message).toMatchObject({
        text: 'Welcome, Sam!',
        author: { id: olga.user.id, name: 'Olga' },
        conversation_uuid: invitation.conversation_uuid,
      });
      await atas.request('POST', path(), { session: sam.session, body: { text: '<b>Thanks</b>' } });
      const list = await atas.request('GET', path(), { session: sam.session });
      expect(list.status).toBe(200);
      expect(list.body.messages.map((m: any) => [m.author.name, m.text])).toEqual([
        ['Olga', 'Welcome, Sam!'],
        ['Sam', '<b>Thanks</b>'],
      ]);
    });

    it('refuses anyone but the participants, reading or writing', async () => {
      expect(errorOf(await atas.request('GET', path(), { session: sue.session }))).toEqual({
        status: 404,
        code: 'invitation_not_found',
      });
      const post = await atas.request('POST', path(), {
        session: sue.session,
        body: { text: 'sneaky' },
      });
      expect(errorOf(post)).toEqual({ status: 404, code: 'invitation_not_found' });
      expect(errorOf(await atas.request('GET', path()))).toEqual({
        status: 401,
        code: 'unauthorized',
      });
    });

    it('refuses blank, oversized and malformed messages and stores nothing', async () => {
      const before = await atas.request('GET', path(), { session: olga.session });
      const cases = [
        { body: { text: '   ' }, status: 400, code: 'invalid_request' },
        { body: { text: 'x'.repeat(5_001) }, status: 400, code: 'invalid_request' },
        { body: { text: 42 }, status: 400, code: 'invalid_request' },
        { body: {}, status: 400, code: 'invalid_request' },
        { rawBody: '{"text": "unterminated', status: 400, code: 'invalid_json' },
        { body: { text: 'y'.repeat(20_000) }, status: 413, code: 'payload_too_large' },
      ];
      for (const { status, code, ...input } of cases) {
        const res = await atas.request('POST', path(), { session: olga.session, ...input });
        expect(errorOf(res)).toEqual({ status, code });
      }
      const after = await atas.request('GET', path(), { session: olga.session });
      expect(after.body.messages).toEqual(before.body.messages);
    });
  });
}
