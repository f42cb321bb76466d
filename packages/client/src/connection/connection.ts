import { ChatError, CloseCode, errorStatus, type ErrorCode } from '@parley/protocol/codes';
import type { ConnectionOkFrame, ServerEvent } from '@parley/protocol';
import { invalid } from '../arguments.js';
import type { TokenSource } from '../token-source.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { ConnectionChangedEvent, ConnectionState } from './connection-state.js';
import { RequestTracker, type RequestFrame } from './request-tracker.js';
import { openSocket, type Socket, type WebSocketConstructor } from './socket.js';

/** Where `online` / `offline` events come from (a browser's `window`). */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

export interface ConnectionOptions {
  /** `ws(s)://host/connect`. */
  url: string;
  apiKey: string | undefined;
  WebSocket: WebSocketConstructor | undefined;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  networkEvents: NetworkEvents | null;
}

/** What the connection tells its client. */
export interface ConnectionHooks {
  /** `connection.ok` arrived; called before the state turns `connected`. */
  ok(frame: ConnectionOkFrame): void;
  state(event: ConnectionChangedEvent): void;
  event(event: ServerEvent): void;
  /** An error frame that answers no request. */
  error(error: ChatError): void;
}

/** Error frames that explain the close that follows them, rather than a failed frame. */
const REFUSALS = new Set<string>([
  'auth_missing',
  'token_invalid',
  'token_expired',
  'invalid_api_key',
]);

/**
 * One WebSocket session: opens the socket with the token, reconnects with backoff after
 * temporary closes and stops after permanent ones, watches for silence, pauses while the
 * network is offline, and matches requests to answers.
 */
