import type { WebSocket } from 'ws';
import { CloseCode, type ServerFrame } from '@parley/protocol';
import type { UserRecord } from '../storage/storage.js';

/** One client's WebSocket: its user, the channels it watches, and a liveness clock. */
export class Connection {
  readonly watching = new Set<string>();
  lastSeen = Date.now();
  closed = false;
  /** Frames are handled one after another, so a client's sends are stored in the order sent. */
  queue: Promise<void> = Promise.resolve();

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

  ping(): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  /** Drops the connection without a closing handshake (for peers that stopped answering). */
  terminate(): void {
    this.closed = true;
    this.socket.terminate();
  }
}
