import WebSocket from 'ws';
import { ChatError, type ErrorBody } from '@parley/protocol';

/** A frame as received; typed loosely so tests can look at any field. */
export type Frame = { type: string; [key: string]: any };

/** A bare WebSocket client for tests: records every frame and answers requests by req_id. */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { predicate: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private nextReqId = 1;

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.predicate(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  /** Opens a socket (without waiting for `connection.ok`). */
  static open(url: string, headers?: Record<string, string>): Promise<TestClient> {
    const socket = new WebSocket(url, headers === undefined ? {} : { headers });
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** The first frame, already received or still to come, that matches. */
  waitFor(predicate: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const seen = this.frames.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.describe()}`));
      }, timeoutMs);
      const done = (f: Frame) => {
        clearTimeout(timer);
        resolve(f);
      };
      this.waiters.push({ predicate, resolve: done });
    });
  }

  /** Waits until `count` frames of the type have arrived (optionally matching). */
  async waitForCount(
    type: string,
    count: number,
    match: (f: Frame) => boolean = () => true,
    timeoutMs = 10_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    while (this.ofType(type).filter(match).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} ${type}, got ${this.ofType(type).filter(match).length}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.ofType(type).filter(match);
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Sends a frame with a fresh req_id; resolves with the result or rejects with a ChatError. */
  async request<T = any>(frame: { type: string; [key: string]: unknown }): Promise<T> {
    const reqId = `r${this.nextReqId++}`;
    this.send({ ...frame, req_id: reqId });
    const answer = await this.waitFor(
      (f) => (f.type === 'response' || f.type === 'error') && f.req_id === reqId,
    );
    if (answer.type === 'error') throw ChatError.fromBody({ error: answer.error } as ErrorBody);
    return answer.result as T;
  }

  /**
   * A round trip to the server: once it resolves, every frame the server wrote to this
   * socket before answering has arrived (one socket is ordered). Use it to assert that
   * something was *not* delivered without waiting for a timeout.
   */
  async ping(): Promise<void> {
    const reqId = `p${this.nextReqId++}`;
    this.send({ type: 'ping', req_id: reqId });
    await this.waitFor((f) => f.type === 'pong' && f.req_id === reqId);
  }

  watch(cid: string, extra: Record<string, unknown> = {}): Promise<any> {
    return this.request({ type: 'channel.watch', cid, ...extra });
  }

  sendMessage(cid: string, text: string, id?: string): Promise<any> {
    return this.request({
      type: 'message.send',
      cid,
      message: id === undefined ? { text } : { id, text },
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    if (
      this.socket.readyState === WebSocket.OPEN ||
      this.socket.readyState === WebSocket.CONNECTING
    ) {
      this.socket.close(1000);
    }
    return this.closed;
  }

  private describe(): string {
    return JSON.stringify(this.frames.slice(-5).map((f) => f.type));
  }
}