export class Connection {
  state: ConnectionState = 'idle';
  private socket: Socket | null = null;
  private tokens: TokenSource | null = null;
  private readonly requests: RequestTracker;
  private attempt = 0;
  private connectedOnce = false;
  private offline = false;
  /** Bumped by start and stop, so async work of an earlier session is dropped. */
  private session = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFrameAt = 0;
  /** The refusal an error frame announced, for the close that follows. */
  private refusal: ChatError | undefined;
  private unlisten: (() => void) | null = null;
  /** True while an attempt waits for its token. */
  private opening = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.requests = new RequestTracker(options.requestTimeoutMs, (frame) => this.send(frame));
  }

  /** Starts a session: connects, and keeps connecting until stopped. */
  start(tokens: TokenSource): void {
    this.session += 1;
    this.tokens = tokens;
    this.attempt = 0;
    this.connectedOnce = false;
    this.offline = false;
    this.listenToNetwork();
    void this.connect('connecting');
  }

  /** Ends the session: closes the socket with 1000 and waits (briefly) until it is closed. */
  async stop(): Promise<void> {
    const socket = this.end(new ChatError('network_error', 'the client disconnected'));
    this.setState('disconnected');
    if (socket !== null) await closeWithin(socket);
    // One more turn of the event loop: Node finishes closing the handles of sockets that
    // just reported their close, so nothing of this client is left when stop() resolves.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Sends a request frame (buffered until connected) and resolves with its result. */
  request<T>(frame: RequestFrame): Promise<T> {
    if (this.state === 'idle' || this.state === 'disconnected') {
      return Promise.reject(invalid('not connected: call connectUser first'));
    }
    return this.requests.request(frame, this.state === 'connected') as Promise<T>;
  }

  /** Sends a frame without waiting for an answer; false when not connected. */
  send(frame: RequestFrame): boolean {
    return (
      this.state === 'connected' && this.socket !== null && this.socket.send(JSON.stringify(frame))
    );
  }

  /**
   * Skips the rest of a backoff wait: when waiting to reconnect (or offline), tries at once.
   * Does nothing while connected, connecting, or stopped.
   */
  tryNow(): void {
    this.offline = false;
    const waiting = this.state === 'reconnecting' && this.socket === null;
    if ((this.state !== 'offline' && !waiting) || this.opening) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    void this.connect(this.connectedOnce ? 'reconnecting' : 'connecting');
  }

  private async connect(next: 'connecting' | 'reconnecting'): Promise<void> {
    const session = this.session;
    this.setState(next);
    let token: string;
    this.opening = true;
    try {
      token = await this.tokens!.get();
    } catch (error) {
      this.opening = false;
      if (session !== this.session) return;
      const chatError = error as ChatError;
      if (!chatError.retryable) return this.fail(chatError);
      this.hooks.error(chatError);
      return this.retry();
    }
    this.opening = false;
    // Stopped, or the network went offline, while the token was fetched.
    if (session !== this.session || this.offline) return;
    let url = `${this.options.url}?token=${encodeURIComponent(token)}`;
    if (this.options.apiKey !== undefined)
      url += `&api_key=${encodeURIComponent(this.options.apiKey)}`;
    try {
      if (this.options.WebSocket === undefined) throw new TypeError('no WebSocket');
      this.socket = openSocket(
        this.options.WebSocket,
        url,
        (data) => this.receive(data),
        (code, reason) => this.closed(code, reason),
      );
    } catch (error) {
      return this.fail(invalid(`cannot open a WebSocket to ${this.options.url}: ${String(error)}`));
    }
    this.timer = setTimeout(
      () => this.lose(`no connection.ok within ${this.options.connectTimeoutMs} ms`),
      this.options.connectTimeoutMs,
    );
  }

  private receive(data: string): void {
    this.lastFrameAt = Date.now();
    let frame: {
      type?: unknown;
      req_id?: string;
      result?: unknown;
      error?: { code: ErrorCode; message: string };
    };
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not JSON: nothing the protocol sends
    }
    if (typeof frame !== 'object' || frame === null) return;
    switch (frame.type) {
      case 'connection.ok':
        return this.opened(frame as ConnectionOkFrame);
      case 'response':
        return this.requests.answer(String(frame.req_id), frame.result);
      case 'error': {
        const error = ChatError.fromBody({ error: frame.error! });
        if (frame.req_id !== undefined) return this.requests.answer(frame.req_id, undefined, error);
        if (REFUSALS.has(error.code)) this.refusal = error;
        else this.hooks.error(error);
        return;
      }
      case 'pong':
        return;
      default:
        this.hooks.event(frame as ServerEvent);
    }
  }

  private opened(frame: ConnectionOkFrame): void {
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connectedOnce = true;
    this.watchSilence(frame.heartbeat_interval_ms * 2);
    this.hooks.ok(frame);
    this.setState('connected');
  }

  /** The server closed, or the link broke. */
  private closed(code: number, reason: string): void {
    this.dropSocket(`the connection closed (${code})`);
    const error = this.refusal ?? closeError(code, reason);
    this.refusal = undefined;
    if (code >= 4500 && code <= 4999) return this.fail(error);
    if (code === CloseCode.ServerShutdown || code === CloseCode.Resync) {
      // A planned close (a node draining, or one asking its clients to resync): another
      // node takes the connection now, and nothing went wrong, so no error is reported.
      return this.retry(undefined, true);
    }
    if (code === CloseCode.TokenExpired) {
      if (!this.tokens!.refreshable) return this.fail(error);
      this.tokens!.expire();
    }
    // Any other close we did not ask for, 1000 included, is worth another attempt.
    this.retry(error);
  }

  /** Gives up on a socket that went quiet or never said `connection.ok`. */
  private lose(why: string): void {
    this.socket?.close(CloseCode.HeartbeatTimeout, 'heartbeat timeout', true);
    this.dropSocket(why);
    this.retry(new ChatError('network_error', why));
  }

  private retry(error?: ChatError, now = false): void {
    if (this.offline) return this.setState('offline', error);
    this.setState('reconnecting', error);
    const delay = now ? 0 : backoffDelay(this.attempt++, this.options.backoff);
    this.timer = setTimeout(() => void this.connect('reconnecting'), delay);
  }

  /** A permanent refusal: stop for good. */
  private fail(error: ChatError): void {
    const socket = this.end(error);
    socket?.close(CloseCode.Normal, 'refused');
    this.setState('disconnected', error);
  }

  /** Stops timers, listeners and requests; returns the socket still to close. */
  private end(error: ChatError): Socket | null {
    this.session += 1;
    this.unlisten?.();
    this.unlisten = null;
    const socket = this.socket;
    this.dropSocket(error.message);
    clearTimeout(this.timer);
    this.requests.failAll(error);
    return socket;
  }

  private dropSocket(why: string): void {
    this.socket = null;
    clearTimeout(this.timer);
    clearTimeout(this.silenceTimer);
    this.requests.failSent(new ChatError('network_error', why));
  }

  /** Treats `limit` ms without any frame as a dead link (the server sends one every heartbeat). */
  private watchSilence(limit: number): void {
    const check = () => {
      const quiet = Date.now() - this.lastFrameAt;
      if (quiet >= limit) this.lose(`no frame for ${quiet} ms`);
      else this.silenceTimer = setTimeout(check, limit - quiet);
    };
    this.silenceTimer = setTimeout(check, limit);
  }

  private listenToNetwork(): void {
    const target = this.options.networkEvents;
    if (target === null || this.unlisten !== null) return;
    const offline = () => {
      this.offline = true;
      if (this.state === 'disconnected' || this.state === 'offline') return;
      this.socket?.close(CloseCode.Normal, 'offline', true);
      this.dropSocket('the network went offline');
      this.setState('offline');
    };
    const online = () => {
      this.offline = false;
      // Back online: try now rather than at the end of a long backoff.
      this.tryNow();
    };
    target.addEventListener('offline', offline);
    target.addEventListener('online', online);
    this.unlisten = () => {
      target.removeEventListener('offline', offline);
      target.removeEventListener('online', online);
    };
  }

  private setState(state: ConnectionState, error?: ChatError): void {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    if (state === 'connected') this.requests.flush();
    this.hooks.state(error === undefined ? { state, previous } : { state, previous, error });
  }
}

/** The error a close code stands for, when no error frame said more. */
function closeError(code: number, reason: string): ChatError {
  if (reason in errorStatus)
    return new ChatError(reason as ErrorCode, `the server closed the connection: ${reason}`);
  if (code === CloseCode.TokenExpired) return new ChatError('token_expired', 'the token expired');
  if (code >= 4500 && code <= 4999)
    return new ChatError('token_invalid', `the server refused the connection (${code})`);
  return new ChatError('network_error', `the connection closed (${code})`);
}

/**
 * Closes with 1000 and waits for the close handshake, a short while at most; a peer that
 * does not answer is dropped (Node's `ws` would otherwise keep a 30 s timer running).
 */
async function closeWithin(socket: Socket, ms = 2_000): Promise<void> {
  socket.close(CloseCode.Normal, 'client disconnect');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
  const timedOut = await Promise.race([socket.closed.then(() => false), late]);
  clearTimeout(timer);
  if (!timedOut) return;
  socket.close(CloseCode.Normal, 'client disconnect', true);
  await Promise.race([
    socket.closed,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, 500))),
  ]);
  clearTimeout(timer);
}
