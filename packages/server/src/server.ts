import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { TokenVerifier } from './auth/tokens.js';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory/memory-bus.js';
import { resolveConfig, type ResolvedConfig, type ServerOptions } from './config.js';
import { buildApp } from './http/app.js';
import { Metrics } from './metrics.js';
import { MemoryPresence } from './presence/memory/memory-presence.js';
import type { PresenceTracker } from './presence/presence-tracker.js';
import { ConnectionRegistry } from './realtime/connection-registry.js';
import { Fanout } from './realtime/fanout.js';
import { FrameHandlers } from './realtime/frame-handlers.js';
import { WsGateway } from './realtime/ws-gateway.js';
import { ChannelService } from './services/channel-service.js';
import type { ServiceContext } from './services/context.js';
import { MessageService } from './services/message-service.js';
import { RateLimits } from './services/rate-limits.js';
import { UserService } from './services/user-service.js';
import { iso } from './services/wire.js';
import { createStorage } from './storage/create-storage.js';
import type { Storage } from './storage/storage.js';
import { MemoryTyping } from './typing/memory/memory-typing.js';
import type { TypingTracker } from './typing/typing-tracker.js';

/** Parts a deployment may replace (a Redis bus and presence for several nodes, say). */
export interface ServerParts {
  storage?: Storage;
  bus?: Bus;
  presence?: PresenceTracker;
  typing?: TypingTracker;
}

/** A Parley server: REST and WebSocket on one port. */
export interface ParleyServer {
  readonly config: ResolvedConfig;
  readonly app: FastifyInstance;
  /** Signs tokens with this server's secret (what an app backend does). */
  readonly tokens: TokenVerifier;
  /** Runs migrations, then listens. Resolves with the base URL. */
  start(): Promise<{ url: string; port: number }>;
  /** Closes connections (code 4000, so clients reconnect), then storage. */
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
  const nodeId = randomUUID();
  const storage =
    parts.storage ?? createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const ctx: ServiceContext = {
    config,
    storage,
    bus: parts.bus ?? new MemoryBus(),
    presence: parts.presence ?? new MemoryPresence(),
    typing: parts.typing ?? new MemoryTyping(config.typingTimeoutMs),
    metrics: new Metrics(),
    rateLimits: new RateLimits(config.limits),
    logger,
  };
  const tokens = new TokenVerifier(config.secret);
  const users = new UserService(ctx);
  const channels = new ChannelService(ctx, users);
  const messages = new MessageService(ctx, users);
  const registry = new ConnectionRegistry();
  const fanout = new Fanout(ctx, registry, users);
  const gateway = new WsGateway(
    ctx,
    registry,
    tokens,
    users,
    new FrameHandlers(ctx, registry, channels, messages),
  );
  const app = buildApp({ ctx, tokens, users, channels, messages, nodeId }, logger);

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
  let unsubscribe: (() => void) | null = null;

  return {
    config,
    app,
    tokens,
    async start() {
      await storage.migrate();
      unsubscribe = ctx.bus.subscribe((message) => {
        try {
          fanout.deliver(message);
        } catch (err) {
          logger.error({ err }, 'fan-out failed');
        }
      });
      app.server.on('upgrade', (request, socket, head) =>
        gateway.handleUpgrade(request, socket, head),
      );
      await app.listen({ port: config.port, host: config.host });
      gateway.startHeartbeat();
      const { port } = app.server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      return { url: `http://${host}:${port}`, port };
    },
    async close() {
      await gateway.close();
      unsubscribe?.();
      fanout.close();
      await app.close();
      await ctx.typing.close();
      await ctx.presence.close();
      await ctx.bus.close();
      await storage.close();
    },
  };
}
