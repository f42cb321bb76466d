import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ChatError, userIdSchema } from '@parley/protocol';

/** Who is calling: the app backend (holding the secret) or one user. */
export type Principal =
  | { kind: 'server' }
  /** `expiresAt`: the token's `exp` in epoch ms, or null for a token that does not expire. */
  | { kind: 'user'; userId: string; expiresAt: number | null };

/**
 * The token of an `Authorization: Bearer <token>` header: undefined without a header or
 * with an empty token, `token_invalid` for any other scheme.
 */
export function readBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  // "Bearer" with nothing after it names no token: the same as no header.
  if (/^Bearer\s*$/i.test(header.trim())) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (match === null) {
    throw new ChatError('token_invalid', 'the Authorization header must be "Bearer <token>"');
  }
  return match[1];
}

/** Signs and verifies HS256 tokens with the app secret. */
export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  /**
   * A user token carries `user_id` (and optionally `exp`); a server token carries
   * `server: true`. Anything else, any other algorithm or a bad signature is refused.
   */
  async verify(token: string | undefined): Promise<Principal> {
    if (token === undefined || token === '') {
      throw new ChatError('auth_missing', 'no token: send Authorization: Bearer <token>');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new ChatError('token_expired', 'the token has expired; get a new one');
      }
      throw new ChatError('token_invalid', 'the token is malformed or its signature is wrong');
    }
    if (payload.server === true) return { kind: 'server' };
    const userId = payload.user_id;
    if (typeof userId !== 'string' || !userIdSchema.safeParse(userId).success) {
      throw new ChatError('token_invalid', 'the token has no valid user_id claim');
    }
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
    return { kind: 'user', userId, expiresAt };
  }

  /** A user token, as an app backend would make it. */
  async createUserToken(
    userId: string,
    options: { expiresInSeconds?: number } = {},
  ): Promise<string> {
    const jwt = new SignJWT({ user_id: userId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
    if (options.expiresInSeconds !== undefined) {
      jwt.setExpirationTime(Math.floor(Date.now() / 1000) + options.expiresInSeconds);
    }
    return jwt.sign(this.key);
  }

  /** A token for server-side calls. */
  async createServerToken(): Promise<string> {
    return new SignJWT({ server: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .sign(this.key);
  }
}
