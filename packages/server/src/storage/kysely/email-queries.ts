import type { Kysely } from 'kysely';
import type {
  EmailChannelDue,
  EmailDue,
  NotificationSettingsRecord,
} from '../notification-store.js';
import type { Database } from './database.js';
import { parseObject, toMessage } from './row-mappers.js';
import type { StorageAdapter } from './storage-adapter.js';

// Users' email settings and the email schedule.

export async function getNotificationSettings(
  db: Kysely<Database>,
  userId: string,
): Promise<NotificationSettingsRecord | null> {
  const user = await db
    .selectFrom('parley_users')
    .select(['email', 'email_enabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (user === undefined) return null;
  const muted = await db
    .selectFrom('parley_members')
    .select('cid')
    .where('user_id', '=', userId)
    .where('muted', '=', 1)
    .orderBy('cid')
    .execute();
  return {
    email: user.email,
    emailEnabled: user.email_enabled === 1,
    mutedCids: muted.map((m) => m.cid),
  };
}

export async function updateNotificationSettings(
  db: Kysely<Database>,
  userId: string,
  change: {
    emailEnabled?: boolean | undefined;
    mute?: readonly string[];
    unmute?: readonly string[];
  },
): Promise<{ settings: NotificationSettingsRecord; notMember: string[] } | null> {
  const done = await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('parley_users')
      .select('id')
      .where('id', '=', userId)
      .executeTakeFirst();
    if (user === undefined) return null;
    const named = [...(change.mute ?? []), ...(change.unmute ?? [])];
    const memberOf = new Set(
      named.length === 0
        ? []
        : (
            await trx
              .selectFrom('parley_members')
              .select('cid')
              .where('user_id', '=', userId)
              .where('cid', 'in', named)
              .execute()
          ).map((m) => m.cid),
    );
    const notMember = [...new Set(named.filter((cid) => !memberOf.has(cid)))];
    // All or nothing: a change naming a channel the user is not in changes nothing.
    if (notMember.length > 0) return { notMember };
    if (change.emailEnabled !== undefined) {
      await trx
        .updateTable('parley_users')
        .set({ email_enabled: change.emailEnabled ? 1 : 0 })
        .where('id', '=', userId)
        .execute();
    }
    for (const [cids, muted] of [
      [change.mute ?? [], 1],
      [change.unmute ?? [], 0],
    ] as const) {
      if (cids.length === 0) continue;
      await trx
        .updateTable('parley_members')
        .set({ muted })
        .where('user_id', '=', userId)
        .where('cid', 'in', cids)
        .execute();
    }
    return { notMember };
  });
  if (done === null) return null;
  const settings = (await getNotificationSettings(db, userId))!;
  return { settings, notMember: done.notMember };
}

/**
 * Leases the due schedule rows of up to `limit` users, then reads what their email
 * would say. (Rows, not users, are locked: PostgreSQL takes no row locks with DISTINCT.)
 */
export async function claimDueEmails(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  now: number,
  limit: number,
  leaseMs: number,
  quote: number,
): Promise<EmailDue[]> {
  const claimed = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('parley_email_schedule')
      .select(['user_id', 'cid', 'first_at'])
      .where('sent_at', 'is', null)
      .where('due_at', '<=', now)
      .where('locked_until', '<=', now)
      .orderBy('due_at')
      .limit(limit * 10)
      .$if(adapter.rowLocks, (q) => q.forUpdate().skipLocked())
      .execute();
    const users = [...new Set(rows.map((r) => r.user_id))].slice(0, limit);
    const taken = rows.filter((r) => users.includes(r.user_id));
    for (const row of taken) {
      await trx
        .updateTable('parley_email_schedule')
        .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
        .where('user_id', '=', row.user_id)
        .where('cid', '=', row.cid)
        .execute();
    }
    return taken;
  });
  const byUser = new Map<string, { cid: string; firstAt: number }[]>();
  for (const row of claimed) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ cid: row.cid, firstAt: Number(row.first_at) });
    byUser.set(row.user_id, list);
  }
  const due: EmailDue[] = [];
  for (const [userId, rows] of byUser) {
    const user = await db
      .selectFrom('parley_users')
      .select(['name', 'email', 'email_enabled', 'last_active'])
      .where('id', '=', userId)
      .executeTakeFirst();
    const channels: EmailChannelDue[] = [];
    const droppedCids: string[] = [];
    for (const row of rows) {
      const channel = await unreadIn(db, userId, row.cid, quote);
      if (channel === null) droppedCids.push(row.cid);
      else channels.push({ ...channel, firstAt: row.firstAt });
    }
    due.push({
      userId,
      name: user?.name ?? null,
      email: user?.email ?? null,
      emailEnabled: user?.email_enabled === 1,
      lastActive: user?.last_active == null ? null : Number(user.last_active),
      channels,
      droppedCids,
    });
  }
  return due;
}

/** What is unread for a member in a channel; null when nothing (or not a member, or muted). */
async function unreadIn(
  db: Kysely<Database>,
  userId: string,
  cid: string,
  quote: number,
): Promise<Omit<EmailChannelDue, 'firstAt'> | null> {
  const member = await db
    .selectFrom('parley_members as mb')
    .innerJoin('parley_channels as c', 'c.cid', 'mb.cid')
    .select(['mb.last_read_seq', 'mb.muted', 'c.data'])
    .where('mb.cid', '=', cid)
    .where('mb.user_id', '=', userId)
    .executeTakeFirst();
  if (member === undefined || member.muted === 1) return null;
  // The same messages as getUnreadCounts counts.
  const unread = db
    .selectFrom('parley_messages as m')
    .where('m.cid', '=', cid)
    .where('m.seq', '>', member.last_read_seq)
    .where((eb) => eb.or([eb('m.user_id', 'is', null), eb('m.user_id', '!=', userId)]))
    .where('m.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('m.parent_id', 'is', null), eb('m.show_in_channel', '=', 1)]));
  const { n } = await unread
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(n) === 0) return null;
  const latest = await unread.selectAll('m').orderBy('m.seq', 'desc').limit(quote).execute();
  return {
    cid,
    channelData: parseObject(member.data),
    unread: Number(n),
    latest: latest.map(toMessage).reverse(),
  };
}

export function finishEmail(
  db: Kysely<Database>,
  userId: string,
  sentCids: readonly string[],
  droppedCids: readonly string[],
  now: number,
): Promise<void> {
  return db.transaction().execute(async (trx) => {
    if (sentCids.length > 0) {
      await trx
        .updateTable('parley_email_schedule')
        .set({ sent_at: now, locked_until: 0 })
        .where('user_id', '=', userId)
        .where('cid', 'in', sentCids)
        .execute();
    }
    if (droppedCids.length > 0) {
      await trx
        .deleteFrom('parley_email_schedule')
        .where('user_id', '=', userId)
        .where('cid', 'in', droppedCids)
        .where('sent_at', 'is', null)
        .execute();
    }
  });
}

export async function retryEmail(
  db: Kysely<Database>,
  userId: string,
  cids: readonly string[],
  retryAt: number,
): Promise<void> {
  if (cids.length === 0) return;
  await db
    .updateTable('parley_email_schedule')
    .set({ due_at: retryAt, locked_until: 0 })
    .where('user_id', '=', userId)
    .where('cid', 'in', cids)
    .execute();
}
