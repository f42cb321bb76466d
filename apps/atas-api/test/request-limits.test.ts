import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../../packages/server/test/helpers/test-server.js';
import { AtasHarness, errorOf } from './helpers/atas-harness.js';

// The limits are counted in memory, the same whatever the database: SQLite only here.

const HOUR = 3600;

describe('sign-up and password reset limits', () => {
  let parley: TestServer;
  let atas: AtasHarness;

  beforeAll(async () => {
    parley = await TestServer.start('sqlite');
    atas = await AtasHarness.start('sqlite', parley.url, {
      requestLimits: {
        signupPerAddress: { requests: 2, windowSeconds: HOUR },
        resetPerAddress: { requests: 3, windowSeconds: HOUR },
        resetPerEmail: { requests: 2, windowSeconds: HOUR },
      },
    });
  });
  afterAll(async () => {
    await atas?.close();
    await parley?.close();
  });

  /** A request from the client `address`, as the web app passes it on (X-Forwarded-For). */
  const from = (address: string, path: string, body: unknown) =>
    atas.request('POST', path, { body, headers: { 'x-forwarded-for': address } });
  const signUp = (address: string, email: string) =>
    from(address, '/api/v1/auth/signup', { email, password: 'long enough', name: 'N' });
  const reset = (address: string, email: string) =>
    from(address, '/api/v1/auth/password-reset', { email });

  it('refuses a third sign-up from one address within the hour, with when to try again; other addresses still sign up', async () => {
    expect((await signUp('198.51.100.1', 'first@atas.test')).status).toBe(201);
    // A refused sign-up (a taken email) counts too: probing emails is what is limited.
    expect(errorOf(await signUp('198.51.100.1', 'first@atas.test'))).toEqual({
      status: 409,
      code: 'email_taken',
    });
    const third = await signUp('198.51.100.1', 'third@atas.test');
    expect(errorOf(third)).toEqual({ status: 429, code: 'too_many_requests' });
    expect(third.body.error.message).toContain('too many sign-ups');
    expect(third.body.error.details.retry_after_ms).toBeGreaterThan(HOUR * 1000 - 60_000);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(HOUR - 60);
    expect(await atas.api.ctx.accounts.findByEmail('third@atas.test')).toBeUndefined();

    expect((await signUp('198.51.100.2', 'third@atas.test')).status).toBe(201);
  });

  it('sends at most two reset emails to one address an hour, account or not, and tells nobody which', async () => {
    await atas.user('Rita', 'organizer');
    const before = (await atas.outbox()).length;
    expect((await reset('198.51.100.3', 'rita@atas.test')).status).toBe(202);
    expect((await reset('198.51.100.4', 'RITA@atas.test')).status).toBe(202);
    const third = await reset('198.51.100.5', 'rita@atas.test');
    expect(errorOf(third)).toEqual({ status: 429, code: 'too_many_requests' });
    expect(third.headers.get('retry-after')).not.toBeNull();
    expect((await atas.outbox()).length).toBe(before + 2);

    // An email without an account is limited alike, so the answers tell nothing apart.
    await reset('198.51.100.6', 'nobody@atas.test');
    await reset('198.51.100.7', 'nobody@atas.test');
    expect(errorOf(await reset('198.51.100.8', 'nobody@atas.test'))).toEqual({
      status: 429,
      code: 'too_many_requests',
    });
  });

  it('limits reset requests from one address across emails', async () => {
    for (const name of ['a', 'b', 'c']) {
      expect((await reset('198.51.100.9', `${name}@atas.test`)).status).toBe(202);
    }
    const fourth = await reset('198.51.100.9', 'd@atas.test');
    expect(errorOf(fourth)).toEqual({ status: 429, code: 'too_many_requests' });
    expect(fourth.body.error.message).toContain('from this address');
    expect((await reset('198.51.100.10', 'd@atas.test')).status).toBe(202);
  });

  it('checks the body before counting: a malformed request is 400 and uses up nothing', async () => {
    for (let i = 0; i < 4; i++) {
      expect(errorOf(await reset('198.51.100.11', ''))).toEqual({
        status: 400,
        code: 'invalid_request',
      });
    }
    expect((await reset('198.51.100.11', 'e@atas.test')).status).toBe(202);
  });
});
