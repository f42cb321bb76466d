import type { Kysely, Selectable } from 'kysely';
import type {
  AppEventDraft,
  AuditRecord,
  FlagRecord,
  FlagResolution,
  NewestCursor,
} from '../moderation-records.js';
import type { Database, FlagsTable } from './database.js';
import { newestFirstPage } from './newest-first.js';
import { appendAppEvent } from './app-event-writes.js';
import { insertAudit } from './moderation-writes.js';

// The moderation queue: flags, stored with their audit entry, and their resolution.

export function addFlag(
  db: Kysely<Database>,
  flag: FlagRecord,
  audit: AuditRecord,
  appEvent: AppEventDraft,
) {
  return db.transaction().execute(async (trx) => {
    const row: FlagsTable = {
      id: flag.id,
      kind: flag.kind,
      cid: flag.cid,
      message_id: flag.messageId,
      target_user_id: flag.targetUserId,
      flagged_by: flag.flaggedBy,
      reason: flag.reason,
      created_at: flag.createdAt,
      resolution: flag.resolution?.kind ?? null,
      resolved_by: flag.resolution?.byUserId ?? null,
      resolved_at: flag.resolution?.at ?? null,
    };
    await trx.insertInto('parley_flags').values(row).execute();
    await insertAudit(trx, audit);
    await appendAppEvent(trx, appEvent);
  });
}

export async function getFlag(db: Kysely<Database>, id: string): Promise<FlagRecord | null> {
  const row = await db
    .selectFrom('parley_flags')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toFlag(row);
}

export function resolveFlag(
  db: Kysely<Database>,
  id: string,
  resolution: FlagResolution,
  audit: AuditRecord,
  buildEvent: (flag: FlagRecord) => AppEventDraft,
): Promise<{ flag: FlagRecord; changed: boolean } | null> {
  return db.transaction().execute(async (trx) => {
    const { numUpdatedRows } = await trx
      .updateTable('parley_flags')
      .set({
        resolution: resolution.kind,
        resolved_by: resolution.byUserId,
        resolved_at: resolution.at,
      })
      .where('id', '=', id)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    const changed = Number(numUpdatedRows) > 0;
    const row = await trx
      .selectFrom('parley_flags')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return null;
    const flag = toFlag(row);
    if (changed) {
      await insertAudit(trx, audit);
      await appendAppEvent(trx, buildEvent(flag));
    }
    return { flag, changed };
  });
}

export async function queryFlags(
  db: Kysely<Database>,
  query: {
    cid?: string | undefined;
    status: 'open' | 'resolved' | 'all';
    before?: NewestCursor | undefined;
    limit: number;
  },
): Promise<FlagRecord[]> {
  let q = db.selectFrom('parley_flags').selectAll();
  if (query.cid !== undefined) q = q.where('cid', '=', query.cid);
  if (query.status === 'open') q = q.where('resolved_at', 'is', null);
  if (query.status === 'resolved') q = q.where('resolved_at', 'is not', null);
  const rows = await newestFirstPage(q, query.before, query.limit).execute();
  return rows.map(toFlag);
}

function toFlag(row: Selectable<FlagsTable>): FlagRecord {
  return {
    id: row.id,
    kind: row.kind as FlagRecord['kind'],
    cid: row.cid,
    messageId: row.message_id,
    targetUserId: row.target_user_id,
    flaggedBy: row.flagged_by,
    reason: row.reason,
    createdAt: Number(row.created_at),
    resolution:
      row.resolved_at === null
        ? null
        : {
            kind: row.resolution === 'actioned' ? 'actioned' : 'dismissed',
            byUserId: row.resolved_by,
            at: Number(row.resolved_at),
          },
  };
}
