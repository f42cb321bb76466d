import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { AtasError } from './atas-error.js';
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_PORT,
  DEFAULT_SESSION_TTL_SECONDS,
  DEFAULT_WEB_URL,
  type AtasApiOptions,
} from './atas-api-options.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { DEFAULT_LINK_LIFETIMES, OneTimeLinks } from './auth/one-time-links.js';
import { RequestLimits } from './auth/request-limits.js';
import { SessionTokens } from './auth/session-tokens.js';
import { ChatService } from './chat/chat-service.js';
import { syncChatUsers } from './chat/sync-chat-users.js';
import { createDatabase } from './db/create-database.js';
import type { AtasDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import type { AtasContext } from './http/context.js';
import { createMailer } from './mail/create-mailer.js';
import { requireSession } from './http/require-session.js';
import { toAtasError } from './http/to-atas-error.js';
import { accountRoutes } from './routes/account-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { devMailRoutes } from './routes/dev-mail-routes.js';
import { eventChatRoutes } from './routes/event-chat-routes.js';
import { eventInvitationRoutes } from './routes/event-invitation-routes.js';
import { inviteLinkRoutes } from './routes/invite-link-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { invitationRoutes } from './routes/invitation-routes.js';
import { legacyLogRoutes } from './routes/legacy-log-routes.js';
import { notificationSettingsRoutes } from './routes/notification-settings-routes.js';
import { Accounts } from './services/accounts.js';
import { Events } from './services/events.js';
import { Invitations } from './services/invitations.js';
import { LegacyLog } from './services/legacy-log.js';

/** A running (or startable) ATAS API. */
export interface AtasApi {
  readonly app: FastifyInstance;
  readonly db: Kysely<AtasDatabase>;
  /** Handlers' shared services: accounts for seeding, sessions for tools and tests. */
  readonly ctx: AtasContext;
  /** Migrates the database, then listens; resolves with the base URL. */
  start(): Promise<{ url: string }>;
  /** Migrates without listening (for commands such as the legacy-chat migration). */
  migrate(): Promise<void>;
  /**
   * Pushes every account's profile and email to Parley (`start()` does it in the
   * background); resolves with how many were pushed.
   */
  syncChatUsers(): Promise<number>;
  close(): Promise<void>;
}

/** Builds the ATAS API; nothing connects or listens before `start()`. */
export function createAtasApi(options: AtasApiOptions): AtasApi {
  if (options.sessionSecret.length < 32) {
    throw new Error('sessionSecret must have at least 32 characters');
  }
  const dataDir = options.dataDir ?? 'data';
  const webUrl = (options.webUrl ?? DEFAULT_WEB_URL).replace(/\/+$/, '');
  const db = createDatabase({
    dataDir,
    databaseUrl: options.databaseUrl,
  });
  const accounts = new Accounts(db);
  const sessions = new SessionTokens(
    options.sessionSecret,
    options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
  );
  const ctx: AtasContext = {
    db,
    accounts,
    events: new Events(db),
    invitations: new Invitations(db),
    legacyLog: new LegacyLog(db),
    chat: new ChatService(options.parley, webUrl),
    sessions,
    loginThrottle: new LoginThrottle(options.loginThrottle),
    requestLimits: new RequestLimits(options.requestLimits),
    maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    links: new OneTimeLinks({ ...DEFAULT_LINK_LIFETIMES, ...options.linkLifetimes }),
    mailer: createMailer(options.mail ?? {}, dataDir),
    webUrl,
    authenticate: (request) => requireSession(request, sessions, accounts),
  };
  const app = buildApp(ctx, options);
  let migrated: Promise<void> | undefined;
  const migrate = () => (migrated ??= migrateToLatest(db));
  const syncChatUsersNow = () => syncChatUsers(db, ctx.chat);
  let startupSync: Promise<void> | undefined;

  return {
    app,
    db,
    ctx,
    migrate,
    syncChatUsers: syncChatUsersNow,
    async start() {
      await migrate();
      const address = await app.listen({
        port: options.port ?? DEFAULT_PORT,
        host: options.host ?? '127.0.0.1',
      });
      // Accounts from before emails were pushed get theirs; a Parley that is down does not
      // hold up the start (each chat token pushes the user again anyway).
      startupSync = syncChatUsersNow().then(
        (count) => app.log.info({ count }, 'accounts pushed to the chat'),
        (err: unknown) => app.log.warn({ err }, 'accounts not pushed to the chat at start-up'),
      );
      return { url: address };
    },
    async close() {
      await app.close();
      await startupSync;
      await db.destroy();
    },
  };
}

function buildApp(ctx: AtasContext, options: AtasApiOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logLevel === false ? false : { level: options.logLevel ?? 'info' },
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: false,
    trustProxy: options.trustProxy ?? 'loopback',
  }) as unknown as FastifyInstance;

  // An empty body counts as none; invalid JSON is `invalid_json`, never a stack trace.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AtasError('invalid_json', 'the body is not valid JSON'), undefined);
    }
  });
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler(async (err, request, reply) => {
    const error = toAtasError(err);
    if (error.code === 'internal_error') request.log.error({ err }, 'request failed');
    const retryAfterMs = error.details?.['retry_after_ms'];
    if (typeof retryAfterMs === 'number') {
      void reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
    }
    return reply.code(error.status).send(error.toBody());
  });
  app.setNotFoundHandler(async (request, reply) => {
    const error = new AtasError(
      'not_found',
      `no route ${request.method} ${request.url.split('?')[0]}`,
    );
    return reply.code(404).send(error.toBody());
  });

  app.get('/health', async () => ({ status: 'ok' }));
  authRoutes(app, ctx);
  accountRoutes(app, ctx);
  inviteLinkRoutes(app, ctx);
  eventRoutes(app, ctx);
  eventInvitationRoutes(app, ctx);
  eventChatRoutes(app, ctx);
  // Never with SMTP: the mailbox would show nothing, and its links are one-time secrets.
  if (options.devMailbox === true && ctx.mailer.outbox !== null) {
    devMailRoutes(app, ctx, options.devMailFolders ?? []);
  }
  notificationSettingsRoutes(app, ctx);
  invitationRoutes(app, ctx);
  legacyLogRoutes(app, ctx);
  chatRoutes(app, ctx);
  return app;
}
