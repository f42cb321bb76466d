import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ChatError, CloseCode, type ClientFrame } from '@parley/protocol';
import { readBearer, type Principal, type TokenVerifier } from '../auth/tokens.js';
import type { ServiceContext } from '../services/context.js';
import type { UserService } from '../services/user-service.js';
import { iso } from '../services/wire.js';
import { toChatError } from '../to-chat-error.js';
import { writeRawError } from '../http/raw-error.js';
import { Connection } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { FrameHandlers } from './frame-handlers.js';
import type { PresenceAnnouncer } from './presence-announcer.js';
import { readClientFrame } from './read-frame.js';
import { Rota } from './rota.js';
import { textFrame } from './text-frame.js';

/** The path clients connect to. */
export const CONNECT_PATH = '/connect';

/** About how often the heartbeat wakes to ping its next share of the connections. */
const HEARTBEAT_TURN_MS = 250;

/**
 * The WebSocket side: authenticates a connection, sends `connection.ok`, dispatches
 * frames, keeps heartbeats and presence.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Connections taking turns for the heartbeat: a share of them every turn. */
  private readonly heartbeats: Rota<Connection>;
  /** Clean-ups of closed connections still running; `close()` waits for them. */
  private readonly cleanups = new Set<Promise<void>>();
  /** Shutting down: connections closed now are left to expire from presence (see close). */
  private closing = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly registry: ConnectionRegistry,
    private readonly tokens: TokenVerifier,
    private readonly users: UserService,
    private readonly handlers: FrameHandlers,
    private readonly presence: PresenceAnnouncer,
  ) {
    this.heartbeats = new Rota(
      Math.max(1, Math.floor(ctx.config.heartbeatIntervalMs / HEARTBEAT_TURN_MS)),
    );
    // Frames up to 4× the limit are read and answered with `frame_too_large`; beyond
    // that ws closes the socket with 1009 before buffering it all.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: Math.max(ctx.config.limits.maxFrameBytes * 4, 1024 * 1024),
      perMessageDeflate: false,
    });
    // A refused handshake (not GET, no Upgrade header, a bad key or version) is answered
    // in Parley's error shape rather than ws's plain-text one.
    this.wss.on('wsClientError', (err: Error, socket: Duplex) => {
      ctx.metrics.errors.inc({ code: 'invalid_request' });
      const version: Record<string, string> = /version/i.test(err.message)
        ? { 'Sec-WebSocket-Version': '13, 8' }
        : {};
      writeRawError(
        socket,
        new ChatError('invalid_request', `WebSocket handshake refused: ${err.message}`),
        version,
      );
    });
    // Which node took the connection: for operators behind a load balancer, and for tests.
    this.wss.on('headers', (headers) => headers.push(`X-Parley-Node: ${ctx.config.nodeId}`));
  }

  /** Takes an HTTP upgrade; answers 404 for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      writeRawError(socket, new ChatError('invalid_request', 'the URL is not valid'));
      return;
    }
    if (url.pathname !== CONNECT_PATH) {
      writeRawError(
        socket,
        new ChatError('not_found', `WebSocket connections go to ${CONNECT_PATH}`),
      );
      return;
    }
    if (!this.ctx.readiness.acceptsConnections) {
      // Starting, shutting down or cut off from Redis: a load balancer tries another node
      // (nginx does on 503), and a client retries with backoff.
      writeRawError(
        socket,
        new ChatError('storage_unavailable', 'this node cannot take connections now; retry'),
        { 'Retry-After': '1' },
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      void this.accept(ws, socket, request, url).catch((err: unknown) => {
        this.ctx.logger.error({ err }, 'connection setup failed');
        ws.close(CloseCode.InternalError, 'internal error');
      });
    });
  }

  /**
   * Pings every connection once an interval, a share of them every turn (a quarter of a
   * second): pinging a thousand at once held the event loop for tens of milliseconds.
   */
  startHeartbeat(): void {
    const interval = this.ctx.config.heartbeatIntervalMs;
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      const frame = textFrame(JSON.stringify({ type: 'health.check', created_at: iso(now) }));
      for (const connection of this.heartbeats.next()) {
        if (now - connection.lastSeen > interval * 2) {
          // Say why if the peer can still hear it; close() does not wait long for a
          // handshake from a peer that stopped answering.
          connection.close(CloseCode.HeartbeatTimeout, 'heartbeat timeout');
          continue;
        }
        // The frame first: it corks the socket, so the ping leaves in the same write.
        connection.sendFrame(frame);
        connection.ping();
      }
    }, interval / this.heartbeats.slots);
    this.heartbeat.unref();
  }

  /**
   * Shutdown: lets each connection finish the frames it sent (its sends stored and
   * answered; `timeoutMs` at most), then closes it with 4000 so the client reconnects
   * elsewhere at once. Connections still open a second later are dropped.
   */
  async close(timeoutMs = 0): Promise<void> {
    this.closing = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    await Promise.all(
      [...this.registry.all()].map(async (connection) => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          connection.settled,
          new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
        connection.close(CloseCode.ServerShutdown, 'server shutting down');
        await connection.ended(1_000);
      }),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await Promise.allSettled([...this.cleanups]);
  }

  /** Closes every connection with `code` (a reconnect code): their clients recover by seq. */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.registry.all()]) connection.close(code, reason);
  }

  private async accept(
    ws: WebSocket,
    socket: Duplex,
    request: IncomingMessage,
    url: URL,
  ): Promise<void> {
    // Frames that arrive while the token is checked are kept, not dropped.
    const early: RawData[] = [];
    const keep = (data: RawData) => early.push(data);
    ws.on('message', keep);
    ws.on('error', () => {});
    let principal: Extract<Principal, { kind: 'user' }>;
    try {
      const apiKey = url.searchParams.get('api_key');
      if (apiKey !== null && apiKey !== this.ctx.config.apiKey) {
        throw new ChatError('invalid_api_key', 'the api_key does not match this server');
      }
      const token = url.searchParams.get('token') ?? readBearer(request.headers.authorization);
      const verified = await this.tokens.verify(token);
      if (verified.kind !== 'user') {
        throw new ChatError('token_invalid', 'connect with a user token, not a server token');
      }
      principal = verified;
    } catch (err) {
      let error = toChatError(err);
      try {
        // Failed attempts spend the address's budget, as on REST.
        await this.ctx.rateLimits.consumeRequest(`ip:${request.socket.remoteAddress ?? '?'}`);
      } catch (limited) {
        error = toChatError(limited);
      }
      ws.send(JSON.stringify({ type: 'error', error: error.toBody().error }));
      const code = error.code === 'token_expired' ? CloseCode.TokenExpired : CloseCode.AuthFailed;
      ws.close(code, error.code);
      return;
    }
    const { userId } = principal;
    const user = await this.ctx.storage.ensureUser(userId, Date.now());
    const connection = new Connection(
      randomUUID(),
      user,
      ws,
      socket,
      this.ctx.config.maxBufferedBytes,
    );
    // Presence is recorded before the close handler exists, so that handler always
    // undoes it, even for a socket that closed while presence was being recorded.
    const cameOnline = await this.ctx.presence.connect(userId, connection.id);
    this.registry.add(connection);
    this.heartbeats.add(connection);
    this.ctx.metrics.connections.inc();
    this.ctx.metrics.connectionsTotal.inc();

    ws.off('message', keep);
    ws.on('message', (data, isBinary) => this.onFrame(connection, data, isBinary));
    ws.on('pong', () => (connection.lastSeen = Date.now()));
    ws.on('close', () => this.closed(connection));
    connection.onClosed = () => this.closed(connection);
    if (ws.readyState !== ws.OPEN) {
      this.closed(connection);
      return;
    }
    if (principal.expiresAt !== null) {
      // A token is checked once per connection; when it expires the connection ends too,
      // and the client reconnects with a fresh token (4003 is in the retry range).
      connection.expireAt(principal.expiresAt, () => {
        const error = new ChatError('token_expired', 'the token has expired; get a new one');
        connection.send({ type: 'error', error: error.toBody().error });
        connection.close(CloseCode.TokenExpired, error.code);
      });
    }

    const [wireUser] = await this.users.withPresence([user]);
    connection.send({
      type: 'connection.ok',
      connection_id: connection.id,
      user: wireUser!,
      unread: await this.users.unread(userId),
      heartbeat_interval_ms: this.ctx.config.heartbeatIntervalMs,
      server_time: iso(Date.now()),
    });
    for (const data of early) this.onFrame(connection, data, false);
    if (cameOnline) await this.presence.announce(userId);
  }

  private onFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    connection.lastSeen = Date.now();
    const read = readClientFrame(data, isBinary, this.ctx.config.limits.maxFrameBytes);
    if (!read.ok) {
      this.fail(connection, read.reqId, read.error);
      return;
    }
    const { frame } = read;
    if (frame.type === 'message.send') {
      let queued!: () => void;
      const started = new Promise<void>((resolve) => (queued = resolve));
      const done = connection.queue.then(() => this.dispatchSend(connection, frame, queued));
      connection.queue = Promise.race([started, done]);
      connection.settled = Promise.all([connection.settled, done]).then(() => undefined);
    } else {
      const done = connection.settled.then(() => this.dispatch(connection, frame));
      connection.queue = connection.settled = done;
    }
  }

  /** Answers a send once stored; calls `queued` as soon as it is queued for storage. */
  private async dispatchSend(
    connection: Connection,
    frame: Extract<ClientFrame, { type: 'message.send' }>,
    queued: () => void,
  ): Promise<void> {
    if (connection.closed) return;
    try {
      const { stored } = await this.handlers.queueSend(connection, frame);
      queued();
      this.respond(connection, frame.req_id, await stored);
    } catch (err) {
      this.fail(connection, frame.req_id, err);
    }
  }

  private async dispatch(connection: Connection, frame: ClientFrame): Promise<void> {
    if (connection.closed) return;
    if (frame.type === 'ping') {
      this.ctx.metrics.wsFrames.inc({ outcome: 'ok' });
      connection.send(
        frame.req_id === undefined ? { type: 'pong' } : { type: 'pong', req_id: frame.req_id },
      );
      return;
    }
    try {
      this.respond(connection, frame.req_id, await this.handlers.handle(connection, frame));
    } catch (err) {
      this.fail(connection, frame.req_id, err);
    }
  }

  private respond(connection: Connection, reqId: string | undefined, result: object): void {
    this.ctx.metrics.wsFrames.inc({ outcome: 'ok' });
    if (reqId !== undefined) {
      connection.send({
        type: 'response',
        req_id: reqId,
        result: result as Record<string, unknown>,
      });
    }
  }

  private fail(connection: Connection, reqId: string | undefined, err: unknown): void {
    const error = toChatError(err);
    this.ctx.metrics.wsFrames.inc({ outcome: 'error' });
    this.ctx.metrics.errors.inc({ code: error.code });
    if (error.code === 'internal_error') {
      this.ctx.logger.error({ err, connection: connection.id }, 'frame failed');
    }
    connection.send(
      reqId === undefined
        ? { type: 'error', error: error.toBody().error }
        : { type: 'error', req_id: reqId, error: error.toBody().error },
    );
  }

  /** Forgets a connection at once; its presence and typing clean-up runs on. */
  private closed(connection: Connection): void {
    const cleanup = this.onClose(connection);
    this.cleanups.add(cleanup);
    void cleanup.finally(() => this.cleanups.delete(cleanup));
  }

  private async onClose(connection: Connection): Promise<void> {
    if (!this.registryHas(connection)) return;
    this.registry.remove(connection);
    this.heartbeats.delete(connection);
    connection.dispose();
    this.ctx.metrics.connections.dec();
    try {
      await this.ctx.typing.dropConnection(connection.id);
      // On shutdown a connection stays in presence until it expires: its user reconnects
      // to another node at once and should not flicker offline on everyone's screen.
      if (this.closing) return;
      const wentOffline = await this.ctx.presence.disconnect(connection.userId, connection.id);
      if (wentOffline) await this.presence.announce(connection.userId);
    } catch (err) {
      this.ctx.logger.error({ err }, 'cleanup after close failed');
    }
  }

  private registryHas(connection: Connection): boolean {
    return this.registry.ofUser(connection.userId).has(connection);
  }
}
