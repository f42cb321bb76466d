import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { OneTimeLinks } from '../auth/one-time-links.js';
import type { RequestLimits } from '../auth/request-limits.js';
import type { SessionTokens } from '../auth/session-tokens.js';
import type { ChatService } from '../chat/chat-service.js';
import type { AtasDatabase } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import type { Accounts, UserRow } from '../services/accounts.js';
import type { Events } from '../services/events.js';
import type { Invitations } from '../services/invitations.js';
import type { LegacyLog } from '../services/legacy-log.js';

/** What route handlers share. */
export interface AtasContext {
  db: Kysely<AtasDatabase>;
  accounts: Accounts;
  events: Events;
  invitations: Invitations;
  legacyLog: LegacyLog;
  chat: ChatService;
  sessions: SessionTokens;
  loginThrottle: LoginThrottle;
  /** Sign-ups and password reset requests per address and email. */
  requestLimits: RequestLimits;
  maxMessageLength: number;
  /** One-time links sent by email. */
  links: OneTimeLinks;
  mailer: Mailer;
  /** The web app's public address, without a trailing slash, for links in emails. */
  webUrl: string;
  /** The signed-in user, or 401. */
  authenticate(request: FastifyRequest): Promise<UserRow>;
}
