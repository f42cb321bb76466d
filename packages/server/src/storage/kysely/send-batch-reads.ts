import type { MemberRole } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { MessageRecord, NewMessage, UploadRecord } from '../storage.js';
import type { ChannelStates } from './channel-states.js';
import type { Database } from './database.js';
import { jsonStatementsOf } from './json-statements.js';
import { toMessage } from './row-mappers.js';
import type { StorageAdapter } from './storage-adapter.js';
import { toUpload } from './upload-queries.js';

/** What decides each message of a batch: ids already stored, and channels' members. */
export interface BatchState {
  /** Stored messages by id, among the batch's ids and the parents and quotes they name. */
  stored: Map<string, MessageRecord>;
  /** Member ids by channel, for the batch's channels that exist. */
  members: Map<string, Set<string>>;
  /** Uploads by id, among those the batch's messages name. */
  uploads: Map<string, UploadRecord>;
  /** What access checks see of each channel, and what a one-statement write assumes. */
  channels: Map<string, ChannelState>;
}

/** A channel as a batch read it. */
export interface ChannelState {
  frozen: boolean;
  distinct: boolean;
  roles: Map<string, MemberRole>;
  /** Its last seq when read: a one-statement write takes the next ones if it still is. */
  lastSeq: number;
  /** When it was created: with lastSeq, what a one-statement write finds again. */
  createdAt: number;
  /**
   * Its first-response statistics (analytics-writes.ts): the first author, null before
   * any message; whether someone else has answered since.
   */
  opener: string | null;
  responded: boolean;
}

/**
 * Whether a message by `authorId` leaves the channel's first-response statistics as they
 * are (analytics-writes.ts): they change only with its first message, or the first by
 * someone else after it.
 */
export function leavesFirstResponse(channel: ChannelState, authorId: string | null): boolean {
  return authorId === null || channel.responded || authorId === channel.opener;
}

/**
 * What decides each message: from `known` when it knows every channel and the messages
 * name nothing else (no parent, quote or file; a stored id is then found by the write, which
 * fails), else read, and what was read kept in `known`.
 */
export async function readBatchState(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  messages: readonly NewMessage[],
  known?: ChannelStates,
): Promise<BatchState & { known: boolean }> {
  const fromKnown = known === undefined ? undefined : knownState(known, messages);
  if (fromKnown !== undefined) return { ...fromKnown, known: true };
  const statements = jsonStatementsOf(adapter);
  const linked = messages.flatMap((m) => [m.id, m.parentId ?? [], m.quotedMessageId ?? []]);
  const ids = [...new Set(linked.flat())].map((id) => ({ id }));
  const cids = [...new Set(messages.map((m) => m.cid))].map((cid) => ({ cid }));
  const uploadIds = [...new Set(messages.flatMap((m) => m.attachmentIds ?? []))];
  const [storedRows, memberRows, uploadRows] = await Promise.all([
    statements.execute(
      db,
      'send.stored',
      { rows: ids, columns: { id: 'text' }, alias: 'r' },
      (table) =>
        db.selectFrom(table).innerJoin('parley_messages as m', 'm.id', 'r.id').selectAll('m'),
    ),
    // A channel without members still has a row here, with a null user_id.
    statements.execute(
      db,
      'send.members',
      { rows: cids, columns: { cid: 'text' }, alias: 'r' },
      (table) =>
        db
          .selectFrom(table)
          .innerJoin('parley_channels as c', 'c.cid', 'r.cid')
          .leftJoin('parley_members as m', 'm.cid', 'c.cid')
          .leftJoin('parley_stats_first_response as f', 'f.cid', 'c.cid')
          .select([
            'c.cid',
            'c.frozen',
            'c.is_distinct',
            'c.last_seq',
            'c.created_at',
            'f.first_user_id',
            'f.response_at',
            'm.user_id',
            'm.role',
          ]),
    ),
    // Most batches carry no file: no statement at all then.
    uploadIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('parley_uploads').selectAll().where('id', 'in', uploadIds).execute(),
  ]);
  const members = new Map<string, Set<string>>();
  const channels: BatchState['channels'] = new Map();
  for (const row of memberRows) {
    const { cid, user_id, role } = row;
    let set = members.get(cid);
    let channel = channels.get(cid);
    if (set === undefined || channel === undefined) {
      members.set(cid, (set = new Set()));
      channel = {
        frozen: row.frozen === 1,
        distinct: row.is_distinct === 1,
        roles: new Map(),
        lastSeq: row.last_seq,
        createdAt: row.created_at,
        opener: row.first_user_id,
        responded: row.response_at !== null,
      };
      channels.set(cid, channel);
    }
    if (user_id !== null) {
      set.add(user_id);
      channel.roles.set(user_id, role as MemberRole);
    }
  }
  if (known !== undefined) {
    for (const [cid, channel] of channels) known.read(cid, channel, members.get(cid)!);
  }
  const stored = new Map(storedRows.map((row) => [row.id, toMessage(row)]));
  const uploads = new Map(uploadRows.map((row) => [row.id, toUpload(row)]));
  return { stored, members, uploads, channels, known: false };
}

/** The batch's state from `known`, or undefined when a read is needed. */
function knownState(known: ChannelStates, messages: readonly NewMessage[]): BatchState | undefined {
  const members = new Map<string, Set<string>>();
  const channels: BatchState['channels'] = new Map();
  for (const m of messages) {
    if (m.parentId != null || m.quotedMessageId != null || (m.attachmentIds?.length ?? 0) > 0) {
      return undefined;
    }
    if (channels.has(m.cid)) continue;
    const channel = known.get(m.cid);
    if (channel === undefined) return undefined;
    members.set(m.cid, channel.members);
    channels.set(m.cid, channel.state);
  }
  return { stored: new Map(), members, uploads: new Map(), channels };
}
