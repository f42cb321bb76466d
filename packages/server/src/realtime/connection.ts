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

  constructor(
    readonly id: string,
    readonly user: UserRecord,
    private readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
  ) {}

  get userId(): string {
    return this.user.id;
  }

  /** Sends a frame; false when it could not be sent. */
  send(frame: ServerFrame): boolean {
    return this.sendRaw(JSON.stringify(frame));
  }

  /**
   * Sends an already serialised frame (fan-out serialises an event once for all watchers).
   * A client that lets too much pile up is closed as a slow consumer; it will reconnect
   * and recover what it missed from the event log.
   */
  sendRaw(data: string): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCode.SlowConsumer, 'slow consumer');
      return false;
    }
    this.socket.send(data);
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

  /** Marks the connection closed and stops its timers. */
  dispose(): void {
    this.closed = true;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  ping(): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.close(code, reason);
  }

  /** Drops the connection without a closing handshake (for peers that stopped answering). */
  terminate(): void {
    this.dispose();
    this.socket.terminate();
  }
}
