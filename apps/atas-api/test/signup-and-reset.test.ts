import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../../packages/server/test/helpers/storages.js';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: organizer sign-up and password reset`, () => {
    let parley: TestServer;
    let atas: AtasHarness;

    beforeAll(async () => {
      parley = await TestServer.start('sqlite');
      atas = await AtasHarness.start(kind, parley.url);
    });
    afterAll(async () => {
      await atas?.close();
      await parley?.close();
    });

    const login = (email: string, password: string) =>
      atas.request('POST', '/api/v1/auth/login', { body: { email, password } });

    it('signs an organizer up: a session at once, who can create events and log in later', async () => {
      const res = await atas.request('POST', '/api/v1/auth/signup', {
        body: { email: 'Nora@Atas.test', password: 'correct horse', name: 'Nora' },
      });
      expect(res.status).toBe(201);
      expect(res.body.user).toMatchObject({
        email: 'nora@atas.test',
        name: 'Nora',
        role: 'organizer',
      });
      const event = await atas.request('POST', '/api/v1/events', {
        session: res.body.session,
        body: { title: 'Nora Fest', starts_at: '2030-01-01T10:00:00Z' },
      });
      expect(event.status).toBe(201);
      expect((await login('nora@atas.test', 'correct horse')).status).toBe(200);
    });

    it('refuses a taken email, a short password and a malformed email, and creates nothing', async () => {
      const taken = await atas.request('POST', '/api/v1/auth/signup', {
        body: { email: 'nora@atas.test', password: 'another one', name: 'Nora 2' },
      });
      expect(errorOf(taken)).toEqual({ status: 409, code: 'email_taken' });
      const short = await atas.request('POST', '/api/v1/auth/signup', {
        body: { email: 'short@atas.test', password: 'short', name: 'S' },
      });
      expect(errorOf(short)).toEqual({ status: 400, code: 'invalid_request' });
      expect(short.body.error.message).toContain('at least 8 characters');
      const malformed = await atas.request('POST', '/api/v1/auth/signup', {
        body: { email: 'not an email', password: 'long enough', name: 'M' },
      });
      expect(errorOf(malformed)).toEqual({ status: 400, code: 'invalid_request' });
      expect(await atas.api.ctx.accounts.findByEmail('short@atas.test')).toBeUndefined();
    });

    it('resets a password through a one-time link sent by email', async () => {
      const before = (await atas.outbox()).length;
      const asked = await atas.request('POST', '/api/v1/auth/password-reset', {
        body: { email: 'NORA@atas.test' },
      });
      expect(asked.status).toBe(202);
      const email = await atas.lastEmailTo('nora@atas.test');
      expect(email.subject).toBe('Reset your ATAS password');
      expect(email.token).not.toBeNull();
      expect((await atas.outbox()).length).toBe(before + 1);

      const done = await atas.request('POST', '/api/v1/auth/password-reset/confirm', {
        body: { token: email.token, password: 'battery staple' },
      });
      expect(done.status).toBe(200);
      expect(done.body.user.email).toBe('nora@atas.test');
      expect(typeof done.body.session).toBe('string');
      expect(errorOf(await login('nora@atas.test', 'correct horse'))).toEqual({
        status: 401,
        code: 'invalid_credentials',
      });
      expect((await login('nora@atas.test', 'battery staple')).status).toBe(200);

      const reused = await atas.request('POST', '/api/v1/auth/password-reset/confirm', {
        body: { token: email.token, password: 'third password' },
      });
      expect(errorOf(reused)).toEqual({ status: 410, code: 'link_used' });
      expect((await login('nora@atas.test', 'battery staple')).status).toBe(200);
    });

    it('answers 202 for an unknown email and sends nothing', async () => {
      const before = (await atas.outbox()).length;
      const res = await atas.request('POST', '/api/v1/auth/password-reset', {
        body: { email: 'nobody@atas.test' },
      });
      expect(res.status).toBe(202);
      expect((await atas.outbox()).length).toBe(before);
    });

    it('refuses an expired link and a made-up one, and changes no password', async () => {
      await atas.request('POST', '/api/v1/auth/password-reset', {
        body: { email: 'nora@atas.test' },
      });
      const { token } = await atas.lastEmailTo('nora@atas.test');
      await atas.api.db
        .updateTable('atas_links')
        .set({ expires_at: Date.now() - 1 })
        .where('kind', '=', 'password_reset')
        .where('used_at', 'is', null)
        .execute();
      const expired = await atas.request('POST', '/api/v1/auth/password-reset/confirm', {
        body: { token, password: 'never set' },
      });
      expect(errorOf(expired)).toEqual({ status: 410, code: 'link_expired' });
      const madeUp = await atas.request('POST', '/api/v1/auth/password-reset/confirm', {
        body: { token: 'x'.repeat(43), password: 'never set' },
      });
      expect(errorOf(madeUp)).toEqual({ status: 404, code: 'link_invalid' });
      expect((await login('nora@atas.test', 'battery staple')).status).toBe(200);
    });
  });
}
