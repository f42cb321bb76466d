import type { Kysely, Selectable } from 'kysely';
import type {
  AppEventDraft,
  AuditQuery,
  AuditRecord,
  ChannelTypeRecord,
  ModerationChange,
  RestrictionRecord,
} from '../moderation-records.js';
import type { EventRecord } from '../storage.js';
import { appendAppEvent } from './app-event-writes.js';
import { appendEvents, bumpChannel, type Trx } from './channel-transaction.js';
import type { AuditLogTable, Database, RestrictionsTable } from './database.js';
import { newestFirstPage } from './newest-first.js';
import { parseObject } from './row-mappers.js';

// Channel types, bans and mutes, blocks, channel mutes and the audit log (flags: flag-writes.ts).

export async function getChannelType(
  db: Kysely<Database>,
  name: string,
): Promise<ChannelTypeRecord | null> {
  const row = await db
    .selectFrom('parley_channel_types')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? null : toChannelType(row);
}

export async function listChannelTypes(db: Kysely<Database>): Promise<ChannelTypeRecord[]> {
  const rows = await db.selectFrom('parley_channel_types').selectAll().orderBy('name').execute();
  return rows.map(toChannelType);
}

export function saveChannelType(
  db: Kysely<Database>,
  record: ChannelTypeRecord,
  mode: 'create' | 'update',
  audit: AuditRecord,
  appEvent: AppEventDraft,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = {
      name: record.name,
      settings: JSON.stringify(record.settings),
      created_at: record.createdAt,
      updated_at: record.updatedAt,
    };
    const written = await trx
      .insertInto('parley_channel_types')
      .values(row)
      .onConflict((oc) =>
        mode === 'create'
          ? oc.column('name').doNothing()
          : oc.column('name').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }),
      )
      .returning('name')
      .executeTakeFirst();
    if (written === undefined) return false;
    await insertAudit(trx, audit);
    await appendAppEvent(trx, appEvent);
    return true;
  });
}

export async function getRestrictions(
  db: Kysely<Database>,
  userId: string,
): Promise<RestrictionRecord[]> {
  const rows = await db
    .selectFrom('parley_restrictions')
    .selectAll()
    .where('user_id', '=', userId)
    .execute();
  return rows.map(toRestriction);
}

export function moderate(
  db: Kysely<Database>,
  change: ModerationChange,
  audit: AuditRecord,
  buildEvent: (seq: number, at: number) => Record<string, unknown> | null,
  appEvent: AppEventDraft | null,
): Promise<{ changed: boolean; event: EventRecord | null }> {
  return db.transaction().execute(async (trx) => {
    const cid = change.op === 'restrict' ? change.restriction.cid : change.cid;
    // A channel's change takes its row lock first, as every channel change does.
    if (cid !== null) await bumpChannel(trx, cid, { events: 0 });
    const changed = await apply(trx, change);
    if (!changed) return { changed: false, event: null };
    await insertAudit(trx, audit);
    if (cid === null) {
      if (appEvent !== null) await appendAppEvent(trx, appEvent);
      return { changed: true, event: null };
    }
    const row = await bumpChannel(trx, cid, { events: 1, updatedAt: audit.createdAt });
    const payload = buildEvent(row.last_seq, audit.createdAt);
    if (payload === null) throw new Error('a channel change needs its event');
    const type = payload.type as EventRecord['type'];
    const event: EventRecord = {
      cid,
      seq: row.last_seq,
      type,
      createdAt: audit.createdAt,
      payload,
      messageId: null,
    };
    await appendEvents(trx, [event]);
    return { changed: true, event };
  });
}

/** Writes the change; false when it changes nothing. */
async function apply(trx: Trx, change: ModerationChange): Promise<boolean> {
  switch (change.op) {
    case 'restrict': {
      const r = change.restriction;
      const row: RestrictionsTable = {
        kind: r.kind,
        user_id: r.userId,
        scope: r.cid ?? '',
        by_user_id: r.byUserId,
        reason: r.reason,
        created_at: r.createdAt,
        expires_at: r.expiresAt,
      };
      // Banning again replaces the reason and expiry.
      await trx
        .insertInto('parley_restrictions')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['user_id', 'scope', 'kind']).doUpdateSet({
            by_user_id: row.by_user_id,
            reason: row.reason,
            created_at: row.created_at,
            expires_at: row.expires_at,
          }),
        )
        .execute();
      return true;
    }
    case 'lift': {
      const deleted = await trx
        .deleteFrom('parley_restrictions')
        .where('user_id', '=', change.userId)
        .where('scope', '=', change.cid ?? '')
        .where('kind', '=', change.kind)
        .returning('user_id')
        .execute();
      return deleted.length > 0;
    }
    case 'freeze': {
      const updated = await trx
        .updateTable('parley_channels')
        .set({ frozen: change.frozen ? 1 : 0 })
        .where('cid', '=', change.cid)
        .where('frozen', '=', change.frozen ? 0 : 1)
        .returning('cid')
        .execute();
      return updated.length > 0;
    }
  }
}

