import type { FastifyRequest } from 'fastify';
import { AtasError } from '../atas-error.js';
import type { SessionTokens } from '../auth/session-tokens.js';
import type { Accounts, UserRow } from '../services/accounts.js';

/** The signed-in user of a request with `Authorization: Bearer <session>`; 401 otherwise. */
export async function requireSession(
  request: FastifyRequest,
  sessions: SessionTokens,
  accounts: Accounts,
): Promise<UserRow> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined) {
    throw new AtasError('unauthorized', 'send Authorization: Bearer <session token>');
  }
  const userId = await sessions.verify(match[1]);
  const user = await accounts.findById(userId);
  // A valid signature for an account that no longer exists is no session.
  if (user === undefined) throw new AtasError('session_invalid', 'the session is not valid');
  return user;
}
