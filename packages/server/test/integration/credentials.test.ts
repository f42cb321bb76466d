import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, shouldReconnect } from '@parley/protocol';
import { expectError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestClient, type Frame } from '../helpers/test-client.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../helpers/test-server.js';

// Credentials over REST and the WebSocket: forged, unsigned, expired, misplaced tokens and
// api keys are refused with their documented codes, and valid ones keep working.

const encoder = new TextEncoder();

/** A token as an attacker would make it. */
function sign(claims: Record<string, unknown>, secret: string, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().sign(encoder.encode(secret));
}

/** An unsigned token (`alg: none`), which must never be accepted. */
function unsigned(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** Opens a socket the server should refuse; returns what the client saw until the close. */
async function refusedConnection(
  url: string,
  headers?: Record<string, string>,
): Promise<{ code: number; frames: Frame[] }> {
  const client = await TestClient.open(url, headers);
  const { code } = await client.closed;
  return { code, frames: client.frames };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: credentials`, () => {
    let server: TestServer;
    const path = '/channels/messaging/auth';
    const token: Record<string, string> = {};

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob');
      await server.createChannel('messaging', 'auth', ['bob'], 'alice');
      const sent = await server.api('POST', `${path}/messages`, {
        body: { id: 'auth-first', text: 'hello team', user_id: 'alice' },
      });
      expect(sent.status).toBe(201);
      token.alice = await server.tokenFor('alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('REST credentials', () => {
      const expectRefused = async (
        headers: Record<string, string>,
        code: 'token_invalid' | 'token_expired' | 'auth_missing' | 'invalid_api_key',
      ) => {
        expectError(await server.api('GET', '/me', { token: null, headers }), code);
      };
      const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

      it('refuses a token signed with another secret (401 token_invalid)', async () => {
        const forged = await sign(
          { user_id: 'alice' },
          'another-secret-that-is-32-characters-long!',
        );
        await expectRefused(bearer(forged), 'token_invalid');
      });

      it('refuses a token signed with the right secret but another algorithm', async () => {
        await expectRefused(
          bearer(await sign({ user_id: 'alice' }, TEST_SECRET, 'HS512')),
          'token_invalid',
        );
      });

      it('refuses an unsigned token (alg: none)', async () => {
        await expectRefused(bearer(unsigned({ user_id: 'alice' })), 'token_invalid');
        await expectRefused(bearer(unsigned({ server: true })), 'token_invalid');
      });

      it('refuses a token without a valid user_id claim', async () => {
        await expectRefused(bearer(await sign({ sub: 'alice' }, TEST_SECRET)), 'token_invalid');
        await expectRefused(
          bearer(await sign({ user_id: 'a b<c>' }, TEST_SECRET)),
          'token_invalid',
        );
      });

      it('refuses an expired token with token_expired, so the client fetches a new one', async () => {
        await expectRefused(bearer(await server.tokenFor('alice', -10)), 'token_expired');
      });

      it('refuses a request without a token, or with an empty one (401 auth_missing)', async () => {
        await expectRefused({}, 'auth_missing');
        await expectRefused({ authorization: 'Bearer' }, 'auth_missing');
        await expectRefused({ authorization: 'Bearer   ' }, 'auth_missing');
      });

      it('refuses an Authorization header that is not "Bearer <token>"', async () => {
        for (const value of ['Basic YWxpY2U6cHc=', 'Bearer a b', 'garbage', 'Bearer not.a.jwt']) {
          await expectRefused({ authorization: value }, 'token_invalid');
        }
      });

      it('refuses a wrong api key, in the header or the query (401 invalid_api_key)', async () => {
        expectError(
          await server.api('GET', '/me', {
            token: token.alice,
            headers: { 'x-api-key': 'pk_wrong' },
          }),
          'invalid_api_key',
        );
        expectError(
          await server.api('GET', '/me?api_key=pk_wrong', { token: token.alice }),
          'invalid_api_key',
        );
      });

      it('accepts the right api key in the header or the query', async () => {
        const header = await server.api('GET', path, {
          token: token.alice,
          headers: { 'x-api-key': TEST_API_KEY },
        });
        expect(header.status).toBe(200);
        const query = await server.api('GET', `${path}?api_key=${TEST_API_KEY}&message_limit=1`, {
          token: token.alice,
        });
        expect(query.status).toBe(200);
        expect(query.body.messages).toHaveLength(1);
      });

      it('keeps serving the valid token after refusing bad ones', async () => {
        const res = await server.api('GET', '/me', { token: token.alice });
        expect(res.status).toBe(200);
        expect(res.body.user.id).toBe('alice');
      });
    });

    describe('WebSocket credentials', () => {
      const withToken = (t: string) => `${server.wsUrl}?token=${encodeURIComponent(t)}`;
      const expectClosed = (
        seen: { code: number; frames: Frame[] },
        code: string,
        closeCode: number,
      ) => {
        expect(seen.frames.map((f) => f.type)).toEqual(['error']);
        expect(seen.frames[0]!.error.code).toBe(code);
        expect(seen.code).toBe(closeCode);
      };

      it('refuses a forged token with an error frame and the permanent close code', async () => {
        const forged = await sign(
          { user_id: 'alice' },
          'another-secret-that-is-32-characters-long!',
        );
        const seen = await refusedConnection(withToken(forged));
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
        expect(shouldReconnect(seen.code)).toBe(false);
      });

      it('closes with the temporary token-expired code for an expired token', async () => {
        const seen = await refusedConnection(withToken(await server.tokenFor('alice', -10)));
        expectClosed(seen, 'token_expired', CloseCode.TokenExpired);
        expect(shouldReconnect(seen.code)).toBe(true);
      });

      it('refuses a connection without a token', async () => {
        expectClosed(await refusedConnection(server.wsUrl), 'auth_missing', CloseCode.AuthFailed);
      });

      it('refuses an unsigned token', async () => {
        const seen = await refusedConnection(withToken(unsigned({ user_id: 'alice' })));
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('refuses the server token: a socket belongs to one user', async () => {
        const seen = await refusedConnection(withToken(server.serverToken));
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('refuses a garbage token in the Authorization header', async () => {
        const seen = await refusedConnection(server.wsUrl, { authorization: 'Bearer garbage' });
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('refuses a wrong api key even with a valid token', async () => {
        const seen = await refusedConnection(`${withToken(token.alice!)}&api_key=pk_wrong`);
        expectClosed(seen, 'invalid_api_key', CloseCode.AuthFailed);
      });

      it('refuses an Authorization header that is not a Bearer token, as REST does', async () => {
        const seen = await refusedConnection(server.wsUrl, { authorization: 'Basic YWxpY2U6eA==' });
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('closes a live connection with token_expired (4003) when its token expires', async () => {
        const expiring = await sign(
          { user_id: 'alice', exp: Math.floor(Date.now() / 1000) + 2 },
          TEST_SECRET,
        );
        const client = await TestClient.open(withToken(expiring));
        await client.waitFor((f) => f.type === 'connection.ok');
        const { code } = await client.closed;
        expect(code).toBe(CloseCode.TokenExpired);
        expect(shouldReconnect(code)).toBe(true);
        expect(client.frames.at(-1)).toMatchObject({
          type: 'error',
          error: { code: 'token_expired' },
        });
      });

      it('accepts a valid token in the Authorization header with the right api key', async () => {
        const client = await TestClient.open(`${server.wsUrl}?api_key=${TEST_API_KEY}`, {
          authorization: `Bearer ${token.alice}`,
        });
        try {
          const ok = await client.waitFor((f) => f.type === 'connection.ok');
          expect(ok.user.id).toBe('alice');
        } finally {
          await client.close();
        }
      });
    });
  });
}
