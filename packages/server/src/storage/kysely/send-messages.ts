import type { Kysely } from 'kysely';
import type { EventBuilder, MessageChange, NewMessage, SendResult } from '../storage.js';
import { Rollback } from './channel-transaction.js';
import type { ChannelStates } from './channel-states.js';
import type { Database } from './database.js';
import { Batch } from './send-batch.js';
import { readBatchState } from './send-batch-reads.js';
import type { SendOrder } from './send-order.js';
import type { StorageAdapter } from './storage-adapter.js';

/*
 * Sending messages, many per transaction (group commit): a batch costs one commit and a
 * fixed number of statements, whatever its size.
 */

/**
 * How often a batch is written in one statement (where the database can) before it falls
 * back to a transaction: a conflict means another node wrote one of its channels since it
 * read them, and reading again usually settles it.
 */
const ONE_STATEMENT_TRIES = 3;

/** How often a batch is read and written again after a concurrent writer got in its way. */
const MAX_ATTEMPTS = ONE_STATEMENT_TRIES + 5;

/**
 * Storage.sendMessages: the batch in one transaction, halved on error until the culprit
 * is alone; after the batches being written that it shares a channel or an id with.
 */
export async function sendMessages(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  order: SendOrder,
  known: ChannelStates,
  messages: readonly NewMessage[],
  buildEvent: EventBuilder<MessageChange> | Promise<EventBuilder<MessageChange>>,
): Promise<SendResult[]> {
  const turn = order.enter(messages);
  let results: SendResult[] | undefined;
  try {
    results = await storeOrHalve({ db, adapter, known }, messages, buildEvent, turn.after);
    return results;
  } finally {
    turn.done(results);
  }
}

/** Where a batch is stored, and what is known of its channels. */
interface Target {
  db: Kysely<Database>;
  adapter: StorageAdapter;
  known: ChannelStates;
}

async function storeOrHalve(
  target: Target,
  messages: readonly NewMessage[],
  buildEvent: EventBuilder<MessageChange> | Promise<EventBuilder<MessageChange>>,
  after: Promise<ReadonlyMap<string, number>>,
): Promise<SendResult[]> {
  if (messages.length === 0) {
    await after;
    return [];
  }
  try {
    return await storeInTransaction(target, messages, buildEvent, after);
  } catch (error) {
    // A dead database fails every message alike: no point in trying them one by one.
    if (target.adapter.isUnavailable(error)) throw error;
    // The halves are written after the batches before, as the whole would have been.
    await after;
    if (messages.length === 1) return [{ status: 'failed', error }];
    // One message spoilt the transaction (a constraint, a throwing builder). Halving keeps
    // the order of the rest, and finds a few culprits in a few transactions.
    const half = Math.ceil(messages.length / 2);
    const first = await storeOrHalve(target, messages.slice(0, half), buildEvent, after);
    const second = await storeOrHalve(target, messages.slice(half), buildEvent, after);
    return [...first, ...second];
  }
}

async function storeInTransaction(
  target: Target,
  messages: readonly NewMessage[],
  buildEvent: EventBuilder<MessageChange> | Promise<EventBuilder<MessageChange>>,
  after: Promise<ReadonlyMap<string, number>>,
  firstAttempt = 1,
): Promise<SendResult[]> {
  const { db, adapter, known } = target;
  let batch: Batch | undefined;
  // First in one statement where the database can; after conflicts, in a transaction.
  const oneStatementTries = adapter.writeSendBatch === undefined ? 0 : ONE_STATEMENT_TRIES;
  // The channels' known states may decide a first try written in one statement only: the
  // statement finds out when one moved on. A transaction decides from what it read.
  let mayUseKnown = oneStatementTries > 0;
  for (let attempt = firstAttempt; ; attempt++) {
    try {
      // Read before the transaction, both queries at once (on PostgreSQL each takes a
      // connection of the pool): inside it they would see no more, since PostgreSQL's
      // READ COMMITTED reads the latest commits at each statement anyway. What changes
      // in between is caught when writing (see Rollback below).
      const [state, build, before] = await Promise.all([
        readBatchState(db, adapter, messages, mayUseKnown ? known : undefined),
        buildEvent,
        after,
      ]);
      mayUseKnown = false;
      // What the batches before took was committed after (or while) this one read.
      for (const [cid, lastSeq] of before) {
        const channel = state.channels.get(cid);
        if (channel !== undefined && channel.lastSeq < lastSeq) channel.lastSeq = lastSeq;
      }
      const current = (batch ??= new Batch(adapter, known, messages, build));
      if (attempt <= oneStatementTries) {
        const written = await current.writeInOneStatement(db, state);
        if (written === null) {
          // Needs the transaction below, which decides from a fresh read.
          if (state.known) continue;
        } else if (written.again.length === 0) {
          return written.results;
        } else {
          // Another node wrote some of the channels since the read: the rest are stored;
          // their messages are decided again (in a transaction after the one-statement
          // tries), before a later batch of their channels writes (it waits for these
          // results), so each channel keeps its order.
          const again = await storeInTransaction(
            target,
            written.again.map((index) => messages[index]!),
            build,
            after,
            attempt + 1,
          );
          again.forEach((result, k) => (written.results[written.again[k]!] = result));
          return written.results;
        }
      }
      const results = await db.transaction().execute((trx) => current.write(trx, state));
      // It may have opened or answered first-response statistics: read them again next time.
      for (const cid of new Set(messages.map((m) => m.cid))) known.forget(cid);
      return results;
    } catch (error) {
      if (!(error instanceof Rollback) || attempt === MAX_ATTEMPTS) throw error;
    }
    // Another writer stored one of the ids or deleted a channel after the batch read
    // them: read again and decide again.
  }
}
