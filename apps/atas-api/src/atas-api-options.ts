import type { LoginThrottleOptions } from './auth/login-throttle.js';
import type { LinkLifetimes } from './auth/one-time-links.js';
import type { RequestLimitsOptions } from './auth/request-limits.js';
import type { MailOptions } from './mail/mailer.js';
import type { ParleyOptions } from './chat/chat-service.js';

/** Options of `createAtasApi`. */
export interface AtasApiOptions {
  /** TCP port; 0 picks a free one. Default 3040. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Folder of the SQLite file `atas.db` (used when `databaseUrl` is not set). Default `./data`. */
  dataDir?: string;
  /** `postgres://…` to keep ATAS's data in PostgreSQL instead of SQLite. Default: none. */
  databaseUrl?: string | undefined;
  /** Secret (≥ 32 characters) that signs app sessions. Required. */
  sessionSecret: string;
  /** Lifetime of an app session in seconds. Default 12 hours. */
  sessionTtlSeconds?: number;
  /** The Parley server. Required. */
  parley: ParleyOptions;
  /** Largest accepted request body in bytes. Default 64 KiB. */
  bodyLimit?: number;
  /** Longest legacy log message, in characters. Default 5_000 (Parley's default limit too). */
  maxMessageLength?: number;
  /** Wrong passwords per email and window before logins wait. Default 10 per 15 minutes. */
  loginThrottle?: LoginThrottleOptions;
  /**
   * Sign-ups and password reset requests per client address, and resets per email, before
   * 429 `too_many_requests`. Default 5 sign-ups and 10 resets per address, 3 resets per
   * email, each per hour.
   */
  requestLimits?: Partial<RequestLimitsOptions>;
  /**
   * Proxies whose `X-Forwarded-For` names the client (Fastify's `trustProxy`): the client
   * address is what the per-address limits count. Default `loopback`: the web app on the
   * same machine passes its visitors' addresses.
   */
  trustProxy?: boolean | string | string[];
  /**
   * The web app's public address, for links in emails: ATAS's own, and Parley's through each
   * channel's `data.url`. Default `http://127.0.0.1:3000`.
   */
  webUrl?: string;
  /** Where emails go. Default: files in `<dataDir>/outbox`. */
  mail?: MailOptions;
  /** How long invite and password reset links work. Default 7 days and 1 hour. */
  linkLifetimes?: Partial<LinkLifetimes>;
  /**
   * `GET /api/v1/dev/mail` lists the file outbox, with its links, to anyone: for a developer's
   * machine only (`npm start` turns it on). Ignored when `mail.smtpUrl` is set. Default false.
   */
  devMailbox?: boolean;
  /** More folders of `.eml` files the dev mailbox lists (`npm start`: Parley's). Default none. */
  devMailFolders?: string[];
  /** Pino level, or false for no logs. Default `info`. */
  logLevel?: string | false;
}

export const DEFAULT_PORT = 3040;
export const DEFAULT_SESSION_TTL_SECONDS = 12 * 60 * 60;
export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const DEFAULT_MAX_MESSAGE_LENGTH = 5_000;
export const DEFAULT_WEB_URL = 'http://127.0.0.1:3000';
