import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_API_KEY, TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { ATAS_CHANNEL_TYPES } from '../src/chat/channel-types.js';
import { AtasHarness } from './helpers/atas-harness.js';

// Who may do what in ATAS's conversations is Parley's to enforce, with the channel types the
// API defines: the organizer moderates, speakers talk, an ATAS admin is a Parley admin. The
// rules live in Parley, the same whatever ATAS's database: SQLite only here.

type Account = Awaited<ReturnType<AtasHarness['user']>>;

describe("roles in ATAS's conversations", () => {
  let parley: TestServer;
  let atas: AtasHarness;
  let olga: Account;
  let sam: Account;
  let channelPath: string;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    parley = await TestServer.start('sqlite');
    atas = await AtasHarness.start('sqlite', parley.url);
    olga = await atas.user('Olga', 'organizer');
    sam = await atas.user('Sam', 'speaker');
    const invitation = await atas.invite(olga.session, sam.email);
    const chat = await atas.request('GET', `/api/v1/invitations/${invitation.id}/chat`, {
      session: olga.session,
    });
    channelPath = `/channels/request/${chat.body.channel.id}`;
  });
  afterAll(async () => {
    await atas?.close();
    await parley?.close();
  });

  /** A Parley call as the account, with the token ATAS hands its browser. */
  async function as(account: Account, method: string, path: string, body?: unknown) {
    let token = tokens.get(account.user.id);
    if (token === undefined) {
      const res = await atas.request('GET', '/api/v1/chat/token', { session: account.session });
      token = res.body.token as string;
      tokens.set(account.user.id, token);
    }
    return parley.api(method, path, { token, body, headers: { 'x-api-key': TEST_API_KEY } });
  }
  const send = async (account: Account, text: string) =>
    (await as(account, 'POST', `${channelPath}/messages`, { text })).body.message.id as string;

  it('defines the request and event channel types in Parley with their permissions', async () => {
    for (const name of ['request', 'event']) {
      const res = await parley.api('GET', `/channel-types/${name}`);
      expect(res.status).toBe(200);
      expect(res.body.channel_type.permissions).toEqual(ATAS_CHANNEL_TYPES[name]!.permissions);
    }
  });

  it('lets the organizer delete a speaker’s message and pin; the speaker may do neither', async () => {
    const fromSam = await send(sam, 'something to take back');
    const fromOlga = await send(olga, 'the programme is out');
    expect((await as(sam, 'DELETE', `/messages/${fromOlga}`)).body.error.code).toBe('forbidden');
    expect((await as(sam, 'PATCH', `/messages/${fromOlga}`, { pinned: true })).status).toBe(403);

    const deleted = await as(olga, 'DELETE', `/messages/${fromSam}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.message.deleted_at).not.toBeNull();
    expect((await as(olga, 'PATCH', `/messages/${fromOlga}`, { pinned: true })).status).toBe(200);
  });

  it('leaves who is in a request and its data to ATAS: no user adds members or changes data', async () => {
    const stranger = await atas.user('Stan', 'speaker');
    await as(stranger, 'GET', '/me'); // upserted into Parley with its token
    for (const account of [olga, sam]) {
      const added = await as(account, 'POST', `${channelPath}/members`, {
        user_ids: [stranger.user.id],
      });
      expect(added.status).toBe(403);
      const changed = await as(account, 'PATCH', channelPath, { set: { read_only: true } });
      expect(changed.status).toBe(403);
    }
    const state = await parley.api('GET', channelPath);
    expect(state.body.members.map((m: any) => m.user_id).sort()).toEqual(
      [olga.user.id, sam.user.id].sort(),
    );
    expect(state.body.channel.data.read_only).toBeUndefined();
  });

  it('makes an ATAS admin a Parley admin, who reads and moderates any conversation', async () => {
    const ada: Account = await atas.user('Ada', 'admin');
    expect(ada.user.role).toBe('admin');
    const read = await as(ada, 'GET', channelPath);
    expect(read.status).toBe(200);
    expect((await parley.api('GET', `/users/${ada.user.id}`)).body.user.role).toBe('admin');
    const fromSam = await send(sam, 'a message for the admin to remove');
    expect((await as(ada, 'DELETE', `/messages/${fromSam}`)).status).toBe(200);
    // Organizers and speakers stay plain users in Parley.
    expect((await parley.api('GET', `/users/${olga.user.id}`)).body.user.role).toBe('user');
  });
});
