import type { ChannelEventType, MemberRole, MessageType, UserRole } from '@parley/protocol';
import type { Selectable } from 'kysely';
import type {
  ChannelRecord,
  EventRecord,
  MemberRecord,
  MessageRecord,
  UserRecord,
} from '../storage.js';
import type {
  ChannelsTable,
  EventsTable,
  MembersTable,
  MessagesTable,
  UsersTable,
} from './database.js';

/** Parses a JSON object column; anything else (never written by us) reads as `{}`. */
export function parseObject(text: string): Record<string, unknown> {
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
  };
}

export function toEvent(row: Selectable<EventsTable>): EventRecord {
  return {
    cid: row.cid,
    seq: row.seq,
    type: row.type as ChannelEventType,
    createdAt: row.created_at,
    payload: parseObject(row.payload),
  };
}

/** The row of a member record, for inserts. */
export function memberRow(member: MemberRecord): MembersTable {
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
  };
}

/** The row of an event record, for inserts. */
export function eventRow(event: EventRecord): EventsTable {
  return {
    cid: event.cid,
    seq: event.seq,
    type: event.type,
    created_at: event.createdAt,
    payload: JSON.stringify(event.payload),
  };
}
