import type { NetworkEvents } from './connection.js';
import type { WebSocketLike } from './socket.js';

// Test doubles for the unit tests (not part of the package: excluded from the build).

type Listener = (event: never) => void;

/** A WebSocket the test plays the server for. */
export class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  /** Plays the server's answers, if set. */
  static answer: ((socket: FakeSocket, frame: Record<string, unknown>) => void) | null = null;
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  static get last(): FakeSocket {
    return FakeSocket.all.at(-1)!;
  }
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
  send(data: string): void {
    const frame = JSON.parse(data) as Record<string, unknown>;
    this.sent.push(frame);
    FakeSocket.answer?.(this, frame);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 2;
    queueMicrotask(() => this.serverClose(code, ''));
  }
  /** The server's side. */
  emit(type: string, event: object = {}): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) {
      (listener as (event: object) => void)(event);
    }
  }
  frame(frame: object): void {
    this.emit('message', { data: JSON.stringify(frame) });
  }
  ok(heartbeatMs = 1_000): void {
    this.readyState = 1;
    this.frame({
      type: 'connection.ok',
      connection_id: 'c1',
      user: { id: 'ann' },
      unread: { total_unread_count: 0, unread_channels: 0, channels: [] },
      heartbeat_interval_ms: heartbeatMs,
      server_time: '',
    });
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.emit('close', { code, reason });
  }
}

/** `online` / `offline` events the test fires. */
export class FakeNetwork implements NetworkEvents {
  readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, listener: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.listeners.get(type)?.delete(listener);
  }
  fire(type: 'online' | 'offline') {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }
  get count() {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}
