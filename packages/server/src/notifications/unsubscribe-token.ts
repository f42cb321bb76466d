import { createHmac, timingSafeEqual } from 'node:crypto';

// One-click unsubscribe links carry the user's id signed with the app secret: no login,
// and nobody can unsubscribe someone else. They do not expire (old emails keep working).

function mac(secret: string, userId: string): Buffer {
  return createHmac('sha256', secret).update(`parley-unsubscribe\n${userId}`).digest();
}

export function createUnsubscribeToken(secret: string, userId: string): string {
  return `${Buffer.from(userId).toString('base64url')}.${mac(secret, userId).toString('base64url')}`;
}

/** The user id of a valid token, else null. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const [id, sig, extra] = token.split('.');
  if (id === undefined || sig === undefined || extra !== undefined) return null;
  const userId = Buffer.from(id, 'base64url').toString('utf8');
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, userId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}
