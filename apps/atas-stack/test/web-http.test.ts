import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../src/index.js';
import { account, startTestStack } from './helpers/stack-harness.js';

// The web app's own HTTP surface — login route, session cookie, the same-origin proxy to the
// ATAS API and the pages' access rules — over plain HTTP against the whole running stack.

const ORGANIZER = 'organizer@atas.example';
const SAMUEL = 'samuel@atas.example';
const PRIYA = 'priya@atas.example';

describe('ATAS web app over HTTP', () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
  }, 240_000);
  afterAll(async () => cleanup?.());

  const web = (path: string, init: RequestInit = {}) =>
    fetch(stack.webUrl + path, { redirect: 'manual', ...init });

  async function login(email: string): Promise<string> {
    const res = await web('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: account(stack, email).password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    return cookie.split(';')[0]!;
  }

  async function samuelInvitationId(): Promise<string> {
    const cookie = await login(SAMUEL);
    const res = await web('/api/v1/invitations', { headers: { cookie } });
    const body = (await res.json()) as { invitations: { id: string }[] };
    return body.invitations[0]!.id;
  }

  it('logs in: the session goes into an httpOnly SameSite cookie, never into the body', async () => {
    const res = await web('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ORGANIZER, password: account(stack, ORGANIZER).password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^atas_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    expect(cookie).toMatch(/Path=\//);
    const body = (await res.json()) as any;
    expect(body.user).toMatchObject({ email: ORGANIZER, role: 'organizer' });
    expect(JSON.stringify(body)).not.toContain(cookie.split(';')[0]!.split('=')[1]);
  });

  it('refuses a wrong password, malformed JSON, a foreign origin and an oversized body', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      web('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const wrong = await post(JSON.stringify({ email: ORGANIZER, password: 'not-it' }));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error.code).toBe('invalid_credentials');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const malformed = await post('{"email": ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('invalid_json');

    const wrongTypes = await post(JSON.stringify({ email: 42, password: ['x'] }));
    expect(wrongTypes.status).toBe(400);

    const foreign = await post(
      JSON.stringify({ email: ORGANIZER, password: account(stack, ORGANIZER).password }),
      { origin: 'http://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();

    const huge = await post(JSON.stringify({ email: ORGANIZER, password: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe('payload_too_large');
  });

  it('sends visitors without a valid session to the login page, and back after', async () => {
    const none = await web('/dashboard');
    expect([303, 307]).toContain(none.status);
    expect(none.headers.get('location')).toContain('/login?next=%2Fdashboard');
    // A deeper page (a link from an email) comes back to itself after the login.
    const deep = await web('/dashboard/requests/some-id?tab=chat');
    expect(new URL(deep.headers.get('location')!, stack.webUrl).searchParams.get('next')).toBe(
      '/dashboard/requests/some-id?tab=chat',
    );

    const forged = await web('/dashboard', { headers: { cookie: 'atas_session=forged.token.x' } });
    expect([303, 307]).toContain(forged.status);
    expect(forged.headers.get('location')).toContain('reason=expired');

    const api = await web('/api/v1/me', { headers: { cookie: 'atas_session=forged.token.x' } });
    expect(api.status).toBe(401);
    expect(((await api.json()) as any).error.code).toBe('session_invalid');

    const cookie = await login(ORGANIZER);
    const page = await web('/dashboard', { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Your requests');
    expect(html).toContain('Samuel Reyes');
    expect(html).toContain('Priya Nair');
  });

  it("shows a speaker only their own requests; another's is not found, by page and by API", async () => {
    const id = await samuelInvitationId();
    const priya = await login(PRIYA);
    const list = (await (
      await web('/api/v1/invitations', { headers: { cookie: priya } })
    ).json()) as any;
    expect(list.invitations.map((i: any) => i.speaker.name)).toEqual(['Priya Nair']);

    const page = await web(`/dashboard/requests/${id}`, { headers: { cookie: priya } });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('Did you get the invitation');

    for (const path of [`/api/v1/invitations/${id}`, `/api/v1/invitations/${id}/messages`]) {
      const res = await web(path, { headers: { cookie: priya } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error.code).toBe('invitation_not_found');
    }
    const unknown = await web('/dashboard/requests/no-such-id', { headers: { cookie: priya } });
    expect(unknown.status).toBe(404);
  });

  it('passes writes to the API only from its own pages, and changes nothing otherwise', async () => {
    const id = await samuelInvitationId();
    const cookie = await login(SAMUEL);
    const messages = async () =>
      (
        (await (
          await web(`/api/v1/invitations/${id}/messages`, { headers: { cookie } })
        ).json()) as any
      ).messages.length as number;
    const before = await messages();
    const send = (headers: Record<string, string>, body: string) =>
      web(`/api/v1/invitations/${id}/messages`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body,
      });

    const crossSite = await send({ origin: 'http://evil.example' }, JSON.stringify({ text: 'x' }));
    expect(crossSite.status).toBe(403);
    const malformed = await send({}, '{"text":');
    expect(malformed.status).toBe(400);
    const blank = await send({}, JSON.stringify({ text: '   ' }));
    expect(blank.status).toBe(400);
    const tooBig = await send({}, JSON.stringify({ text: 'y'.repeat(1_100_000) }));
    expect(tooBig.status).toBe(413);
    const decline = await web(`/api/v1/invitations/${id}/decline`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example' },
    });
    expect(decline.status).toBe(403);
    expect(await messages()).toBe(before);
    const state = (await (
      await web(`/api/v1/invitations/${id}`, { headers: { cookie } })
    ).json()) as any;
    expect(state.invitation.status).toBe('pending');

    const ok = await send({ origin: stack.webUrl }, JSON.stringify({ text: 'Same-origin post' }));
    expect(ok.status).toBe(201);
    expect(await messages()).toBe(before + 1);
  });

  it("counts sign-ups per visitor: the proxy passes the visitor's address to the API's limit", async () => {
    const signUp = (address: string, n: number) =>
      web('/api/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ email: `visitor${n}@web.test`, password: 'long enough', name: 'V' }),
      });
    // The API's default: 5 sign-ups per address and hour.
    for (let n = 0; n < 5; n++) expect((await signUp('203.0.113.5', n)).status).toBe(201);
    const sixth = await signUp('203.0.113.5', 5);
    expect(sixth.status).toBe(429);
    expect(((await sixth.json()) as any).error.code).toBe('too_many_requests');
    expect(sixth.headers.get('set-cookie')).toBeNull();
    expect((await signUp('203.0.113.6', 6)).status).toBe(201);
  });

  it('edits the profile through the proxy from its own pages only', async () => {
    const cookie = await login(PRIYA);
    const patch = (headers: Record<string, string>, body: unknown) =>
      web('/api/v1/me', {
        method: 'PATCH',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await patch({ origin: 'http://evil.example' }, { name: 'Hacked' })).status).toBe(403);
    expect((await patch({}, { name: '' })).status).toBe(400);
    const ok = await patch({ origin: stack.webUrl }, { name: 'Priya Nair' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).user.name).toBe('Priya Nair');
  });

  it('logs out: the cookie is cleared', async () => {
    const cookie = await login(ORGANIZER);
    const res = await web('/api/session', { method: 'DELETE', headers: { cookie } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(
      /atas_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i,
    );
  });
});
