import { DEFAULT_LIMITS } from '@parley/protocol';
import type { MessageRecord, ThreadUpdate } from '../storage.js';
import { Rollback, type Trx } from './channel-transaction.js';
import { parseArray } from './row-mappers.js';

// Threads: a parent's reply count and participants, changed in the replies' transaction.

interface ThreadState {
  replyCount: number;
  participants: string[];
}

/**
 * Counts freshly inserted replies on their parents and adds their authors to the
 * participants; returns each reply's thread as it left it. Runs after the channel's row
 * lock is taken, so concurrent replies to one parent queue up instead of losing a count.
 * A parent deleted since the batch checked it rolls the batch back to be decided again.
 */
export async function updateThreads(
  trx: Trx,
  records: readonly MessageRecord[],
): Promise<Map<string, ThreadUpdate>> {
  const replies = records.filter((record) => record.parentId !== null);
  const threads = new Map<string, ThreadUpdate>();
  if (replies.length === 0) return threads;
  const parents = await readThreads(trx, [...new Set(replies.map((r) => r.parentId!))]);
  for (const reply of replies) {
    const thread = parents.get(reply.parentId!)!;
    thread.replyCount++;
    if (
      reply.userId !== null &&
      !thread.participants.includes(reply.userId) &&
      thread.participants.length < DEFAULT_LIMITS.maxThreadParticipants
    ) {
      thread.participants.push(reply.userId);
    }
    threads.set(reply.id, snapshot(reply.parentId!, thread));
  }
  for (const [parentId, thread] of parents) await writeThread(trx, parentId, thread);
  return threads;
}

/** One reply fewer on a parent (the reply was deleted); its participants stay. */
export async function dropReply(trx: Trx, parentId: string): Promise<ThreadUpdate | null> {
  const parents = await readThreads(trx, [parentId], { strict: false });
  const thread = parents.get(parentId);
  if (thread === undefined) return null;
  thread.replyCount = Math.max(0, thread.replyCount - 1);
  await writeThread(trx, parentId, thread);
  return snapshot(parentId, thread);
}

async function readThreads(
  trx: Trx,
  parentIds: readonly string[],
  { strict } = { strict: true },
): Promise<Map<string, ThreadState>> {
  const rows = await trx
    .selectFrom('parley_messages')
    .select(['id', 'reply_count', 'thread_participants', 'deleted_at', 'parent_id'])
    .where('id', 'in', parentIds)
    .execute();
  if (strict && (rows.length !== parentIds.length || rows.some((r) => r.deleted_at !== null))) {
    throw new Rollback();
  }
  return new Map(
    rows.map((row) => [
      row.id,
      {
        replyCount: row.reply_count,
        participants: parseArray(row.thread_participants) as string[],
      },
    ]),
  );
}

async function writeThread(trx: Trx, parentId: string, thread: ThreadState): Promise<void> {
  await trx
    .updateTable('parley_messages')
    .set({
      reply_count: thread.replyCount,
      thread_participants: JSON.stringify(thread.participants),
    })
    .where('id', '=', parentId)
    .execute();
}

function snapshot(parentId: string, thread: ThreadState): ThreadUpdate {
  return {
    parentId,
    replyCount: thread.replyCount,
    threadParticipants: [...thread.participants],
  };
}
