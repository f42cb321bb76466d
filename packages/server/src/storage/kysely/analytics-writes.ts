import { sql, type Kysely } from 'kysely';
import type { MessageRecord } from '../storage.js';
import type { Trx } from './channel-transaction.js';
import type { Database } from './database.js';
import { jsonStatementsOf } from './json-statements.js';
import type { StorageAdapter } from './storage-adapter.js';

/** The UTC date of an epoch-ms time, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Counts a batch of stored messages in the daily aggregates, inside the batch's
 * transaction: a few statements whatever the batch's size (JSON tables, as the batch's own).
 * Only users' messages count (system messages have no author).
 */
export async function recordMessageStats(
  trx: Trx,
  adapter: StorageAdapter,
  records: readonly MessageRecord[],
): Promise<void> {
  const authored = records.filter((m) => m.userId !== null);
  if (authored.length === 0) return;
  const statements = jsonStatementsOf(adapter);
  const { channelDays, userDays } = messageStatsRows(authored);
  await statements.execute(
    trx,
    'stats.channel-day',
    {
      rows: channelDays,
      columns: CHANNEL_DAY_COLUMNS,
      alias: 'r',
    },
    (table) =>
      trx
        .insertInto('parley_stats_channel_day')
        .columns(['day', 'cid', 'messages'])
        .expression((eb) =>
          eb
            .selectFrom(table)
            .select(['r.day', 'r.cid', 'r.n'])
            .where(sql<boolean>`true`),
        )
        .onConflict((oc) =>
          oc.columns(['day', 'cid']).doUpdateSet((eb) => ({
            messages: eb('parley_stats_channel_day.messages', '+', eb.ref('excluded.messages')),
          })),
        ),
  );
  await statements.execute(
    trx,
    'stats.user-day',
    {
      rows: userDays,
      columns: USER_DAY_COLUMNS,
      alias: 'r',
    },
    (table) =>
      trx
        .insertInto('parley_stats_user_day')
        .columns(['day', 'user_id'])
        .expression((eb) =>
          eb
            .selectFrom(table)
            .select(['r.day', 'r.user_id'])
            .where(sql<boolean>`true`),
        )
        .onConflict((oc) => oc.columns(['day', 'user_id']).doNothing()),
  );
  await recordFirstResponses(trx, authored);
}

export const CHANNEL_DAY_COLUMNS = { day: 'text', cid: 'text', n: 'integer' } as const;
export const USER_DAY_COLUMNS = { day: 'text', user_id: 'text' } as const;

/**
 * The daily aggregates' rows for `authored` messages (all with an author): messages per
 * channel and day, and who was active on which day, each in key order.
 */
export function messageStatsRows(authored: readonly MessageRecord[]) {
  const perChannelDay = new Map<string, { day: string; cid: string; n: number }>();
  const userDays = new Map<string, { day: string; user_id: string }>();
  for (const m of authored) {
    const day = dayOf(m.createdAt);
    const key = `${day}\n${m.cid}`;
    const entry = perChannelDay.get(key);
    if (entry === undefined) perChannelDay.set(key, { day, cid: m.cid, n: 1 });
    else entry.n++;
    userDays.set(`${day}\n${m.userId}`, { day, user_id: m.userId! });
  }
  // No per-day row for the whole app: every send of every channel would wait on its lock.
  // A day's messages are the sum of its channels' rows, which the channel's own lock
  // (taken first by the batch) already serialises. Rows in key order all the same.
  return {
    channelDays: [...perChannelDay.values()].sort((a, b) =>
      a.day === b.day ? (a.cid < b.cid ? -1 : 1) : a.day < b.day ? -1 : 1,
    ),
    userDays: [...userDays.values()].sort((a, b) =>
      a.day === b.day ? (a.user_id < b.user_id ? -1 : 1) : a.day < b.day ? -1 : 1,
    ),
  };
}

/**
 * A channel's first message, then the first message by someone else after it: the
 * first-response time. Once a channel has its response it is never read here again
 * (the common case reads one small row per channel of the batch).
 */
async function recordFirstResponses(trx: Trx, authored: readonly MessageRecord[]) {
  const byChannel = new Map<string, MessageRecord[]>();
  for (const m of authored) {
    const list = byChannel.get(m.cid);
    if (list === undefined) byChannel.set(m.cid, [m]);
    else list.push(m);
  }
  const cids = [...byChannel.keys()].sort();
  const known = new Map(
    (
      await trx
        .selectFrom('parley_stats_first_response')
        .selectAll()
        .where('cid', 'in', cids)
        .execute()
    ).map((row) => [row.cid, row]),
  );
  for (const cid of cids) {
    const row = known.get(cid);
    if (row !== undefined && row.response_at !== null) continue;
    // In time order: a backdated import may come after later messages.
    const messages = [...byChannel.get(cid)!].sort((a, b) => a.createdAt - b.createdAt);
    let first = row === undefined ? null : { at: Number(row.first_at), user: row.first_user_id };
    if (first === null) {
      const m = messages[0]!;
      first = { at: m.createdAt, user: m.userId! };
      await trx
        .insertInto('parley_stats_first_response')
        .values({
          cid,
          first_at: first.at,
          first_user_id: first.user,
          response_at: null,
          response_day: null,
        })
        .execute();
    }
    const opener = first;
    const response = messages.find((m) => m.userId !== opener.user && m.createdAt >= opener.at);
    if (response !== undefined) {
      await trx
        .updateTable('parley_stats_first_response')
        .set({ response_at: response.createdAt, response_day: dayOf(response.createdAt) })
        .where('cid', '=', cid)
        .execute();
    }
  }
}

/**
 * Counts a channel created now, inside its creating transaction, in its day's row of the
 * cid's slot: channels created at once mostly update different rows (migration 020).
 */
export async function recordNewChannel(
  db: Kysely<Database> | Trx,
  cid: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('parley_stats_new_channels')
    .values({ day: dayOf(at), slot: slotOf(cid), new_channels: 1 })
    .onConflict((oc) =>
      oc.columns(['day', 'slot']).doUpdateSet((eb) => ({
        new_channels: eb('parley_stats_new_channels.new_channels', '+', 1),
      })),
    )
    .execute();
}

/** Rows a day's count of new channels is spread over (migration 020). */
const NEW_CHANNEL_SLOTS = 16;

/** The cid's slot: a string hash (FNV-1a) modulo NEW_CHANNEL_SLOTS. */
function slotOf(cid: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < cid.length; i++) hash = Math.imul(hash ^ cid.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % NEW_CHANNEL_SLOTS;
}