export function setBlock(
  db: Kysely<Database>,
  userId: string,
  blockedId: string,
  blocked: boolean,
  audit: AuditRecord,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = blocked
      ? await trx
          .insertInto('parley_blocks')
          .values({ user_id: userId, blocked_user_id: blockedId, created_at: audit.createdAt })
          .onConflict((oc) => oc.columns(['user_id', 'blocked_user_id']).doNothing())
          .returning('user_id')
          .execute()
      : await trx
          .deleteFrom('parley_blocks')
          .where('user_id', '=', userId)
          .where('blocked_user_id', '=', blockedId)
          .returning('user_id')
          .execute();
    if (changed.length === 0) return false;
    await insertAudit(trx, audit);
    return true;
  });
}

export async function getBlockedIds(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('parley_blocks')
    .select('blocked_user_id')
    .where('user_id', '=', userId)
    .orderBy('blocked_user_id')
    .execute();
  return rows.map((r) => r.blocked_user_id);
}

export async function getBlockerIds(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('parley_blocks')
    .select('user_id')
    .where('blocked_user_id', '=', userId)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function setChannelMute(
  db: Kysely<Database>,
  userId: string,
  cid: string,
  muted: boolean,
  now: number,
): Promise<boolean> {
  const changed = muted
    ? await db
        .insertInto('parley_channel_mutes')
        .values({ user_id: userId, cid, created_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'cid']).doNothing())
        .returning('user_id')
        .execute()
    : await db
        .deleteFrom('parley_channel_mutes')
        .where('user_id', '=', userId)
        .where('cid', '=', cid)
        .returning('user_id')
        .execute();
  return changed.length > 0;
}

export async function getMutedChannelIds(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('parley_channel_mutes')
    .select('cid')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.cid);
}

export async function appendAudit(db: Kysely<Database>, entry: AuditRecord): Promise<void> {
  await insertAudit(db, entry);
}

export async function queryAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditRecord[]> {
  let q = db.selectFrom('parley_audit_log').selectAll();
  if (query.cid !== undefined) q = q.where('cid', '=', query.cid);
  if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
  if (query.targetUserId !== undefined) q = q.where('target_user_id', '=', query.targetUserId);
  if (query.action !== undefined) q = q.where('action', '=', query.action);
  const rows = await newestFirstPage(q, query.before, query.limit).execute();
  return rows.map(toAudit);
}

export async function insertAudit(db: Kysely<Database> | Trx, entry: AuditRecord): Promise<void> {
  const row: AuditLogTable = {
    id: entry.id,
    created_at: entry.createdAt,
    action: entry.action,
    actor_id: entry.actorId,
    target_user_id: entry.targetUserId,
    cid: entry.cid,
    message_id: entry.messageId,
    reason: entry.reason,
    data: JSON.stringify(entry.data),
  };
  await db.insertInto('parley_audit_log').values(row).execute();
}

function toChannelType(row: {
  name: string;
  settings: string;
  created_at: number;
  updated_at: number;
}): ChannelTypeRecord {
  return {
    name: row.name,
    settings: parseObject(row.settings),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRestriction(row: Selectable<RestrictionsTable>): RestrictionRecord {
  return {
    kind: row.kind as RestrictionRecord['kind'],
    userId: row.user_id,
    cid: row.scope === '' ? null : row.scope,
    byUserId: row.by_user_id,
    reason: row.reason,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}

function toAudit(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    action: row.action,
    actorId: row.actor_id,
    targetUserId: row.target_user_id,
    cid: row.cid,
    messageId: row.message_id,
    reason: row.reason,
    data: parseObject(row.data),
  };
}
