import { ChatError } from '@parley/protocol/codes';

/** A request frame without its `req_id`. */
export type RequestFrame = { type: string } & Record<string, unknown>;

interface Pending {
  frame: RequestFrame;
  resolve(result: unknown): void;
  reject(error: ChatError): void;
  timer: ReturnType<typeof setTimeout>;
  /** The req_id once sent; undefined while it waits for a connection. */
  reqId?: string;
}

/**
 * Requests by `req_id`. A request waits until the connection can send it, then for its
 * answer; it fails with a retryable `network_error` when neither comes within the timeout,
 * or when the socket it was sent on is lost (its answer cannot come on another one).
 */
export class RequestTracker {
  private readonly pending = new Set<Pending>();
  private readonly sent = new Map<string, Pending>();
  private nextId = 1;

  constructor(
    private readonly timeoutMs: number,
    /** Sends a frame; false when not connected. */
    private readonly send: (frame: RequestFrame) => boolean,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  request(frame: RequestFrame, canSend: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const entry: Pending = {
        frame,
        resolve,
        reject,
        timer: setTimeout(
          () =>
            this.settle(entry, () =>
              reject(
                new ChatError(
                  'network_error',
                  `no answer to ${frame.type} within ${this.timeoutMs} ms`,
                ),
              ),
            ),
          this.timeoutMs,
        ),
      };
      this.pending.add(entry);
      if (canSend) this.transmit(entry);
    });
  }

  /** Sends every request still waiting for a connection. */
  flush(): void {
    for (const entry of this.pending) if (entry.reqId === undefined) this.transmit(entry);
  }

  /** Settles the request answered by a `response` or `error` frame. */
  answer(reqId: string, result: unknown, error?: ChatError): void {
    const entry = this.sent.get(reqId);
    if (entry === undefined) return; // timed out meanwhile: a late answer is dropped
    this.settle(entry, () => (error === undefined ? entry.resolve(result) : entry.reject(error)));
  }

  /** The socket was lost: requests sent on it fail; waiting ones keep waiting. */
  failSent(error: ChatError): void {
    for (const entry of this.sent.values()) this.settle(entry, () => entry.reject(error));
  }

  /** Every request fails (the client stopped). */
  failAll(error: ChatError): void {
    for (const entry of this.pending) this.settle(entry, () => entry.reject(error));
  }

  private transmit(entry: Pending): void {
    const reqId = String(this.nextId++);
    if (!this.send({ ...entry.frame, req_id: reqId })) return;
    entry.reqId = reqId;
    this.sent.set(reqId, entry);
  }

  private settle(entry: Pending, done: () => void): void {
    clearTimeout(entry.timer);
    this.pending.delete(entry);
    if (entry.reqId !== undefined) this.sent.delete(entry.reqId);
    done();
  }
}
