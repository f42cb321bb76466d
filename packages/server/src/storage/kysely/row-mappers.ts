import type { ChannelEventType, MemberRole, MessageType, UserRole } from '@parley/protocol';
import { cjkBigramsOf, searchTextOf } from '../../search/search-text.js';
import type { Insertable, Selectable } from 'kysely';
import type {
  AttachmentRecord,
  ChannelRecord,
  EventRecord,
  MemberRecord,
  MessageRecord,
  ReactionRecord,
  UserRecord,
} from '../storage.js';
import type {
  ChannelsTable,
  EventsTable,
  MembersTable,
  MessagesTable,
  ReactionsTable,
  UsersTable,
} from './database.js';

/** Parses a JSON array column; anything else (never written by us) reads as `[]`. */
export function parseArray(text: string): unknown[] {
  // Most messages' lists are empty: seven columns of each of a page's 50 rows are parsed.
  if (text === '[]') return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value : [];
}

/** Parses a JSON object column; anything else (never written by us) reads as `{}`. */
export function parseObject(text: string): Record<string, unknown> {
  if (text === '{}') return {};
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

// Enum-like columns are written only from the typed records below, so they are cast back.

export function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    name: row.name,
    image: row.image,
    role: row.role as UserRole,
    data: parseObject(row.data),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActive: row.last_active,
  };
}

export function toChannel(row: Selectable<ChannelsTable>): ChannelRecord {
  return {
    cid: row.cid,
    type: row.type,
    id: row.id,
    data: parseObject(row.data),
    distinct: row.is_distinct === 1,
    createdById: row.created_by_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastMessageAt: row.last_message_at,
    memberCount: row.member_count,
    lastSeq: row.last_seq,
    frozen: row.frozen === 1,
  };
}

export function toMember(row: Selectable<MembersTable>): MemberRecord {
  return {
    cid: row.cid,
    userId: row.user_id,
    role: row.role as MemberRole,
    createdAt: row.created_at,
    lastReadSeq: row.last_read_seq,
    lastReadMessageId: row.last_read_message_id,
    lastReadAt: row.last_read_at,
  };
}

export function toMessage(row: Selectable<MessagesTable>): MessageRecord {
  return {
    id: row.id,
    cid: row.cid,
    seq: row.seq,
    type: row.type as MessageType,
    userId: row.user_id,
    text: row.text,
    data: parseObject(row.data),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    parentId: row.parent_id,
    showInChannel: row.show_in_channel === 1,
    replyCount: row.reply_count,
    threadParticipants: parseArray(row.thread_participants) as string[],
    quotedMessageId: row.quoted_message_id,
    mentionedUserIds: parseArray(row.mentioned_users) as string[],
    reactionCounts: parseObject(row.reaction_counts) as Record<string, number>,
    latestReactions: (parseArray(row.latest_reactions) as StoredReaction[]).map((r) => ({
      messageId: row.id,
      userId: r.user_id,
      type: r.type,
      score: r.score,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    attachments: parseArray(row.attachments) as AttachmentRecord[],
    pinnedAt: row.pinned_at,
    pinnedBy: row.pinned_by,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

/** A reaction inside a message's `latest_reactions` column (the message id is the row's). */
interface StoredReaction {
  user_id: string;
  type: string;
  score: number;
  created_at: number;
  updated_at: number;
}

/** The `latest_reactions` column of a message. */
export function latestReactionsColumn(reactions: readonly ReactionRecord[]): string {
  return JSON.stringify(
    reactions.map((r): StoredReaction => ({
      user_id: r.userId,
      type: r.type,
      score: r.score,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    })),
  );
}

export function toReaction(row: Selectable<ReactionsTable>): ReactionRecord {
  return {
    messageId: row.message_id,
    userId: row.user_id,
    type: row.type,
    score: row.score,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEvent(row: Selectable<EventsTable>): EventRecord {
  return {
    cid: row.cid,
    seq: row.seq,
    type: row.type as ChannelEventType,
    createdAt: row.created_at,
    payload: parseObject(row.payload),
    messageId: row.message_id,
  };
}

/** The row of a member record, for inserts. */
export function memberRow(member: MemberRecord): Insertable<MembersTable> {
  return {
    cid: member.cid,
    user_id: member.userId,
    role: member.role,
    created_at: member.createdAt,
    last_read_seq: member.lastReadSeq,
    last_read_message_id: member.lastReadMessageId,
    last_read_at: member.lastReadAt,
  };
}

/** The row of a message record, for inserts. */
export function messageRow(message: MessageRecord): MessagesTable {
  const searchText = searchTextOf(message.text);
  return {
    id: message.id,
    cid: message.cid,
    seq: message.seq,
    type: message.type,
    user_id: message.userId,
    text: message.text,
    data: JSON.stringify(message.data),
    created_at: message.createdAt,
    updated_at: message.updatedAt,
    parent_id: message.parentId,
    show_in_channel: message.showInChannel ? 1 : 0,
    reply_count: message.replyCount,
    thread_participants: JSON.stringify(message.threadParticipants),
    quoted_message_id: message.quotedMessageId,
    mentioned_users: JSON.stringify(message.mentionedUserIds),
    reaction_counts: JSON.stringify(message.reactionCounts),
    latest_reactions: latestReactionsColumn(message.latestReactions),
    attachments: JSON.stringify(message.attachments),
    pinned_at: message.pinnedAt,
    pinned_by: message.pinnedBy,
    edited_at: message.editedAt,
    deleted_at: message.deletedAt,
    search_text: searchText,
    search_bigrams: cjkBigramsOf(searchText),
  };
}

/** A message's columns but its id, for updates. */
export function messageColumns(message: MessageRecord): Omit<MessagesTable, 'id'> {
  const row: Partial<MessagesTable> = messageRow(message);
  delete row.id;
  return row as Omit<MessagesTable, 'id'>;
}

/** The row of an event record, for inserts. */
export function eventRow(event: EventRecord): EventsTable {
  return {
    cid: event.cid,
    seq: event.seq,
    type: event.type,
    created_at: event.createdAt,
    payload: JSON.stringify(event.payload),
    message_id: event.messageId,
  };
}
