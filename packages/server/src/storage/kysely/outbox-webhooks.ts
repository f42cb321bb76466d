import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DispatchOptions, WebhookRecord, WebhookSubject } from '../notification-store.js';
import type { Trx } from './channel-transaction.js';
import type { Database, WebhookDeliveriesTable } from './database.js';
import { toWebhook } from './webhook-queries.js';

/*
 * The outbox's webhook side: what the dispatcher (outbox-dispatch.ts, app-event-dispatch.ts)
 * turns events into for each endpoint that wants them.
 */

/** Rows per INSERT (SQLite binds at most 32,766 parameters). */
export const INSERT_CHUNK = 500;

export function readWebhooks(db: Kysely<Database> | Trx) {
  return db
    .selectFrom('parley_webhooks')
    .selectAll()
    .execute()
    .then((rows) => rows.map(toWebhook));
}

/**
 * A delivery for each endpoint that wants each event. App events have no channel: their
 * deliveries have cid '' (one queue per endpoint, in app seq order, as a channel's).
 */
export async function writeDeliveries(
  trx: Trx,
  events: readonly WebhookSubject[],
  o: DispatchOptions,
) {
  const webhooks = await readWebhooks(trx);
  if (webhooks.length > 0) await insertDeliveries(trx, deliveriesFor(webhooks, events, o));
}

export function deliveriesFor(
  webhooks: readonly WebhookRecord[],
  events: readonly WebhookSubject[],
  o: DispatchOptions,
): Insertable<WebhookDeliveriesTable>[] {
  const deliveries: Insertable<WebhookDeliveriesTable>[] = [];
  if (webhooks.length === 0) return deliveries;
  for (const event of events) {
    const eventId = o.newEventId();
    let body: string | null = null;
    for (const webhook of webhooks) {
      if (!o.wants(webhook, event.type)) continue;
      body ??= o.webhookBody(event, eventId);
      deliveries.push({
        id: randomUUID(),
        webhook_id: webhook.id,
        event_id: eventId,
        cid: event.cid ?? '',
        seq: event.seq,
        type: event.type,
        body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: o.now,
        locked_until: 0,
        expires_at: o.now + o.retryForMs,
        last_status: null,
        last_error: null,
        created_at: o.now,
      });
    }
  }
  return deliveries;
}

export async function insertDeliveries(
  trx: Trx,
  deliveries: readonly Insertable<WebhookDeliveriesTable>[],
) {
  for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('parley_webhook_deliveries')
      .values(deliveries.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}
