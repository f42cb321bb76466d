/**
 * The part of the WebSocket API the client uses. The browser's `WebSocket` and Node's
 * `ws` both fit, so either can be passed as the `WebSocket` option.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: 'error', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  removeEventListener(type: 'error', listener: () => void): void;
}

/** A WebSocket class: `new WebSocket(url)`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** One socket as the connection sees it. */
export interface Socket {
  /** Sends a text frame; false when the socket is not open. */
  send(data: string): boolean;
  /**
   * Starts closing and stops reporting: no `onMessage` or `onClose` afterwards. With
   * `drop`, a Node `ws` socket is terminated instead of waiting for a dead peer's answer.
   */
  close(code: number, reason: string, drop?: boolean): void;
  /** Resolves once the socket is closed and its listeners are removed. */
  readonly closed: Promise<void>;
}

const OPEN = 1;

/**
 * Opens a socket. `onClose` reports a close the client did not ask for, once. Listeners
 * stay until the socket is really closed: Node's `ws` throws an 'error' that has no
 * listener, and one can still come while a socket we gave up on is closing.
 */
export function openSocket(
  WebSocket: WebSocketConstructor,
  url: string,
  onMessage: (data: string) => void,
  onClose: (code: number, reason: string) => void,
): Socket {
  const ws = new WebSocket(url);
  let reporting = true;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const message = (event: { data: unknown }) => {
    if (reporting && typeof event.data === 'string') onMessage(event.data);
  };
  const error = () => {};
  const close = (event: { code: number; reason: string }) => {
    ws.removeEventListener('message', message);
    ws.removeEventListener('close', close);
    ws.removeEventListener('error', error);
    resolveClosed();
    if (reporting) {
      reporting = false;
      onClose(event.code, event.reason);
    }
  };
  ws.addEventListener('message', message);
  ws.addEventListener('close', close);
  ws.addEventListener('error', error);
  return {
    closed,
    send(data) {
      if (ws.readyState !== OPEN) return false;
      ws.send(data);
      return true;
    },
    close(code, reason, drop = false) {
      reporting = false;
      const terminate = (ws as { terminate?: () => void }).terminate;
      try {
        if (drop && typeof terminate === 'function') terminate.call(ws);
        else ws.close(code, reason);
      } catch {
        // Closing an already closed socket: nothing left to do.
      }
    },
  };
}
