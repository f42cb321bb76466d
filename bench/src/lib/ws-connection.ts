import WebSocket from 'ws';
import { openAll } from './open-all.js';

/** One user's raw WebSocket speaking Parley's protocol, with request/response matching. */
export interface ParleyConnection {
  userId: string;
  socket: WebSocket;
  /** Sends a frame with a fresh `req_id`; resolves with the `result` or rejects on `error`. */
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  /** Called with every event frame (anything that is not a response or error to a request). */
  onEvent: (frame: Record<string, unknown>) => void;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Reject when `connection.ok` has not come by then. Default 15,000 ms. */
  timeoutMs?: number;
  /** Local address to connect from, e.g. `127.0.0.2`: each has its own ephemeral ports. */
  localAddress?: string;
}

/** Opens `wsUrl?token=…` and resolves after `connection.ok`. */
export function openParleyConnection(
  wsUrl: string,
  userId: string,
  token: string,
  options: OpenOptions = {},
): Promise<ParleyConnection> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const socket = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, {
    localAddress: options.localAddress,
  });
  let nextReq = 0;
  const waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const connection: ParleyConnection = {
    userId,
    socket,
    onEvent: () => undefined,
    request(frame, requestTimeoutMs = 30_000) {
      const reqId = String(++nextReq);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(reqId);
          reject(new Error(`no answer to ${String(frame['type'])} in ${requestTimeoutMs} ms`));
        }, requestTimeoutMs);
        waiting.set(reqId, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        socket.send(JSON.stringify({ ...frame, req_id: reqId }));
      });
    },
    close: () => closeSocket(socket),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`${userId}: no connection.ok in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      const reqId = frame['req_id'];
      if (
        typeof reqId === 'string' &&
        (frame['type'] === 'response' || frame['type'] === 'error')
      ) {
        const pending = waiting.get(reqId);
        waiting.delete(reqId);
        if (frame['type'] === 'response') pending?.resolve(frame['result']);
        else pending?.reject(new Error(JSON.stringify(frame['error'])));
        return;
      }
      if (frame['type'] === 'connection.ok') {
        clearTimeout(timer);
        resolve(connection);
        return;
      }
      connection.onEvent(frame);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      for (const pending of waiting.values()) pending.reject(new Error('connection closed'));
      waiting.clear();
      reject(new Error(`${userId}: closed before connection.ok`));
    });
  });
}

/** Closes the socket; terminates it when the close handshake takes more than 2 s. */
export function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve();
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 2_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close();
  });
}

/** Opens a Parley connection per user, `concurrency` at a time. */
export function openMany<T extends { userId: string; token: string }>(
  wsUrl: string,
  users: readonly T[],
  concurrency = 50,
): Promise<ParleyConnection[]> {
  return openAll(users, (u) => openParleyConnection(wsUrl, u.userId, u.token), concurrency);
}
