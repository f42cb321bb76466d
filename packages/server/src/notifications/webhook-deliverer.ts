import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../metrics.js';
import type {
  DeliveryOutcome,
  DeliveryRecord,
  NotificationStore,
  WebhookRecord,
} from '../storage/notification-store.js';
import { backoffMs } from './backoff.js';
import { signWebhook } from './webhook-signature.js';

/** How deliveries are attempted. */
export interface DelivererOptions {
  /** Signs requests of endpoints without a secret of their own. */
  secret: string;
  /** A request without an answer this long fails. */
  timeoutMs: number;
  /** First retry wait (doubling, with jitter) and the longest wait. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Deliveries taken at once. */
  concurrency: number;
}

/**
 * Delivers webhook requests: takes due deliveries (the first pending one of each endpoint
 * and channel), POSTs them signed, and deletes, reschedules or dead-letters each.
 */
export class WebhookDeliverer {
  private readonly inFlight = new AbortController();

  constructor(
    private readonly store: NotificationStore,
    private readonly options: DelivererOptions,
    private readonly metrics: Metrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  async step(): Promise<number> {
    // A lease well past the request timeout: a node that dies mid-request frees it later.
    const leaseMs = this.options.timeoutMs * 2 + 5_000;
    const batch = await this.store.claimDeliveries(Date.now(), this.options.concurrency, leaseMs);
    if (batch.length === 0) return 0;
    const webhooks = new Map((await this.store.listWebhooks()).map((w) => [w.id, w]));
    await Promise.all(batch.map((d) => this.deliver(d, webhooks.get(d.webhookId))));
    return batch.length;
  }

  /** Aborts requests in flight (shutdown): they count as failed attempts and are retried. */
  abort(): void {
    this.inFlight.abort();
  }

  private async deliver(delivery: DeliveryRecord, webhook: WebhookRecord | undefined) {
    const outcome = await this.attempt(delivery, webhook);
    const result = outcome.ok ? 'delivered' : outcome.retryAt === null ? 'failed' : 'retried';
    this.metrics.webhookDeliveries.inc({ result });
    if (result === 'failed') {
      this.logger.warn(
        { delivery: delivery.id, webhook: delivery.webhookId, event: delivery.eventId },
        `webhook delivery failed for good: ${outcome.ok ? '' : outcome.error}`,
      );
    }
    await this.store.finishDelivery(delivery.id, outcome);
  }

  private async attempt(
    delivery: DeliveryRecord,
    webhook: WebhookRecord | undefined,
  ): Promise<DeliveryOutcome> {
    if (webhook === undefined) {
      return {
        ok: false,
        status: null,
        error: 'the endpoint is no longer configured',
        retryAt: null,
      };
    }
    const signature = signWebhook(
      webhook.secret ?? this.options.secret,
      delivery.body,
      Math.floor(Date.now() / 1000),
    );
    let status: number | null = null;
    let error: string;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhook/1',
          'x-parley-event-id': delivery.eventId,
          'x-parley-delivery-attempt': String(delivery.attempts),
          'x-parley-signature': signature,
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.any([
          AbortSignal.timeout(this.options.timeoutMs),
          this.inFlight.signal,
        ]),
      });
      status = response.status;
      // The body is not read; cancel it so the connection can be reused.
      await response.body?.cancel();
      if (status >= 200 && status < 300) return { ok: true };
      error = `the endpoint answered ${status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const now = Date.now();
    const next =
      now + backoffMs(delivery.attempts, this.options.retryBaseMs, this.options.retryMaxMs);
    return { ok: false, status, error, retryAt: next < delivery.expiresAt ? next : null };
  }
}
