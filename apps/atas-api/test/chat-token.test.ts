import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_API_KEY,
  TEST_SECRET,
  TestServer,
} from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, closedPortUrl, errorOf } from './helpers/atas-harness.js';

describe('chat token endpoint', () => {
  let parley: TestServer;
  let atas: AtasHarness;
  let sam: Awaited<ReturnType<AtasHarness['user']>>;

  beforeAll(async () => {
    parley = await TestServer.start('sqlite');
    atas = await AtasHarness.start('sqlite', parley.url);
    sam = await atas.user('Sam', 'speaker', 'https://img.test/sam.png');
  });
  afterAll(async () => {
    await atas?.close();
    await parley?.close();
  });

  it('returns { token, user_id, api_key, url } with a Parley token that expires', async () => {
    const res = await atas.request('GET', '/api/v1/chat/token', { session: sam.session });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['api_key', 'token', 'url', 'user_id']);
    expect(res.body).toMatchObject({
      user_id: sam.user.id,
      api_key: TEST_API_KEY,
      url: parley.url,
    });
    const { payload } = await jwtVerify(res.body.token, new TextEncoder().encode(TEST_SECRET));
    expect(payload['user_id']).toBe(sam.user.id);
    expect(typeof payload.exp).toBe('number');
    expect(JSON.stringify(res.body)).not.toContain(TEST_SECRET);
  });

  it('upserts the user into Parley with name and avatar, and the token works there', async () => {
    const res = await atas.request('GET', '/api/v1/chat/token', { session: sam.session });
    const me = await parley.api('GET', '/me', {
      token: res.body.token,
      headers: { 'x-api-key': res.body.api_key },
    });
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain(sam.user.id);
    const stored = await parley.api('GET', `/users/${sam.user.id}`);
    expect(stored.body.user).toMatchObject({
      id: sam.user.id,
      name: 'Sam',
      image: 'https://img.test/sam.png',
    });
  });

  it('edits the profile: name and avatar change in ATAS and in the chat at once', async () => {
    const ana = await atas.user('Ana', 'speaker');
    const res = await atas.request('PATCH', '/api/v1/me', {
      session: ana.session,
      body: { name: '  Ana Lima ', avatar_url: 'https://img.test/ana.png' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: ana.user.id, name: 'Ana Lima', avatar_url: 'https://img.test/ana.png' },
      chat_notified: true,
    });
    const stored = await parley.api('GET', `/users/${ana.user.id}`);
    expect(stored.body.user).toMatchObject({ name: 'Ana Lima', image: 'https://img.test/ana.png' });
    const cleared = await atas.request('PATCH', '/api/v1/me', {
      session: ana.session,
      body: { avatar_url: null },
    });
    expect(cleared.body.user).toMatchObject({ name: 'Ana Lima', avatar_url: null });
    const clearedInChat = await parley.api('GET', `/users/${ana.user.id}`);
    expect(clearedInChat.body.user).toMatchObject({ name: 'Ana Lima', image: null });
  });

  it('refuses a bad profile change and changes nothing', async () => {
    const bea = await atas.user('Bea', 'speaker', 'https://img.test/bea.png');
    const bad = [
      { name: '' },
      { name: 'x'.repeat(101) },
      { name: 42 },
      { avatar_url: 'javascript:alert(1)' },
      { avatar_url: 'not a url' },
      { role: 'organizer' },
      { email: 'other@atas.test' },
    ];
    for (const body of bad) {
      const res = await atas.request('PATCH', '/api/v1/me', { session: bea.session, body });
      expect(errorOf(res), JSON.stringify(body)).toEqual({ status: 400, code: 'invalid_request' });
    }
    const me = await atas.request('GET', '/api/v1/me', { session: bea.session });
    expect(me.body.user).toMatchObject({
      name: 'Bea',
      avatar_url: 'https://img.test/bea.png',
      role: 'speaker',
      email: 'bea@atas.test',
    });
    expect(errorOf(await atas.request('PATCH', '/api/v1/me', { body: { name: 'X' } }))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('answers 401 without a valid session', async () => {
    expect(errorOf(await atas.request('GET', '/api/v1/chat/token'))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
    const expired = await atas.api.ctx.sessions.sign(sam.user.id, -1);
    expect(errorOf(await atas.request('GET', '/api/v1/chat/token', { session: expired }))).toEqual({
      status: 401,
      code: 'session_expired',
    });
  });
});

describe('when Parley is unreachable', () => {
  let atas: AtasHarness;
  let olga: Awaited<ReturnType<AtasHarness['user']>>;
  let sam: Awaited<ReturnType<AtasHarness['user']>>;

  beforeAll(async () => {
    atas = await AtasHarness.start('sqlite', await closedPortUrl());
    olga = await atas.user('Olga', 'organizer');
    sam = await atas.user('Sam', 'speaker');
  });
  afterAll(() => atas?.close());

  it('saves a profile change and reports that the chat was not notified', async () => {
    const res = await atas.request('PATCH', '/api/v1/me', {
      session: sam.session,
      body: { name: 'Samuel' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { name: 'Samuel' }, chat_notified: false });
  });

  it('answers the token endpoint with 503 chat_unavailable', async () => {
    const res = await atas.request('GET', '/api/v1/chat/token', { session: sam.session });
    expect(errorOf(res)).toEqual({ status: 503, code: 'chat_unavailable' });
    expect(JSON.stringify(res.body)).not.toMatch(/\.(?:js|ts):\d+/);
  });

  it('still invites, and records an answer, reporting that the chat was not notified', async () => {
    const invitation = await atas.invite(olga.session, sam.email);
    expect(invitation.status).toBe('pending');
    const res = await atas.request('POST', `/api/v1/invitations/${invitation.id}/accept`, {
      session: sam.session,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invitation: { status: 'accepted' }, chat_notified: false });
    const chat = await atas.request('GET', `/api/v1/invitations/${invitation.id}/chat`, {
      session: sam.session,
    });
    expect(errorOf(chat)).toEqual({ status: 503, code: 'chat_unavailable' });
  });
});
