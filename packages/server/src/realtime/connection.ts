import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, type ServerFrame } from '@parley/protocol';
import type { UserRecord } from '../storage/storage.js';

/** One client's WebSocket: its user, the channels it watches, and a liveness clock. */
export class Connection {
  readonly watching = new Set<string>();
  lastSeen = Date.now();
  closed = false;
  /**
   * Frames start one after another, in the order sent: `queue` settles when the next may
   * start, `settled` once every frame started so far is done. A `message.send` lets the
   * next frame start as soon as it is queued for storage, so a client's pipelined sends
   * share transactions and are still stored in the order sent; any other frame waits for
   * the sends before it to be stored.
   */
  queue: Promise<void> = Promise.resolve();
  settled: Promise<void> = Promise.resolve();
  private expiryTimer: NodeJS.Timeout | null = null;
  /**
   * Called once when the server closes the connection, at once rather than when the
   * closing handshake ends: a peer that does not answer (a slow consumer, a dead link) would
   * otherwise stay counted, online and registered for ws's 30 s close timeout.
   */
  onClosed: (() => void) | null = null;
  /** Whether `stream` holds this tick's writes (see `writable`). */
  private corked = false;

  constructor(
    readonly id: string,
    readonly user: UserRecord,
    private readonly socket: WebSocket,
    /** The TCP socket under `socket`. */
    private readonly stream: Writable,
    private readonly maxBufferedBytes: number,
  ) {}

  get userId(): string {
    return this.user.id;
  }

  /** Sends a frame; false when it could not be sent. */
  send(frame: ServerFrame): boolean {
    return this.sendRaw(JSON.stringify(frame));
  }

  /** Sends an already serialised event or frame, as a text message. */
  sendRaw(data: string | Buffer): boolean {
    if (!this.writable()) return false;
    this.socket.send(data, TEXT);
    return true;
  }

  /**
   * Writes a complete WebSocket frame (from `textFrame`): fan-out frames an event once
   * and writes the same bytes to every watcher. ws writes its own frames (pings, close)
   * straight to the same socket, since no compression is negotiated, so order holds.
   */
  sendFrame(frame: Buffer): boolean {
    if (!this.writable()) return false;
    this.stream.write(frame);
    return true;
  }

  /**
   * Whether a frame may be sent now. A client that lets too much pile up is closed as a
   * slow consumer; it will reconnect and recover what it missed from the event log.
   *
   * The frames a connection gets in one tick (the events of one stored batch, a send's
   * answer and its `message.new`) leave in one write: the TCP socket is corked until the
   * tick ends. A write per frame was the largest cost of fan-out. So what is buffered is
   * judged at a tick's first frame: later ones would count this tick's held frames, which
   * a healthy client takes as soon as they go.
   */
  private writable(): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.corked) return true;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCode.SlowConsumer, 'slow consumer');
      return false;
    }
    this.corked = true;
    this.stream.cork();
    if (corked.push(this) === 1) process.nextTick(uncorkAll);
    return true;
  }

  /** Calls `onExpired` at `at` (epoch ms), unless the connection is gone by then. */
  expireAt(at: number, onExpired: () => void): void {
    // setTimeout takes at most 2^31-1 ms (about 24 days); longer waits are re-armed.
    const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => {
      if (this.closed) return;
      if (Date.now() < at) this.expireAt(at, onExpired);
      else onExpired();
    }, delay);
    this.expiryTimer.unref();
  }

  /** Lets go of the frames held in this tick (at the tick's end). */
  uncork(): void {
    this.corked = false;
    // Ending a socket uncorks it already; uncorking again is harmless.
    this.stream.uncork();
  }

  /** Marks the connection closed and stops its timers. */
  dispose(): void {
    this.closed = true;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  ping(): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }

  /**
   * Sends a close frame and forgets the connection now. A peer that has not completed the
   * closing handshake within `CLOSE_GRACE_MS` (its buffers are full, or it is gone) is cut
   * off, and sees 1006 instead of the code.
   */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
    this.onClosed?.();
  }

  /**
   * Resolves once the socket is closed; one still open after `ms` (a peer that does not
   * answer the closing handshake) is dropped.
   */
  async ended(ms: number): Promise<void> {
    if (this.socket.readyState === this.socket.CLOSED) return;
    const closed = () => this.socket.readyState === this.socket.CLOSED;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise((resolve) => this.socket.once('close', resolve)),
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
    if (!closed()) this.socket.terminate();
  }

  /** Drops the connection without a closing handshake (for peers that stopped answering). */
  terminate(): void {
    this.dispose();
    this.socket.terminate();
  }
}

/** How long a peer has to complete a closing handshake the server started. */
export const CLOSE_GRACE_MS = 1_000;

/** Text frames, whether given as a string or as UTF-8 bytes; no compression is negotiated. */
const TEXT = { binary: false, compress: false, fin: true } as const;

/** Connections corked in this tick. */
let corked: Connection[] = [];

function uncorkAll(): void {
  const connections = corked;
  // A frame sent while these uncork (from a 'drain' handler, say) corks for the next tick.
  corked = [];
  for (const connection of connections) connection.uncork();
}
