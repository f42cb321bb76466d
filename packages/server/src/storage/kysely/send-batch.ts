import type { Kysely } from 'kysely';
import { ChannelNotFoundError, MessageIdConflictError, NotMemberError } from '../storage-errors.js';
import type {
  ChannelRecord,
  EventBuilder,
  EventRecord,
  MessageChange,
  MessageRecord,
  NewMessage,
  SendResult,
  ThreadUpdate,
} from '../storage.js';
import { messageStatsRows, recordMessageStats } from './analytics-writes.js';
import { newEvent, Rollback } from './channel-transaction.js';
import type { Trx } from './channel-transaction.js';
import type { ChannelStates } from './channel-states.js';
import type { Database } from './database.js';
import { eventRow, messageRow, toChannel } from './row-mappers.js';
import { leavesFirstResponse, type BatchState } from './send-batch-reads.js';
import {
  channelBumps,
  insertEvents,
  insertMentions,
  insertMessages,
  mentionRows,
  moveAuthorsReadPositions,
  numberMessages,
  readPositionRows,
  takeSeqs,
  takeUploads,
} from './send-batch-writes.js';
import { checkAttachments, checkLinks, linkedOf, type Linked } from './send-checks.js';
import type { StorageAdapter } from './storage-adapter.js';
import { updateThreads } from './thread-writes.js';

/*
 * One send batch's decisions (which messages are refused, duplicates or stored) and its
 * writes: in a transaction, or in one statement where the database can (see
 * send-messages.ts for the attempts around it).
 */

/** A message of the batch that is being stored: its place in the batch, record and event. */
export interface Accepted {
  index: number;
  record: MessageRecord;
  event: EventRecord;
}

/**
 * A batch's decisions and its transaction. Every statement takes its rows as one JSON
 * table (see StorageAdapter.jsonTable), so a batch costs the same few prepared statements
 * at any size.
 */
export class Batch {
  constructor(
    private readonly adapter: StorageAdapter,
    private readonly known: ChannelStates,
    private readonly messages: readonly NewMessage[],
    private readonly buildEvent: EventBuilder<MessageChange>,
  ) {}

  /** Decides each message from `state`: refused, a duplicate, or to be stored. */
  private decide(state: BatchState): Decision {
    const { messages } = this;
    const { stored, members, uploads, channels: seen } = state;
    const results = new Array<SendResult>(messages.length);
    const accepted: NewMessage[] = [];
    const acceptedIndexes: number[] = [];
    // Per id: the index of the message accepted for it in this batch.
    const acceptedById = new Map<string, number>();
    // Duplicates of a message accepted earlier in this batch, by that message's index.
    const duplicatesOf = new Map<number, number[]>();
    // Uploads taken by a message accepted earlier in this batch.
    const taken = new Set<string>();
    /** A parent or quoted message: stored, or accepted earlier in this batch. */
    const find = (id: string): Linked | undefined => {
      const earlier = acceptedById.get(id);
      return earlier === undefined ? stored.get(id) : linkedOf(messages[earlier]!);
    };
    messages.forEach((message, index) => {
      const { id, cid, userId } = message;
      const memberIds = members.get(cid);
      if (memberIds === undefined) {
        results[index] = { status: 'failed', error: new ChannelNotFoundError(cid) };
        return;
      }
      if (userId !== null && message.allowNonMember !== true && !memberIds.has(userId)) {
        results[index] = { status: 'failed', error: new NotMemberError(cid, userId) };
        return;
      }
      if (message.check !== undefined) {
        const channel = seen.get(cid)!;
        const refusal = message.check({
          cid,
          frozen: channel.frozen,
          distinct: channel.distinct,
          memberIds,
          role: userId === null ? null : (channel.roles.get(userId) ?? null),
        });
        if (refusal !== null && refusal !== undefined) {
          results[index] = { status: 'failed', error: refusal };
          return;
        }
      }
      const earlier = acceptedById.get(id);
      const prior = earlier === undefined ? stored.get(id) : messages[earlier];
      if (prior === undefined) {
        const invalid = checkLinks(message, find) ?? checkAttachments(message, uploads, taken);
        if (invalid !== null) {
          results[index] = { status: 'failed', error: invalid };
          return;
        }
        for (const uploadId of message.attachmentIds ?? []) taken.add(uploadId);
        acceptedById.set(id, index);
        accepted.push(message);
        acceptedIndexes.push(index);
      } else if (prior.cid !== cid || prior.userId !== userId) {
        results[index] = { status: 'failed', error: new MessageIdConflictError(id) };
      } else if (earlier !== undefined) {
        duplicatesOf.set(earlier, [...(duplicatesOf.get(earlier) ?? []), index]);
      } else {
        results[index] = { status: 'duplicate', message: stored.get(id)! };
      }
    });
    return { results, accepted, acceptedIndexes, duplicatesOf };
  }

  /** Decides each message from `state`, then writes the accepted ones in `trx`. */
  async write(trx: Trx, state: BatchState): Promise<SendResult[]> {
    const decision = this.decide(state);
    const { accepted } = decision;
    if (accepted.length === 0) return decision.results;
    const { adapter } = this;
    const { members, uploads } = state;
    const { channels, records } = await takeSeqs(trx, adapter, accepted, members, uploads);
    await insertMessages(trx, adapter, records);
    await takeUploads(trx, adapter, records);
    // Parents change once their replies are in (a parent may be in this very batch).
    const threads = await updateThreads(trx, records);
    const written = this.events(decision, records, threads, state);
    await insertEvents(trx, adapter, written);
    await insertMentions(trx, adapter, records);
    await recordMessageStats(trx, adapter, records);
    await moveAuthorsReadPositions(trx, adapter, written);
    return this.answer(decision, written, channels, state);
  }

