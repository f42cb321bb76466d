import type { AliasedRawBuilder, Kysely, Selectable } from 'kysely';
import type { DispatchOptions, DispatchResult } from '../notification-store.js';
import type { EventRecord } from '../storage.js';
import type { Trx } from './channel-transaction.js';
import type { Database, EventsTable } from './database.js';
import {
  RESETS_EMAILS,
  emailChanges,
  emailRecipients,
  writeEmailChanges,
} from './outbox-emails.js';
import { deliveriesFor, insertDeliveries, readWebhooks } from './outbox-webhooks.js';
import { jsonStatementsOf } from './json-statements.js';
import { parseObject } from './row-mappers.js';
import type { StorageAdapter } from './storage-adapter.js';

/** Channels a dispatch transaction takes at most. */
const CHANNELS_PER_DISPATCH = 100;

/*
 * The event log is the outbox. A channel whose last_seq is above its outbox_seq has
 * committed events nobody dispatched yet; a send writes nothing more than it did before
 * (its channel row is updated anyway). The dispatcher turns those events into webhook
 * deliveries and email schedules and moves outbox_seq, in one transaction: a crash before
 * its commit leaves the events to the next dispatcher, one after leaves the deliveries.
 *
 * Sends lock a channel's row too, and wait for a dispatcher that holds it. So the
 * dispatcher reads (the channels, their events, the webhooks, the email recipients) and
 * decides without a lock, then claims the channels whose outbox_seq is still as it read
 * them, skipping rows another node holds, and writes only for those: usually one UPDATE
 * that commits on its own, as no webhook or email wants the events. (Locking the rows
 * first held them through six round trips and a commit: the sends that waited were most
 * of the lock waits in the cross-node DM bench. Locking them only in the last UPDATE,
 * while the rest read under an advisory lock, deadlocked sends against that UPDATE.)
 */
export async function dispatchEvents(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  o: DispatchOptions,
): Promise<DispatchResult> {
  const channels = await db
    .selectFrom('parley_channels')
    .select(['cid', 'outbox_seq', 'last_seq'])
    .where((eb) => eb('last_seq', '>', eb.ref('outbox_seq')))
    .$if(o.after !== undefined, (q) => q.where('cid', '>', o.after!))
    .orderBy('cid')
    .limit(CHANNELS_PER_DISPATCH)
    .execute();
  if (channels.length === 0) return { taken: 0, more: false };
  // A channel's events are its seqs above outbox_seq, so bounds taken in cid order that add
  // up to o.limit read just the events this dispatch takes. (Reading each channel's whole
  // backlog and sorting it to keep o.limit cost 20–60 ms a dispatch under PostgreSQL ingest
  // once the dispatcher fell behind, which made it fall further behind.) Up to last_seq as
  // read: a send may commit more meanwhile (its row is not locked), and what the events read
  // were committed with (a channel's events and its last_seq are written in one transaction).
  //
  // The walk over the channels goes on after the last one whose events this takes all of,
  // and ends at the last channel with new events: the loop then waits its interval.
  // (Starting each dispatch from the first channel, new events in more than
  // CHANNELS_PER_DISPATCH channels kept it dispatching without a pause: 65 dispatches a
  // second under the ingest bench's 200 channels, each taking the few events the first 100
  // got since the last.)
  const moved: OutboxMove[] = [];
  let room = o.limit;
  let resumeAfter = o.after;
  for (const c of channels) {
    if (room === 0) break;
    const to = Math.min(c.last_seq, c.outbox_seq + room);
    room -= to - c.outbox_seq;
    moved.push({ cid: c.cid, from: c.outbox_seq, to });
    if (to === c.last_seq) resumeAfter = c.cid;
  }
  const more = room === 0 || channels.length >= CHANNELS_PER_DISPATCH;
  const heads = await headsOf(db, adapter, moved);
  const webhooks = await readWebhooks(db);
  const recipients = await emailRecipients(db, heads);
  // Payloads (a whole message each) are read only for the events something will use:
  // under a flood of messages that no webhook wants and no member gets email for,
  // reading every one was most of the dispatcher's time (an eighth of SQLite ingest's).
  const events = await withPayloads(
    db,
    heads,
    (e) =>
      webhooks.some((w) => o.wants(w, e.type)) ||
      RESETS_EMAILS.has(e.type) ||
      (e.type === 'message.new' && recipients.has(e.cid)),
  );
  const deliveries = deliveriesFor(webhooks, events, o);
  const emails = emailChanges(recipients, events, o);
  const claimed =
    deliveries.length === 0 && emails.length === 0
      ? await moveOutbox(db, adapter, moved)
      : await db.transaction().execute(async (trx) => {
          const mine = await claim(trx, adapter, moved);
          await insertDeliveries(
            trx,
            deliveries.filter((d) => mine.has(d.cid)),
          );
          await writeEmailChanges(
            trx,
            emails.filter((c) => mine.has(c.cid)),
          );
          await moveOutbox(
            trx,
            adapter,
            moved.filter((m) => mine.has(m.cid)),
          );
          return mine;
        });
  return { taken: events.filter((e) => claimed.has(e.cid)).length, more, resumeAfter };
}

/**
 * The events of the moves' channels above `from` and up to `to`, by channel and seq: one
 * statement whatever the number of channels (their bounds a JSON table, joined to the
 * events' (cid, seq) key), so PostgreSQL keeps its plan. Written as an `OR` of one range per
 * channel, each count of channels was a statement of its own, planned at each call (3.4 ms
 * of planning against 6.5 of running, under ingest).
 */
