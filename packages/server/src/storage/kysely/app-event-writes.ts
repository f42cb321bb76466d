import type { Kysely } from 'kysely';
import type { AppEventDraft, AppEventRecord, AuditRecord } from '../moderation-records.js';
import type { UserRecord } from '../storage.js';
import type { Trx } from './channel-transaction.js';
import type { Database } from './database.js';
import { insertAudit } from './moderation-writes.js';
import { parseObject, toUser } from './row-mappers.js';

// App events: the app's own numbered outbox, written in the transaction of their action.

/**
 * Numbers an app event and stores it. The update of the sequence row holds that row's
 * lock until the transaction commits, so app events commit in seq order and the
 * dispatcher's cursor never passes a seq still to commit (on PostgreSQL; SQLite has one
 * writer anyway).
 */
export async function appendAppEvent(trx: Trx, draft: AppEventDraft): Promise<AppEventRecord> {
  const { last_seq: seq } = await trx
    .updateTable('parley_app_sequence')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const payload = {
    type: draft.type,
    seq,
    created_at: new Date(draft.createdAt).toISOString(),
    ...draft.payload,
  };
  await trx
    .insertInto('parley_app_events')
    .values({
      seq,
      type: draft.type,
      created_at: draft.createdAt,
      payload: JSON.stringify(payload),
    })
    .execute();
  return { seq, type: draft.type, createdAt: draft.createdAt, payload };
}

export async function getAppEvents(
  db: Kysely<Database> | Trx,
  sinceSeq: number,
  limit: number,
): Promise<AppEventRecord[]> {
  const rows = await db
    .selectFrom('parley_app_events')
    .selectAll()
    .where('seq', '>', sinceSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: row.seq,
    type: row.type,
    createdAt: Number(row.created_at),
    payload: parseObject(row.payload),
  }));
}

export function setUserRole(
  db: Kysely<Database>,
  userId: string,
  role: 'user' | 'admin',
  now: number,
  audit: AuditRecord,
  buildEvent: (previous: 'user' | 'admin') => AppEventDraft,
): Promise<{ user: UserRecord; changed: boolean } | null> {
  return db.transaction().execute(async (trx) => {
    // The update's own condition decides (a concurrent change of the same user waits for
    // the row and then finds nothing to change); with two roles, the one before is the other.
    const { numUpdatedRows } = await trx
      .updateTable('parley_users')
      .set({ role, updated_at: now })
      .where('id', '=', userId)
      .where('role', '<>', role)
      .executeTakeFirst();
    const changed = Number(numUpdatedRows) > 0;
    if (changed) {
      await insertAudit(trx, audit);
      await appendAppEvent(trx, buildEvent(role === 'admin' ? 'user' : 'admin'));
    }
    const row = await trx
      .selectFrom('parley_users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirst();
    return row === undefined ? null : { user: toUser(row), changed };
  });
}
