import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '@parley/protocol';
import { verifyWebhook } from '../../src/index.js';

/** A request the receiver got: its verified payload, or why verification failed. */
export interface ReceivedWebhook {
  payload: WebhookPayload | null;
  error: string | null;
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver answered (0: it never answered). */
  answered: number;
}

/**
 * A real HTTP endpoint as an app would run one: it verifies each request's signature with
 * the server SDK and records it. `mode` says how it answers: `ok` (204), `fail` (503),
 * `hang` (never answers, as a stuck upstream).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private readonly server = createServer((req, res) => this.handle(req, res));

  private constructor(private readonly secret: string) {}

  static async start(secret: string, port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(secret);
    await new Promise<void>((resolve) => receiver.server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    return `http://127.0.0.1:${address?.port ?? this.port}/hook`;
  }

  /** Payloads answered 2xx, in arrival order. */
  get accepted(): WebhookPayload[] {
    return this.received.filter((r) => r.answered === 204 && r.payload).map((r) => r.payload!);
  }

  /** Resolves once `check` holds, polling; fails after `timeoutMs` saying what arrived. */
  async waitFor(check: (r: this) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this)) {
      if (Date.now() > deadline) {
        throw new Error(
          `receiver: condition not met; got ${this.received.map((r) => `${r.answered}:${r.payload?.type}#${r.payload?.seq}`).join(' ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Stops listening: connections are refused, as from an endpoint that is down. */
  async goDown(): Promise<void> {
    this.port = (this.server.address() as AddressInfo).port;
    await this.close();
  }

  /** Listens again on the same port. */
  async comeBack(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  private port = 0;

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record: ReceivedWebhook = {
        payload: null,
        error: null,
        headers: req.headers,
        body,
        answered: 0,
      };
      try {
        record.payload = verifyWebhook(
          body,
          req.headers['x-parley-signature'] as string,
          this.secret,
        );
      } catch (err) {
        record.error = (err as Error).message;
      }
      this.received.push(record);
      if (this.mode === 'hang') return;
      record.answered = record.error !== null ? 400 : this.mode === 'ok' ? 204 : 503;
      res.writeHead(record.answered).end();
    });
  }
}