function headsOf(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  moves: readonly OutboxMove[],
): Promise<EventHead[]> {
  return jsonStatementsOf(adapter).execute(db, 'outbox.heads', movesTable(moves), (table) =>
    db
      .selectFrom(table)
      .innerJoin('parley_events as e', (join) =>
        join
          .onRef('e.cid', '=', 'm.cid')
          .onRef('e.seq', '>', 'm.was')
          .onRef('e.seq', '<=', 'm.upto'),
      )
      .select(['e.cid', 'e.seq', 'e.type', 'e.created_at', 'e.message_id'])
      .orderBy('e.cid')
      .orderBy('e.seq'),
  );
}

/** A channel's outbox as the dispatcher read it, and where it moves to. */
interface OutboxMove {
  cid: string;
  from: number;
  to: number;
}

/** The moves as a JSON table (StorageAdapter.jsonTable) named `m`. */
function movesTable(moves: readonly OutboxMove[]) {
  return {
    rows: moves.map((m) => ({ cid: m.cid, was: m.from, upto: m.to })),
    columns: { cid: 'text', was: 'integer', upto: 'integer' },
    alias: 'm',
  } as const;
}

/**
 * The moves' channels whose outbox_seq is still as read, and where each moves to; on
 * PostgreSQL locked until the transaction ends, skipping rows another node holds. The
 * moves are a JSON table joined to the channels' key, so the statement's text is the same
 * whatever their count and PostgreSQL keeps its plan (an `OR` per channel was a text per
 * count, planned at each dispatch: 0.8 ms of planning against 5.4 of running, under ingest).
 */
function stillAsRead(
  db: Kysely<Database> | Trx,
  adapter: StorageAdapter,
  table: AliasedRawBuilder<ReturnType<typeof movesTable>['rows'][number], 'm'>,
) {
  return db
    .selectFrom(table)
    .innerJoin('parley_channels as c', (join) =>
      join.onRef('c.cid', '=', 'm.cid').onRef('c.outbox_seq', '=', 'm.was'),
    )
    .select(['c.cid', 'm.upto'])
    .$if(adapter.rowLocks, (q) => q.forUpdate(['c']).skipLocked());
}

/** Locks the moves' channels that are still as read (until the transaction ends). */
async function claim(trx: Trx, adapter: StorageAdapter, moves: readonly OutboxMove[]) {
  const rows = await jsonStatementsOf(adapter).execute(
    trx,
    'outbox.claim',
    movesTable(moves),
    (table) => stillAsRead(trx, adapter, table),
  );
  return new Set(rows.map((r) => r.cid));
}

/**
 * Moves the outbox of the channels still as read, in one statement (on PostgreSQL rows
 * another node holds are skipped); returns the channels moved.
 */
async function moveOutbox(
  db: Kysely<Database> | Trx,
  adapter: StorageAdapter,
  moves: readonly OutboxMove[],
): Promise<Set<string>> {
  if (moves.length === 0) return new Set();
  const rows = await jsonStatementsOf(adapter).execute(
    db,
    'outbox.move',
    movesTable(moves),
    (table) =>
      db
        .updateTable('parley_channels')
        .from(stillAsRead(db, adapter, table).as('s'))
        .set((eb) => ({ outbox_seq: eb.ref('s.upto') }))
        .whereRef('parley_channels.cid', '=', 's.cid')
        .returning('parley_channels.cid'),
  );
  return new Set(rows.map((r) => r.cid));
}

type EventHead = Omit<Selectable<EventsTable>, 'payload'>;

/**
 * The events of `heads`, with the payload read (and parsed when first used) of those
 * `needs` names; reading the payload of another throws.
 */
async function withPayloads(
  db: Kysely<Database>,
  heads: readonly EventHead[],
  needs: (head: EventHead) => boolean,
): Promise<EventRecord[]> {
  const seqsByCid = new Map<string, number[]>();
  for (const head of heads) {
    if (!needs(head)) continue;
    const seqs = seqsByCid.get(head.cid);
    if (seqs === undefined) seqsByCid.set(head.cid, [head.seq]);
    else seqs.push(head.seq);
  }
  const texts = new Map<string, string>();
  if (seqsByCid.size > 0) {
    const rows = await db
      .selectFrom('parley_events')
      .select(['cid', 'seq', 'payload'])
      .where((eb) =>
        eb.or(
          [...seqsByCid].map(([cid, seqs]) => eb.and([eb('cid', '=', cid), eb('seq', 'in', seqs)])),
        ),
      )
      .execute();
    for (const row of rows) texts.set(`${row.cid}\n${row.seq}`, row.payload);
  }
  return heads.map((head) => {
    const text = texts.get(`${head.cid}\n${head.seq}`);
    let payload: Record<string, unknown> | undefined;
    return {
      cid: head.cid,
      seq: head.seq,
      type: head.type as EventRecord['type'],
      createdAt: head.created_at,
      messageId: head.message_id,
      get payload() {
        if (text === undefined)
          throw new Error(`the payload of ${head.cid} #${head.seq} was not read`);
        // Parsed when first used: most are not, and parsing every event a send batch
        // wrote was a few percent of the server's CPU under a message flood.
        return (payload ??= parseObject(text));
      },
    };
  });
}
