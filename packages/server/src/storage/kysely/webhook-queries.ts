import type { Kysely, Selectable } from 'kysely';
import type { DeliveryOutcome, DeliveryRecord, WebhookRecord } from '../notification-store.js';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from './database.js';
import type { StorageAdapter } from './storage-adapter.js';

// Webhook endpoints and their deliveries.

export function toWebhook(row: Selectable<WebhooksTable>): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    secret: row.secret,
    source: row.source === 'config' ? 'config' : 'api',
    createdAt: Number(row.created_at),
  };
}

function webhookRow(webhook: WebhookRecord): Selectable<WebhooksTable> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: JSON.stringify(webhook.events),
    secret: webhook.secret,
    source: webhook.source,
    created_at: webhook.createdAt,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    cid: row.cid === '' ? null : row.cid,
    seq: row.seq,
    type: row.type,
    body: row.body,
    status: row.status === 'failed' ? 'failed' : 'pending',
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    expiresAt: Number(row.expires_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  };
}

export function setConfigWebhooks(
  db: Kysely<Database>,
  webhooks: readonly WebhookRecord[],
): Promise<void> {
  return db.transaction().execute(async (trx) => {
    const keep = webhooks.map((w) => w.id);
    // Deliveries of an endpoint no longer configured stay, to be listed and failed by the
    // deliverer; only the endpoint goes.
    let remove = trx.deleteFrom('parley_webhooks').where('source', '=', 'config');
    if (keep.length > 0) remove = remove.where('id', 'not in', keep);
    await remove.execute();
    for (const webhook of webhooks) {
      await trx
        .insertInto('parley_webhooks')
        .values(webhookRow(webhook))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  });
}

export async function createWebhook(db: Kysely<Database>, webhook: WebhookRecord): Promise<void> {
  await db.insertInto('parley_webhooks').values(webhookRow(webhook)).execute();
}

export async function listWebhooks(db: Kysely<Database>): Promise<WebhookRecord[]> {
  const rows = await db.selectFrom('parley_webhooks').selectAll().orderBy('created_at').execute();
  return rows.map(toWebhook);
}

export async function getWebhook(db: Kysely<Database>, id: string): Promise<WebhookRecord | null> {
  const row = await db
    .selectFrom('parley_webhooks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toWebhook(row);
}

export function deleteWebhook(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('parley_webhooks').where('id', '=', id).executeTakeFirst();
    await trx.deleteFrom('parley_webhook_deliveries').where('webhook_id', '=', id).execute();
    return Number(result.numDeletedRows) > 0;
  });
}

/**
 * Takes due deliveries, each the first pending one of its endpoint and channel (so one
 * channel's events reach an endpoint in seq order, one at a time), and leases them. On
 * PostgreSQL rows another node is taking are skipped; its lease then hides them.
 */
export function claimDeliveries(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  now: number,
  limit: number,
  leaseMs: number,
): Promise<DeliveryRecord[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('parley_webhook_deliveries as d')
      .selectAll()
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('d.locked_until', '<=', now)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('parley_webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.webhook_id', '=', 'd.webhook_id')
              .whereRef('p.cid', '=', 'd.cid')
              .whereRef('p.seq', '<', 'd.seq')
              .where('p.status', '=', 'pending'),
          ),
        ),
      )
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit)
      .$if(adapter.rowLocks, (q) => q.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('parley_webhook_deliveries')
      .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((row) => ({ ...toDelivery(row), attempts: row.attempts + 1 }));
  });
}

export async function finishDelivery(
  db: Kysely<Database>,
  id: string,
  outcome: DeliveryOutcome,
): Promise<void> {
  if (outcome.ok) {
    await db.deleteFrom('parley_webhook_deliveries').where('id', '=', id).execute();
    return;
  }
  await db
    .updateTable('parley_webhook_deliveries')
    .set({
      status: outcome.retryAt === null ? 'failed' : 'pending',
      next_attempt_at: outcome.retryAt ?? 0,
      locked_until: 0,
      last_status: outcome.status,
      last_error: outcome.error.slice(0, 500),
    })
    .where('id', '=', id)
    .execute();
}

export async function listDeliveries(
  db: Kysely<Database>,
  query: {
    status: 'pending' | 'failed';
    webhookId?: string | undefined;
    after?: { createdAt: number; id: string } | undefined;
    limit: number;
  },
): Promise<DeliveryRecord[]> {
  const after = query.after;
  const rows = await db
    .selectFrom('parley_webhook_deliveries')
    .selectAll()
    .where('status', '=', query.status)
    .$if(query.webhookId !== undefined, (q) => q.where('webhook_id', '=', query.webhookId!))
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '>', after!.createdAt),
          eb.and([eb('created_at', '=', after!.createdAt), eb('id', '>', after!.id)]),
        ]),
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .execute();
  return rows.map(toDelivery);
}

export async function redeliver(
  db: Kysely<Database>,
  id: string,
  now: number,
  expiresAt: number,
): Promise<DeliveryRecord | null> {
  const row = await db
    .updateTable('parley_webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, locked_until: 0, expires_at: expiresAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : toDelivery(row);
}

export async function countDeliveries(
  db: Kysely<Database>,
): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('parley_webhook_deliveries')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { pending: count('pending'), failed: count('failed') };
}
