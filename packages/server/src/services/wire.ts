import type { Channel, ChannelMember, Message, ReadState, User } from '@parley/protocol';
import type { ChannelRecord, MemberRecord, MessageRecord, UserRecord } from '../storage/storage.js';

/** Storage records to wire objects. Times go out as ISO 8601 strings. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export function toUser(user: UserRecord, online: boolean): User {
  return {
    id: user.id,
    name: user.name,
    image: user.image,
    role: user.role,
    data: user.data,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    last_active: isoOrNull(user.lastActive),
    online,
  };
}

export function toChannel(channel: ChannelRecord): Channel {
  return {
    cid: channel.cid,
    type: channel.type,
    id: channel.id,
    data: channel.data,
    distinct: channel.distinct,
    created_by_id: channel.createdById,
    created_at: iso(channel.createdAt),
    updated_at: iso(channel.updatedAt),
    last_message_at: isoOrNull(channel.lastMessageAt),
    member_count: channel.memberCount,
    last_seq: channel.lastSeq,
  };
}

export function toMember(member: MemberRecord, user: User): ChannelMember {
  return {
    user_id: member.userId,
    user,
    role: member.role,
    created_at: iso(member.createdAt),
  };
}

export function toReadState(member: MemberRecord): ReadState {
  return {
    user_id: member.userId,
    last_read_message_id: member.lastReadMessageId,
    last_read_seq: member.lastReadSeq,
    last_read_at: isoOrNull(member.lastReadAt),
  };
}

export function toMessage(message: MessageRecord, user: User | null): Message {
  const createdAt = iso(message.createdAt);
  return {
    id: message.id,
    cid: message.cid,
    seq: message.seq,
    type: message.type,
    user_id: message.userId,
    user,
    text: message.text,
    data: message.data,
    created_at: createdAt,
    // The same instant for a message never edited: formatted once (a hot path).
    updated_at: message.updatedAt === message.createdAt ? createdAt : iso(message.updatedAt),
  };
}
