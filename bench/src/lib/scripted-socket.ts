import type { WebSocketLike } from '@parley/client';

type Listener = (event: never) => void;
type Dispatch = (event: object) => void;

/**
 * A WebSocket whose server is played in-process, for measuring the client SDK alone: it
 * says `connection.ok` at once, answers requests with `answer(frame)` and hands the client
 * frames through `deliver` exactly as a socket's `message` event would, so parsing, routing
 * and state updates all run as they do against a real server.
 */
export class ScriptedSocket implements WebSocketLike {
  /** The socket the client opened last. */
  static last: ScriptedSocket | undefined;
  /** The result of a request frame; undefined answers nothing. */
  static answer: (frame: Record<string, unknown>) => unknown = () => undefined;
  readyState = 0;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {
    ScriptedSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.deliver(
        JSON.stringify({
          type: 'connection.ok',
          connection_id: 'bench',
          user: benchUser('reader'),
          unread: { total_unread_count: 0, unread_channels: 0, channels: [] },
          heartbeat_interval_ms: 3_600_000,
          server_time: new Date().toISOString(),
        }),
      );
    });
  }

  /** A text frame from the server. */
  deliver(data: string): void {
    for (const listener of this.listeners.get('message') ?? []) (listener as Dispatch)({ data });
  }

  send(data: string): void {
    const frame = JSON.parse(data) as Record<string, unknown>;
    const result = ScriptedSocket.answer(frame);
    if (result === undefined) return;
    const response = JSON.stringify({ type: 'response', req_id: frame.req_id, result });
    queueMicrotask(() => this.deliver(response));
  }

  close(code = 1000, reason = ''): void {
    this.readyState = 3;
    queueMicrotask(() => {
      for (const listener of this.listeners.get('close') ?? []) {
        (listener as Dispatch)({ code, reason });
      }
    });
  }

  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
}

const AT = '2026-01-01T00:00:00.000Z';

/** A user as the server describes one. */
export function benchUser(id: string) {
  return {
    id,
    name: id,
    image: null,
    role: 'user',
    data: {},
    created_at: AT,
    updated_at: AT,
    last_active: AT,
    online: true,
  };
}

/** Message `seq` of `cid` by `author`, shaped and sized like a chat line. */
export function benchMessage(cid: string, seq: number, author: string) {
  return {
    id: `m-${seq}`,
    cid,
    seq,
    type: 'regular',
    user_id: author,
    user: benchUser(author),
    text: `message ${seq}: a line of chat about the keynote, the venue and the travel plans`,
    data: {},
    created_at: AT,
    updated_at: AT,
  };
}
