import { SignJWT, errors, jwtVerify } from 'jose';
import { AtasError } from '../atas-error.js';

const ISSUER = 'atas-api';

/** App sessions: HS256 JWTs `{ sub: userId, exp }` signed with the session secret. */
export class SessionTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A session for the user; `expiresIn` (seconds, default the configured TTL) may be negative in tests. */
  async sign(userId: string, expiresIn = this.ttlSeconds): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(this.key);
  }

  /** The user id of a valid session; `session_expired` or `session_invalid` otherwise. */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string') throw new Error('no subject');
      return payload.sub;
    } catch (err) {
      if (err instanceof errors.JWTExpired) {
        throw new AtasError('session_expired', 'the session has expired; log in again');
      }
      throw new AtasError('session_invalid', 'the session token is not valid; log in again');
    }
  }
}
