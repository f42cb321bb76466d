import path from 'node:path';
import type { ServiceContext } from '../services/context.js';
import { EmailNotifier } from './email-notifier.js';
import { createFileMailTransport } from './mail/file-mail-transport.js';
import type { MailTransport } from './mail/mail-transport.js';
import { createSmtpMailTransport } from './mail/smtp-mail-transport.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { configWebhooks } from './webhook-endpoints.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { WorkerLoop } from './worker-loop.js';

/**
 * The outbox's consumers on this node: the dispatcher (committed events → deliveries and
 * email schedules), the webhook deliverer and the email notifier, each a loop over
 * queues in the database that every node of a deployment shares.
 */
export class Notifications {
  private readonly loops: WorkerLoop[];
  private readonly deliverer: WebhookDeliverer;
  private readonly transport: MailTransport;
  private baseUrl = 'http://127.0.0.1';

  constructor(private readonly ctx: ServiceContext) {
    const config = ctx.config.notifications;
    const store = ctx.storage.notifications;
    const onError = (what: string) => (err: unknown) => ctx.logger.error({ err }, `${what} failed`);
    this.transport =
      config.smtpUrl === undefined
        ? createFileMailTransport(path.join(ctx.config.dataDir, 'mail'), config.emailFrom)
        : createSmtpMailTransport(config.smtpUrl, config.emailFrom);
    const dispatcher = new OutboxDispatcher(store, {
      retryForMs: config.webhookRetryForMs,
      emailAfterMs: config.emailAfterMs,
      mentionEmailAfterMs: config.mentionEmailAfterMs,
    });
    this.deliverer = new WebhookDeliverer(
      store,
      {
        secret: config.webhookSecret,
        timeoutMs: config.webhookTimeoutMs,
        retryBaseMs: config.webhookRetryBaseMs,
        retryMaxMs: config.webhookRetryMaxMs,
        concurrency: 16,
      },
      ctx.metrics,
      ctx.logger,
    );
    const emails = new EmailNotifier(
      ctx.storage,
      ctx.presence,
      this.transport,
      { ...config, secret: ctx.config.secret },
      () => this.publicUrl,
      ctx.metrics,
      ctx.logger,
    );
    this.loops = [
      new WorkerLoop(() => dispatcher.step(), config.pollMs, onError('outbox dispatch')),
      new WorkerLoop(() => this.deliverer.step(), config.pollMs, onError('webhook delivery')),
      new WorkerLoop(() => emails.step(), config.pollMs, onError('notification email')),
    ];
    ctx.metrics.watchWebhookQueue(() => store.countDeliveries());
  }

  /** The address unsubscribe links point to. */
  get publicUrl(): string {
    return this.ctx.config.notifications.publicUrl ?? this.baseUrl;
  }

  /** Records the configured endpoints and starts the loops; `baseUrl` is where this node listens. */
  async start(baseUrl: string): Promise<void> {
    this.baseUrl = baseUrl;
    await this.ctx.storage.notifications.setConfigWebhooks(
      configWebhooks(this.ctx.config.notifications.webhooks, Date.now()),
    );
    for (const loop of this.loops) loop.start();
  }

  /** Looks for work now rather than at the next poll (after a change on this node). */
  kick(): void {
    for (const loop of this.loops) loop.kick();
  }

  async close(): Promise<void> {
    // Requests in flight are cut: they are retried by whichever node runs next.
    this.deliverer.abort();
    await Promise.all(this.loops.map((loop) => loop.stop()));
    this.transport.close();
  }
}
