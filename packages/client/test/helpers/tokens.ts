import { createHmac } from 'node:crypto';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * An HS256 JWT as the app backend makes it: `{ user_id, exp? }` or `{ server: true }`.
 * Built here with node:crypto so a test can sign for a server running in another process,
 * or sign with a wrong secret on purpose.
 */
export function signToken(
  secret: string,
  claims: { user_id: string } | { server: true },
  expiresInSeconds?: number,
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { ...claims, iat: now };
  if (expiresInSeconds !== undefined) payload.exp = now + expiresInSeconds;
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(head).digest('base64url');
  return `${head}.${signature}`;
}
