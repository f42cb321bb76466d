import { sql } from 'kysely';
import type { Insertable, Kysely } from 'kysely';
import type { DispatchOptions } from '../notification-store.js';
import type { EventRecord } from '../storage.js';
import type { Trx } from './channel-transaction.js';
import type { Database, EmailScheduleTable } from './database.js';
import { INSERT_CHUNK } from './outbox-webhooks.js';

/*
 * The outbox's email side: the email schedule rows the dispatcher (outbox-dispatch.ts)
 * writes for the events it takes.
 */

export interface ScheduleChange {
  userId: string;
  cid: string;
  /** The user read (or left): forget what was scheduled or sent before. */
  reset: boolean;
  upsert: Insertable<EmailScheduleTable> | null;
}

/** Events that reset a member's email schedule (their payload says whose). */
export const RESETS_EMAILS = new Set(['message.read', 'member.removed']);

/** By channel, among those with a message.new in `events`: the members who get email. */
export async function emailRecipients(
  db: Kysely<Database>,
  events: readonly { cid: string; type: string }[],
): Promise<Map<string, string[]>> {
  const messageCids = [
    ...new Set(events.filter((e) => e.type === 'message.new').map((e) => e.cid)),
  ];
  const recipients = new Map<string, string[]>();
  if (messageCids.length > 0) {
    const rows = await db
      .selectFrom('parley_members as m')
      .innerJoin('parley_users as u', 'u.id', 'm.user_id')
      .select(['m.cid', 'm.user_id'])
      .where('m.cid', 'in', messageCids)
      .where('m.muted', '=', 0)
      .where('u.email', 'is not', null)
      .where('u.email_enabled', '=', 1)
      .execute();
    for (const row of rows) {
      const list = recipients.get(row.cid) ?? [];
      list.push(row.user_id);
      recipients.set(row.cid, list);
    }
  }
  return recipients;
}

/**
 * New messages schedule an email for each member with an address who is not their
 * author; reads and departures reset the member's schedule, so the next unread message
 * may cause an email again. Whether the email is still worth sending is decided when due.
 */
export function emailChanges(
  recipients: ReadonlyMap<string, readonly string[]>,
  events: readonly EventRecord[],
  o: DispatchOptions,
): ScheduleChange[] {
  const changes = new Map<string, ScheduleChange>();
  const changeOf = (userId: string, cid: string) => {
    const key = `${userId}\u0000${cid}`;
    let change = changes.get(key);
    if (change === undefined)
      changes.set(key, (change = { userId, cid, reset: false, upsert: null }));
    return change;
  };
  for (const event of events) {
    if (event.type === 'message.read' || event.type === 'member.removed') {
      const change = changeOf(String(event.payload.user_id), event.cid);
      change.reset = true;
      change.upsert = null;
      continue;
    }
    if (event.type !== 'message.new') continue;
    const users = recipients.get(event.cid);
    if (users === undefined) continue;
    const message = event.payload.message as {
      user?: { id: string } | null;
      parent_id?: string | null;
      show_in_channel?: boolean;
      mentioned_users?: { id: string }[];
    };
    // A reply kept in its thread is not counted unread.
    if (message.parent_id != null && message.show_in_channel !== true) continue;
    const authorId = message.user?.id ?? null;
    const mentioned = new Set((message.mentioned_users ?? []).map((u) => u.id));
    for (const userId of users) {
      if (userId === authorId) continue;
      const due =
        event.createdAt + (mentioned.has(userId) ? o.mentionEmailAfterMs : o.emailAfterMs);
      const change = changeOf(userId, event.cid);
      if (change.upsert === null) {
        change.upsert = {
          user_id: userId,
          cid: event.cid,
          first_seq: event.seq,
          first_at: event.createdAt,
          due_at: due,
          sent_at: null,
          locked_until: 0,
          attempts: 0,
        };
      } else change.upsert.due_at = Math.min(change.upsert.due_at, due);
    }
  }
  return [...changes.values()].filter((c) => c.reset || c.upsert !== null);
}

/** Writes what emailChanges decided. */
export async function writeEmailChanges(trx: Trx, changes: readonly ScheduleChange[]) {
  const resets = changes.filter((c) => c.reset);
  for (let i = 0; i < resets.length; i += INSERT_CHUNK) {
    const chunk = resets.slice(i, i + INSERT_CHUNK);
    await trx
      .deleteFrom('parley_email_schedule')
      .where((eb) =>
        eb.or(chunk.map((c) => eb.and([eb('user_id', '=', c.userId), eb('cid', '=', c.cid)]))),
      )
      .execute();
  }
  const upserts = changes.flatMap((c) => (c.upsert === null ? [] : [c.upsert]));
  for (let i = 0; i < upserts.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('parley_email_schedule')
      .values(upserts.slice(i, i + INSERT_CHUNK))
      // A pending email comes sooner for a mention; a sent one stays sent until a read.
      .onConflict((oc) =>
        oc.columns(['user_id', 'cid']).doUpdateSet({
          due_at: sql<number>`case when parley_email_schedule.sent_at is null and excluded.due_at < parley_email_schedule.due_at then excluded.due_at else parley_email_schedule.due_at end`,
        }),
      )
      .execute();
  }
}