  /**
   * Decides each message from `state` and writes the accepted ones in one statement that
   * takes the seqs after each channel's last seq as read (StorageAdapter.writeSendBatch).
   * Null, having written nothing, for a batch that needs reads inside the transaction:
   * replies (their threads), files (their uploads), a channel's first message or first
   * response; and, decided from known channel states, a batch that refuses a message: the
   * write verifies what a batch accepts (the channels are as known), not what it refuses.
   * The messages of a channel that moved on since the read are not written: their indexes
   * are in `again`, their results holes. Rollback when an id was stored since the read.
   */
  async writeInOneStatement(
    db: Kysely<Database>,
    state: BatchState & { known: boolean },
  ): Promise<{ results: SendResult[]; again: number[] } | null> {
    const decision = this.decide(state);
    if (state.known && decision.results.some((result) => result?.status === 'failed')) {
      return null;
    }
    const { accepted } = decision;
    if (accepted.length === 0) return { results: decision.results, again: [] };
    const simple = accepted.every(
      (m) =>
        m.parentId == null &&
        (m.attachmentIds?.length ?? 0) === 0 &&
        leavesFirstResponse(state.channels.get(m.cid)!, m.userId),
    );
    if (!simple) return null;
    const before = new Map([...state.channels].map(([cid, channel]) => [cid, channel.lastSeq]));
    const records = numberMessages(accepted, before, state.members, state.uploads);
    const written = this.events(decision, records, new Map(), state);
    const stats = messageStatsRows(records.filter((m) => m.userId !== null));
    const rows = {
      channels: [...channelBumps(accepted)]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([cid, bump]) => ({
          cid,
          events: bump.events,
          message_at: bump.messageAt,
          last_seq: before.get(cid)!,
          created_at: state.channels.get(cid)!.createdAt,
        })),
      messages: records.map(messageRow),
      events: written.map(({ event }) => eventRow(event)),
      mentions: mentionRows(records),
      channelDays: stats.channelDays,
      userDays: stats.userDays,
      readPositions: readPositionRows(records),
    };
    let channels;
    try {
      channels = await this.adapter.writeSendBatch!(db, rows);
    } catch (error) {
      if (this.adapter.isUnavailable(error)) throw error;
      // An id was stored since the read: nothing was written.
      throw new Rollback();
    }
    const bumped = new Map(channels.map((c) => [c.cid, toChannel(c)]));
    for (const { cid } of rows.channels) {
      const channel = bumped.get(cid);
      if (channel === undefined) this.known.forget(cid);
      else this.known.wrote(cid, before.get(cid)!, channel.lastSeq);
    }
    const results = this.answer(
      decision,
      written.filter(({ record }) => bumped.has(record.cid)),
      bumped,
      state,
    );
    // The accepted messages of the channels that moved, and their duplicates in the batch.
    const again: number[] = [];
    for (let index = 0; index < results.length; index++) {
      if (results[index] === undefined) again.push(index);
    }
    return { results, again };
  }

  /** The accepted messages' events, built from their records as written. */
  private events(
    decision: Decision,
    records: readonly MessageRecord[],
    threads: ReadonlyMap<string, ThreadUpdate>,
    state: BatchState,
  ): Accepted[] {
    const { stored } = state;
    const byId = new Map(records.map((record) => [record.id, record]));
    return records.map((record, i) => {
      const quotedId = record.quotedMessageId;
      const change: MessageChange = {
        message: record,
        thread: record.parentId === null ? null : threads.get(record.id)!,
        quoted: quotedId === null ? null : (byId.get(quotedId) ?? stored.get(quotedId) ?? null),
      };
      return {
        index: decision.acceptedIndexes[i]!,
        record,
        event: newEvent(
          record.cid,
          'message.new',
          record.seq,
          record.createdAt,
          change,
          this.buildEvent,
          record.id,
        ),
      };
    });
  }

  /** Each message's result, once the accepted ones are written. */
  private answer(
    decision: Decision,
    written: readonly Accepted[],
    channels: ReadonlyMap<string, ChannelRecord>,
    state: BatchState,
  ): SendResult[] {
    const { results, duplicatesOf } = decision;
    const memberLists = new Map([...state.members].map(([cid, ids]) => [cid, [...ids]]));
    for (const { index, record, event } of written) {
      results[index] = {
        status: 'stored',
        message: record,
        event,
        channel: channels.get(record.cid)!,
        memberIds: memberLists.get(record.cid)!,
      };
      for (const duplicate of duplicatesOf.get(index) ?? []) {
        results[duplicate] = { status: 'duplicate', message: record };
      }
    }
    return results;
  }
}

/** What a batch decided of each message before writing. */
interface Decision {
  /** The results of the refused messages and of duplicates of stored ones; holes for the rest. */
  results: SendResult[];
  /** The messages to store, in batch order, and their indexes in the batch. */
  accepted: NewMessage[];
  acceptedIndexes: number[];
  /** Duplicates of a message accepted in this batch, by that message's index. */
  duplicatesOf: Map<number, number[]>;
}
