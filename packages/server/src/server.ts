import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { TokenVerifier } from './auth/tokens.js';
import { CloseCode, type ServerEvent } from '@parley/protocol';
import type { BlobStore } from './blobs/blob-store.js';
import { createBlobStore } from './blobs/create-blob-store.js';
import type { Bus } from './bus/bus.js';
import { createMemoryBus } from './bus/memory/memory-bus.js';
import { resolveConfig, type ResolvedConfig, type ServerOptions } from './config.js';
import { buildApp } from './http/app.js';
import { Metrics } from './metrics.js';
import { createMemoryPresence } from './presence/memory/memory-presence.js';
import type { PresenceTracker } from './presence/presence-tracker.js';
import { createMemoryRateLimits } from './rate-limits/memory/memory-rate-limits.js';
import type { RateLimits } from './rate-limits/rate-limits.js';
import { Readiness } from './readiness.js';
import { AccessControl } from './permissions/access-control.js';
import { createRedisParts } from './redis/redis-parts.js';
import { PresenceAnnouncer } from './realtime/presence-announcer.js';
import { ConnectionRegistry } from './realtime/connection-registry.js';
import { Fanout } from './realtime/fanout.js';
import { FrameHandlers } from './realtime/frame-handlers.js';
import { WsGateway } from './realtime/ws-gateway.js';
import { ChannelReads } from './services/channel-reads.js';
import { ChannelService } from './services/channel-service.js';
import type { ServiceContext } from './services/context.js';
import { MessageActions } from './services/message-actions.js';
import { MessageService } from './services/message-service.js';
import { MessageViews } from './services/message-views.js';
import { NotificationService } from './services/notification-service.js';
import { Notifications } from './notifications/notifications.js';
import { SearchService } from './services/search-service.js';
import { ChannelTypeService } from './services/channel-type-service.js';
import { ModerationService } from './services/moderation-service.js';
import { UserControls } from './services/user-controls.js';
import { AnalyticsService } from './services/analytics-service.js';
import { UserService } from './services/user-service.js';
import { iso } from './services/wire.js';
import { createStorage } from './storage/create-storage.js';
import { migrateWithRetry } from './storage/migrate-with-retry.js';
import type { Storage } from './storage/storage.js';
import { createMemoryTyping } from './typing/memory/memory-typing.js';
import { FileUrls } from './uploads/file-urls.js';
import { UploadService } from './uploads/upload-service.js';
import { UploadSweeper } from './uploads/upload-sweeper.js';
import { TypingHints } from './typing/typing-hints.js';
import type { TypingTracker } from './typing/typing-tracker.js';

/**
 * Parts a deployment may replace. Without them the server builds its own: in process, or
 * on Redis when `redisUrl` is set.
 */
export interface ServerParts {
  storage?: Storage;
  bus?: Bus;
  presence?: PresenceTracker;
  typing?: TypingTracker;
  rateLimits?: RateLimits;
  blobs?: BlobStore;
}

/** A Parley server: REST and WebSocket on one port. */
export interface ParleyServer {
  readonly config: ResolvedConfig;
  readonly app: FastifyInstance;
  /** Signs tokens with this server's secret (what an app backend does). */
  readonly tokens: TokenVerifier;
  /**
   * Listens, then runs migrations, retrying while the database is unreachable (`/health`
   * answers 503 meanwhile). Resolves with the base URL once the server can serve.
   */
  start(): Promise<{ url: string; port: number }>;
  /**
   * Removes uploads no message took within `uploadRetentionMs` (a timer does this every
   * `uploadSweepIntervalMs`); resolves with how many.
   */
  sweepUploads(): Promise<number>;
  /**
   * Graceful shutdown: stops accepting, lets connections finish the frames they sent,
   * closes them with 4000 (clients reconnect elsewhere), then closes storage.
   */
  close(): Promise<void>;
}

