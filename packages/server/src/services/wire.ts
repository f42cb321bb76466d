import type {
  Channel,
  ChannelMember,
  Message,
  QuotedMessage,
  Reaction,
  ReadState,
  User,
} from '@parley/protocol';
import type {
  ChannelRecord,
  MemberRecord,
  MessageRecord,
  ReactionRecord,
  UserRecord,
} from '../storage/storage.js';
import { toWireAttachment } from '../uploads/attachment-wire.js';
import type { FileUrls } from '../uploads/file-urls.js';

/** Storage records to wire objects. Times go out as ISO 8601 strings. */
export function iso(ms: number): string {
  // A page of history formats ~50 times that mostly share their minute: toISOString costs
  // ~0.7 µs each (2 % of a history request's CPU), appending seconds and milliseconds to
  // the minute's prefix a tenth of that. The prefix comes from toISOString itself, so any
  // year it can write (and a RangeError for an invalid time) is as before.
  const minute = Math.floor(ms / 60_000);
  if (minute !== lastMinute) {
    const full = new Date(ms).toISOString();
    // Only a whole millisecond within range is sure to share its minute's prefix (Date
    // truncates fractions towards zero, which may cross into the next minute).
    if (Number.isInteger(ms) && Math.abs(ms) <= MAX_TIME) {
      lastMinute = minute;
      minutePrefix = full.slice(0, -7);
    }
    return full;
  }
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_TIME) return new Date(ms).toISOString();
  const inMinute = ms - minute * 60_000;
  const seconds = Math.floor(inMinute / 1000);
  const millis = inMinute - seconds * 1000;
  return `${minutePrefix}${seconds < 10 ? '0' : ''}${seconds}.${PAD3[millis]}Z`;
}

/** The minute `iso` formatted last (in minutes since the epoch) and its `YYYY-MM-DDTHH:MM:`. */
let lastMinute = Number.NaN;
let minutePrefix = '';
/** The last instant a Date can hold (ECMAScript's time range). */
const MAX_TIME = 8.64e15;
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export function isoOrNull(ms: number | null): string | null {
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
    frozen: channel.frozen,
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

/** What a message needs besides its record to go on the wire. */
export interface MessageContext {
  /** Users by id: the author, mentioned users, reactors, the quoted message's author. */
  users: ReadonlyMap<string, User>;
  /** The quoted message as stored now (null: gone). */
  quoted?: MessageRecord | null | undefined;
  /** The reader's own reactions (events, shared by every member, carry none). */
  own?: readonly ReactionRecord[] | undefined;
  /** Signs the attachments' URLs. */
  files: FileUrls;
}

const userOf = (users: ReadonlyMap<string, User>, id: string | null) =>
  id === null ? null : (users.get(id) ?? null);

export function toMessage(message: MessageRecord, context: MessageContext): Message {
  const { users } = context;
  const createdAt = iso(message.createdAt);
  const quoted = message.quotedMessageId === null ? null : (context.quoted ?? null);
  return {
    id: message.id,
    cid: message.cid,
    seq: message.seq,
    type: message.type,
    user_id: message.userId,
    user: userOf(users, message.userId),
    text: message.text,
    data: message.data,
    attachments: message.attachments.map((a) => toWireAttachment(a, context.files)),
    created_at: createdAt,
    // The same instant for a message never edited: formatted once (a hot path).
    updated_at: message.updatedAt === message.createdAt ? createdAt : iso(message.updatedAt),
    edited_at: isoOrNull(message.editedAt),
    deleted_at: isoOrNull(message.deletedAt),
    parent_id: message.parentId,
    show_in_channel: message.showInChannel,
    reply_count: message.replyCount,
    thread_participants: message.threadParticipants,
    quoted_message_id: message.quotedMessageId,
    quoted_message: quoted === null ? null : toQuotedMessage(quoted, users),
    mentioned_users: message.mentionedUserIds.flatMap((id) => {
      const user = users.get(id);
      return user === undefined ? [] : [user];
    }),
    reaction_counts: message.reactionCounts,
    latest_reactions: message.latestReactions.map((r) => toReaction(r, users)),
    own_reactions: (context.own ?? []).map((r) => toReaction(r, users)),
    pinned: message.pinnedAt !== null,
    pinned_at: isoOrNull(message.pinnedAt),
    pinned_by: message.pinnedBy,
  };
}

/** A quote shows the quoted message's current text, none once it is deleted. */
export function toQuotedMessage(
  message: MessageRecord,
  users: ReadonlyMap<string, User>,
): QuotedMessage {
  return {
    id: message.id,
    cid: message.cid,
    seq: message.seq,
    type: message.type,
    user_id: message.userId,
    user: userOf(users, message.userId),
    text: message.deletedAt === null ? message.text : '',
    created_at: iso(message.createdAt),
    deleted_at: isoOrNull(message.deletedAt),
  };
}

export function toReaction(reaction: ReactionRecord, users: ReadonlyMap<string, User>): Reaction {
  return {
    message_id: reaction.messageId,
    user_id: reaction.userId,
    user: userOf(users, reaction.userId),
    type: reaction.type,
    score: reaction.score,
    created_at: iso(reaction.createdAt),
    updated_at: iso(reaction.updatedAt),
  };
}

/** Every user a message's wire form names: author, mentioned, reactors, quote author. */
export function userIdsOf(message: MessageRecord, quoted?: MessageRecord | null): string[] {
  const ids = [...message.mentionedUserIds, ...message.latestReactions.map((r) => r.userId)];
  if (message.userId !== null) ids.push(message.userId);
  if (quoted != null && quoted.userId !== null) ids.push(quoted.userId);
  return ids;
}
