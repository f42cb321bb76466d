import { SignJWT } from 'jose';

/** The key HS256 signs with: the app secret's UTF-8 bytes, as the server reads it. */
export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * A user token: HS256, claim `user_id`, and `exp` when `expiresIn` (seconds from now) is
 * given. A negative `expiresIn` makes a token that has already expired.
 */
export function signUserToken(
  key: Uint8Array,
  userId: string,
  expiresIn?: number,
): Promise<string> {
  const jwt = new SignJWT({ user_id: userId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (expiresIn !== undefined) {
    jwt.setExpirationTime(Math.floor(Date.now() / 1000 + expiresIn));
  }
  return jwt.sign(key);
}

/**
 * The server token: HS256, claim `server: true`, no `exp`. It never expires because the
 * backend holds the secret anyway; whoever could steal the token could sign a new one.
 */
export function signServerToken(key: Uint8Array): Promise<string> {
  return new SignJWT({ server: true }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(key);
}