/** Builds a server from options; nothing listens until `start()`. */
export function createParleyServer(
  options: ServerOptions = {},
  parts: ServerParts = {},
): ParleyServer {
  const config = resolveConfig(options);
  const logger = pino({
    level: config.logLevel === false ? 'silent' : config.logLevel,
    enabled: config.logLevel !== false,
  });
  const nodeId = config.nodeId;
  const storage =
    parts.storage ?? createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const redis = config.redisUrl === undefined ? null : createRedisParts(config, logger);
  const readiness = new Readiness(redis === null ? undefined : redis.state);
  const bus = parts.bus ?? redis?.bus ?? createMemoryBus();
  const rateLimits =
    parts.rateLimits ?? redis?.rateLimits ?? createMemoryRateLimits({ limits: config.limits });
  const ownTyping = parts.typing === undefined && redis === null;
  const ctx: ServiceContext = {
    config,
    storage,
    bus,
    presence: parts.presence ?? redis?.presence ?? createMemoryPresence(),
    typing:
      parts.typing ?? redis?.typing ?? createMemoryTyping({ timeoutMs: config.typingTimeoutMs }),
    typingHints: new TypingHints(config.typingTimeoutMs, { shared: !ownTyping }),
    metrics: new Metrics(nodeId),
    rateLimits,
    logger,
    readiness,
    blobs: parts.blobs ?? createBlobStore(config),
    fileUrls: new FileUrls(config.secret, config.fileUrlTtlSeconds),
    access: new AccessControl({ storage, bus, rateLimits }),
  };
  const tokens = new TokenVerifier(config.secret);
  const { blobs, fileUrls: urls } = ctx;
  const uploads = new UploadService(ctx, blobs, urls, path.join(config.dataDir, 'tmp'));
  const sweeper = new UploadSweeper(
    storage,
    blobs,
    logger,
    config.uploadRetentionMs,
    config.uploadSweepIntervalMs,
  );
  const users = new UserService(ctx);
  const views = new MessageViews(ctx, users);
  const channels = new ChannelService(ctx, users, views);
  const messages = new MessageService(ctx, users, views);
  const reads = new ChannelReads(ctx, users, views);
  const messageActions = new MessageActions(ctx, users, views);
  const search = new SearchService(ctx, views);
  const notifications = new Notifications(ctx);
  const notificationService = new NotificationService(ctx, () => notifications.kick());
  const channelTypes = new ChannelTypeService(ctx);
  const moderation = new ModerationService(ctx, views);
  const controls = new UserControls(ctx);
  const analytics = new AnalyticsService(ctx);
  const registry = new ConnectionRegistry();
  const fanout = new Fanout(ctx, registry, users);
  const announcer = new PresenceAnnouncer(ctx, users);
  const gateway = new WsGateway(
    ctx,
    registry,
    tokens,
    users,
    new FrameHandlers(ctx, registry, {
      channels,
      messages,
      reads,
      actions: messageActions,
      moderation,
      controls,
    }),
    announcer,
  );
  const app = buildApp(
    {
      ctx,
      tokens,
      users,
      channels,
      messages,
      reads,
      messageActions,
      search,
      notifications: notificationService,
      channelTypes,
      moderation,
      analytics,
      controls,
      files: { uploads, blobs, urls },
      nodeId,
    },
    logger,
  );

  storage.onDiskSync((seconds) => ctx.metrics.observeDiskSync(seconds));
  ctx.typing.onExpired((cid, userId) => {
    void ctx.bus
      .publish({
        kind: 'channel',
        cid,
        event: { type: 'typing.stop', cid, user_id: userId, created_at: iso(Date.now()) },
        skipUserId: userId,
      })
      .catch((err: unknown) => logger.error({ err }, 'typing expiry publish failed'));
  });
  // A user whose node died goes offline when its connections expire; someone must say so.
  ctx.presence.onChanged((userId) => {
    announcer
      .announce(userId)
      .catch((err: unknown) => logger.error({ err }, 'presence announcement failed'));
  });
  // Events from other nodes may have been lost while the bus was cut off: every client
  // reconnects and recovers by seq.
  // Cached settings and bans, too: their invalidations may be among the lost messages.
  ctx.bus.onMissed(() => {
    ctx.access.clear();
    ctx.typingHints.missed();
    gateway.closeAll(CloseCode.Resync, 'resync');
  });
  const stopStarting = new AbortController();
  let closing: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;

  return {
    config,
    app,
    tokens,
    async start() {
      redis?.connect();
      unsubscribe = ctx.bus.subscribe((message) => {
        if (message.kind === 'invalidate') {
          ctx.access.forget(message.scope, message.key);
          return;
        }
        if (message.kind === 'channel') {
          sawEvent(storage, message.cid, message.event);
          ctx.typingHints.observe(message);
        } else if (message.event.type === 'user.presence.changed') {
          ctx.access.forgetRecord(message.event.user.id);
        }
        try {
          fanout.deliver(message);
        } catch (err) {
          logger.error({ err }, 'fan-out failed');
        }
      });
      app.server.on('upgrade', (request, socket, head) =>
        gateway.handleUpgrade(request, socket, head),
      );
      // Listen first, so /health can tell a load balancer "not yet" while storage waits.
      await app.listen({ port: config.port, host: config.host });
      await migrateWithRetry(storage, logger, stopStarting.signal);
      if (config.rebuildSearchIndex) {
        logger.info('rebuilding the search index from the stored messages');
        await storage.rebuildSearchIndex();
      }
      readiness.storageReady = true;
      gateway.startHeartbeat();
      sweeper.start();
      const { port } = app.server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      const url = `http://${host}:${port}`;
      await notifications.start(url);
      return { url, port };
    },
    sweepUploads: () => sweeper.sweep(),
    close() {
      closing ??= (async () => {
        readiness.draining = true;
        stopStarting.abort();
        // Stops listening at once; resolves when requests in flight are answered.
        const httpClosed = app.close();
        // Fastify closes the connections idle at this moment; one whose streamed answer (a
        // file) is still finishing becomes idle a moment later and would otherwise be kept
        // until its keep-alive timeout (72 s).
        const idleCloser = setInterval(() => app.server.closeIdleConnections(), 50);
        await gateway.close(config.shutdownTimeoutMs);
        await httpClosed.finally(() => clearInterval(idleCloser));
        unsubscribe?.();
        await sweeper.close();
        await notifications.close();
        fanout.close();
        await ctx.typing.close();
        await ctx.presence.close();
        // Waits for publishes still on their way, so in-flight sends reach the other nodes.
        await ctx.bus.close();
        await redis?.close();
        await storage.close();
        await blobs.close();
      })();
      return closing;
    },
  };
}

/** Tells storage of a channel event seen on the bus (Storage.sawEvent). */
function sawEvent(storage: Storage, cid: string, event: ServerEvent): void {
  if (storage.sawEvent === undefined || !('seq' in event) || typeof event.seq !== 'number') return;
  const authorId = event.type === 'message.new' ? event.message.user_id : null;
  storage.sawEvent(cid, event.seq, event.type, authorId);
}
