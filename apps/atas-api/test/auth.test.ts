import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { AtasHarness, closedPortUrl, errorOf } from './helpers/atas-harness.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: login and sessions`, () => {
    let atas: AtasHarness;
    let olga: Awaited<ReturnType<AtasHarness['user']>>;

    beforeAll(async () => {
      // These tests never reach Parley.
      atas = await AtasHarness.start(kind, await closedPortUrl());
      olga = await atas.user('Olga', 'organizer', 'https://img.test/olga.png');
    });
    afterAll(() => atas?.close());

    it('logs in with email and password and returns a session that opens /me', async () => {
      const login = await atas.request('POST', '/api/v1/auth/login', {
        body: { email: ' OLGA@atas.test ', password: olga.password },
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toEqual({
        id: olga.user.id,
        email: 'olga@atas.test',
        name: 'Olga',
        avatar_url: 'https://img.test/olga.png',
        role: 'organizer',
      });
      expect(JSON.stringify(login.body)).not.toMatch(/password|scrypt/);
      const me = await atas.request('GET', '/api/v1/me', { session: login.body.session });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(olga.user.id);
    });

    it('stores a salted scrypt hash, never the password', async () => {
      const other = await atas.user('Twin', 'speaker');
      const rows = await atas.api.db
        .selectFrom('atas_users')
        .select(['email', 'password_hash'])
        .execute();
      for (const row of rows)
        expect(row.password_hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      expect(rows.map((r) => r.password_hash).join()).not.toContain(other.password);
      const salts = new Set(rows.map((r) => r.password_hash.split('$')[1]));
      expect(salts.size).toBe(rows.length);
    });

    it('locks an account for a while after 10 wrong passwords, even for the right one', async () => {
      const target = await atas.user('Guessed', 'speaker');
      const login = (email: string, password: string) =>
        atas.request('POST', '/api/v1/auth/login', { body: { email, password } });
      // A success clears the count: 9 wrong, 1 right, 9 wrong still leaves the door open.
      for (let i = 0; i < 9; i++) await login(target.email, `guess-${i}`);
      expect((await login(target.email, target.password)).status).toBe(200);
      for (let i = 0; i < 10; i++) {
        expect(errorOf(await login(target.email, `guess-${i}`))).toEqual({
          status: 401,
          code: 'invalid_credentials',
        });
      }
      const locked = await login(` ${target.email.toUpperCase()} `, target.password);
      expect(errorOf(locked)).toEqual({ status: 429, code: 'too_many_attempts' });
      expect(locked.body.error.details.retry_after_ms).toBeGreaterThan(60_000);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
      expect(locked.body).not.toHaveProperty('session');
      // Other accounts are not affected.
      expect((await login(olga.email, olga.password)).status).toBe(200);
    }, 60_000); // a dozen scrypt hashes: slow on a busy machine

    it('answers a wrong password and an unknown email with the same 401 invalid_credentials', async () => {
      const wrong = await atas.request('POST', '/api/v1/auth/login', {
        body: { email: olga.email, password: 'not-it' },
      });
      const unknown = await atas.request('POST', '/api/v1/auth/login', {
        body: { email: 'nobody@atas.test', password: olga.password },
      });
      expect(errorOf(wrong)).toEqual({ status: 401, code: 'invalid_credentials' });
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.status).toBe(wrong.status);
    });

    it('refuses a malformed login body with invalid_request naming the field', async () => {
      const res = await atas.request('POST', '/api/v1/auth/login', { body: { email: 'x' } });
      expect(errorOf(res)).toEqual({ status: 400, code: 'invalid_request' });
      expect(res.body.error.details.issues[0].path).toBe('password');
      const json = await atas.request('POST', '/api/v1/auth/login', { rawBody: '{"email":' });
      expect(errorOf(json)).toEqual({ status: 400, code: 'invalid_json' });
    });

    it('refuses an oversized body with 413 payload_too_large', async () => {
      const res = await atas.request('POST', '/api/v1/auth/login', {
        body: { email: olga.email, password: 'x'.repeat(20_000) },
      });
      expect(errorOf(res)).toEqual({ status: 413, code: 'payload_too_large' });
    });

    it('refuses /me without a session, with an expired one and with a forged one', async () => {
      expect(errorOf(await atas.request('GET', '/api/v1/me'))).toEqual({
        status: 401,
        code: 'unauthorized',
      });
      const expired = await atas.api.ctx.sessions.sign(olga.user.id, -60);
      expect(errorOf(await atas.request('GET', '/api/v1/me', { session: expired }))).toEqual({
        status: 401,
        code: 'session_expired',
      });
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(olga.user.id)
        .setIssuer('atas-api')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters!'));
      expect(errorOf(await atas.request('GET', '/api/v1/me', { session: forged }))).toEqual({
        status: 401,
        code: 'session_invalid',
      });
      expect(errorOf(await atas.request('GET', '/api/v1/me', { session: 'garbage' }))).toEqual({
        status: 401,
        code: 'session_invalid',
      });
    });

    it('answers an unknown route with the error shape', async () => {
      const res = await atas.request('GET', '/api/v1/nothing');
      expect(errorOf(res)).toEqual({ status: 404, code: 'not_found' });
      expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message']);
    });
  });
}
