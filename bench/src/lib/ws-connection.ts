import WebSocket from 'ws';

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

/** Opens `wsUrl?token=…` and resolves after `connection.ok`; rejects after `timeoutMs`. */
export function openParleyConnection(
  wsUrl: string,
  userId: string,
  token: string,
  timeoutMs = 15_000,
): Promise<ParleyConnection> {
  const socket = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
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
    close() {
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
    },
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

/** Opens many connections, `concurrency` at a time, so the server is not hit by a stampede. */
export async function openMany<T extends { userId: string; token: string }>(
  wsUrl: string,
  users: readonly T[],
  concurrency = 50,
): Promise<ParleyConnection[]> {
  const opened: ParleyConnection[] = [];
  try {
    for (let i = 0; i < users.length; i += concurrency) {
      const batch = users.slice(i, i + concurrency);
      const settled = await Promise.allSettled(
        batch.map((u) => openParleyConnection(wsUrl, u.userId, u.token)),
      );
      // Keep the ones that opened so they are closed too when another failed.
      for (const s of settled) if (s.status === 'fulfilled') opened.push(s.value);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    return opened;
  } catch (error) {
    await Promise.all(opened.map((c) => c.close()));
    throw error;
  }
}
