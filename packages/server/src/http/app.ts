import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { ChatError } from '@parley/protocol';
import type { TokenVerifier } from '../auth/tokens.js';
import type { Actor, ServiceContext } from '../services/context.js';
import type { ChannelService } from '../services/channel-service.js';
import type { MessageActions } from '../services/message-actions.js';
import type { ChannelReads } from '../services/channel-reads.js';
import type { MessageService } from '../services/message-service.js';
import type { NotificationService } from '../services/notification-service.js';
import type { SearchService } from '../services/search-service.js';
import type { UserService } from '../services/user-service.js';
import type { ChannelTypeService } from '../services/channel-type-service.js';
import type { ModerationService } from '../services/moderation-service.js';
import type { UserControls } from '../services/user-controls.js';
import type { AnalyticsService } from '../services/analytics-service.js';
import { toChatError } from '../to-chat-error.js';
import { authenticate } from './authenticate.js';
import { clientErrorHandler, frameworkErrorHandler } from './framework-errors.js';
import { rememberVerifiedTokens } from '../auth/verified-tokens.js';
import { adminRoutes } from './routes/admin-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { messageActionRoutes } from './routes/message-action-routes.js';
import { fileRoutes, type FileRouteDeps } from './routes/file-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { moderationRoutes } from './routes/moderation-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { userRoutes } from './routes/user-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set for every route but the public ones. */
    actor: Actor;
  }
  interface FastifyInstance {
    /** Every route registered (method and path), for the API description's completeness test. */
    parleyRoutes: readonly { method: string; path: string }[];
  }
  interface FastifyContextConfig {
    /** No token needed. */
    public?: boolean;
    /** A page for browsers (the admin console), not part of the REST API and its description. */
    page?: boolean;
  }
}

export interface AppServices {
  ctx: ServiceContext;
  tokens: TokenVerifier;
  users: UserService;
  channels: ChannelService;
  messages: MessageService;
  reads: ChannelReads;
  messageActions: MessageActions;
  search: SearchService;
  notifications: NotificationService;
  channelTypes: ChannelTypeService;
  moderation: ModerationService;
  controls: UserControls;
  analytics: AnalyticsService;
  files: Omit<FileRouteDeps, 'maxUploadBytes' | 'storage'>;
  nodeId: string;
}

/** The REST API. Every error leaves as `{ error: { code, message, details? } }`. */
export function buildApp(services: AppServices, logger: FastifyInstance['log']): FastifyInstance {
  const { ctx } = services;
  const tokens = rememberVerifiedTokens(services.tokens);
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: ctx.config.limits.maxBodyBytes,
    // Per-request lines would drown the log; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // While closing, requests already accepted finish normally; Fastify's own 503 body
    // would not have Parley's error shape.
    return503OnClosing: false,
    // Only JSON is accepted; anything else is a 415 from the content-type check.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Whatever the framework or Node's HTTP parser refuses is answered in Parley's shape.
    frameworkErrors: frameworkErrorHandler(ctx.metrics),
    clientErrorHandler: clientErrorHandler(ctx.metrics),
    requestTimeout: ctx.config.requestTimeoutMs,
    http: {
      requestTimeout: ctx.config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, ctx.config.requestTimeoutMs),
      // Node looks for timed-out requests this often (default 30 s, late for a short limit).
      connectionsCheckingInterval: Math.min(5_000, Math.ceil(ctx.config.requestTimeoutMs / 4)),
    },
  }) as unknown as FastifyInstance;

  // Null until the auth hook runs; public routes never read it. (The cast satisfies
  // Fastify's decorator typing, which cannot express "set later".)
  // Browser apps on another origin (a Next.js front end, say) call the REST API directly.
  void app.register(cors, {
    origin: ctx.config.corsOrigins === '*' ? '*' : ctx.config.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  });

  app.decorateRequest('actor', null as unknown as { getter: () => Actor });

  // An empty body counts as `{}`; invalid JSON is `invalid_json`, never a stack trace.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ChatError('invalid_json', 'the body is not valid JSON'), undefined);
    }
  });
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public === true) return;
    // No route matched: the not-found handler answers, whoever asks (a mistyped path is not
    // a missing credential).
    if (request.is404) return;
    // CORS preflights carry no credentials by design; the cors plugin answers them.
    if (request.method === 'OPTIONS') return;
    if (!ctx.readiness.storageReady) {
      throw new ChatError('storage_unavailable', 'the server is starting; retry shortly');
    }
    try {
      request.actor = await authenticate(request, ctx, tokens);
    } catch (err) {
      // Failed attempts spend the address's budget, so guessing is slowed down without
      // making users behind one address share a budget for their real requests.
      await ctx.rateLimits.consumeRequest(`ip:${request.ip}`);
      throw err;
    }
    // The app backend (server token) is not limited; each user has a budget of their own.
    if (request.actor.kind === 'user') await ctx.rateLimits.consumeRequest(request.actor.user.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler(async (err, request, reply) => {
    const error = toChatError(err);
    ctx.metrics.errors.inc({ code: error.code });
    if (error.code === 'internal_error' || error.code === 'storage_unavailable') {
      request.log.error({ err, url: request.url }, 'request failed');
    }
    if (error.code === 'rate_limited' || error.code === 'slow_mode') {
      const ms = Number(error.details?.retry_after_ms ?? 1000);
      void reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
    }
    return reply.code(error.status).send(error.toBody());
  });

  app.setNotFoundHandler({}, async (request, reply) => {
    const error = new ChatError(
      'not_found',
      `no route ${request.method} ${request.url.split('?')[0]}`,
    );
    return reply.code(404).send(error.toBody());
  });

  const routes: { method: string; path: string }[] = [];
  app.decorate('parleyRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (route.config?.page === true) return;
    for (const method of [route.method].flat()) {
      // HEAD routes are Fastify's automatic twins of GET routes.
      if (method !== 'HEAD') routes.push({ method, path: route.url });
    }
  });
  systemRoutes(app, ctx, services.nodeId);
  userRoutes(app, services.users);
  channelRoutes(app, services.channels, services.users);
  messageRoutes(app, services.messages, services.reads);
  messageActionRoutes(app, services.messageActions);
  searchRoutes(app, services.search);
  notificationRoutes(app, services.notifications);
  moderationRoutes(app, services);
  adminRoutes(app, ctx.config.adminDir);
  fileRoutes(app, {
    ...services.files,
    storage: ctx.storage,
    maxUploadBytes: ctx.config.limits.maxUploadBytes,
  });
  return app;
}
