import type {
  ChannelEvent,
  ChannelMember,
  ChannelState,
  GetMessagesResponse,
  Message,
  ReadState,
  ServerEvent,
  User,
} from '@parley/protocol';
import { lastStored, mergeStored, type LocalMessage } from './message-list.js';

/** What a channel shows. A new object on every change, so views can compare by reference. */
export interface ChannelStateSnapshot {
  /** Stored messages by seq, then pending (unsent) ones in send order. */
  messages: LocalMessage[];
  members: Record<string, ChannelMember>;
  /** Each member's read position; a member's own new message moves theirs. */
  read: Record<string, ReadState>;
  /** Users typing now, not counting the current user. */
  typing: string[];
  /** Members online now. */
  online: string[];
  /** The highest seq applied. */
  lastSeq: number;
  /** The current user's unread messages here. */
  unreadCount: number;
  hasMoreOlder: boolean;
  hasMoreNewer: boolean;
  /** True while this connection receives the channel's events. */
  watching: boolean;
}

/** The state of a channel nothing is known about yet. */
export const emptyChannelState = (): ChannelStateSnapshot => ({
  messages: [],
  members: {},
  read: {},
  typing: [],
  online: [],
  lastSeq: 0,
  unreadCount: 0,
  hasMoreOlder: false,
  hasMoreNewer: false,
  watching: false,
});

/** Where an event's seq falls: the next one, one already applied, or past a gap. */
export function seqPosition(lastSeq: number, seq: number): 'next' | 'duplicate' | 'gap' {
  if (seq <= lastSeq) return 'duplicate';
  return seq === lastSeq + 1 ? 'next' : 'gap';
}

/**
 * The state of a channel as the server returned it (watch, create, query), keeping the
 * pending messages already shown.
 */
export function fromServerState(
  server: ChannelState,
  pending: readonly LocalMessage[],
  watching: boolean,
): ChannelStateSnapshot {
  return {
    ...withMembers(emptyChannelState(), server.members, server.read),
    messages: mergeStored(pending, server.messages),
    lastSeq: server.channel.last_seq,
    unreadCount: server.unread_count,
    hasMoreOlder: server.has_more_messages,
    watching,
  };
}

/** Replaces members and read positions (read positions never move back). */
export function withMembers(
  state: ChannelStateSnapshot,
  members: readonly ChannelMember[],
  reads: readonly ReadState[],
): ChannelStateSnapshot {
  const read: Record<string, ReadState> = {};
  for (const r of reads) read[r.user_id] = later(state.read[r.user_id], r);
  return {
    ...state,
    members: Object.fromEntries(members.map((m) => [m.user_id, m])),
    read,
    online: members.filter((m) => m.user.online).map((m) => m.user_id),
  };
}

/**
 * Applies one channel event, which must be the next in seq order. `me` is the current
 * user, whose unread count the state keeps.
 */
export function applyChannelEvent(
  state: ChannelStateSnapshot,
  event: ChannelEvent,
  me: string | null,
): ChannelStateSnapshot {
  const next = { ...state, lastSeq: Math.max(state.lastSeq, event.seq) };
  switch (event.type) {
    case 'message.new':
      return withNewMessage(next, event.message, me);
    case 'message.read': {
      const moved = withRead(next, {
        user_id: event.user_id,
        last_read_message_id: event.last_read_message_id,
        last_read_seq: event.last_read_seq,
        last_read_at: event.created_at,
      });
      if (event.user_id === me) {
        moved.unreadCount = unreadAfter(state.messages, moved.read[me]!.last_read_seq, me);
      }
      return moved;
    }
    case 'member.added': {
      const { member } = event;
      next.members = { ...state.members, [member.user_id]: member };
      // A member who joins has read what came before (docs/protocol.md, members).
      const last = lastStored(state.messages);
      const joined = withRead(next, {
        user_id: member.user_id,
        last_read_message_id: last?.id ?? null,
        last_read_seq: event.seq - 1,
        last_read_at: event.created_at,
      });
      joined.online = setMember(state.online, member.user_id, member.user.online);
      return joined;
    }
    case 'member.removed': {
      next.members = { ...state.members };
      next.read = { ...state.read };
      delete next.members[event.user_id];
      delete next.read[event.user_id];
      next.online = setMember(state.online, event.user_id, false);
      // The server stops sending a removed member the channel's events.
      if (event.user_id === me) next.watching = false;
      return next;
    }
    case 'channel.updated':
      return next; // the channel object itself is kept by the Channel
  }
}

/** Adds a stored message: it moves its author's read position and counts as unread for others. */
export function withNewMessage(
  state: ChannelStateSnapshot,
  message: Message,
  me: string | null,
): ChannelStateSnapshot {
  const known = state.messages.some((m) => m.id === message.id && m.status === 'sent');
  const next = { ...state, messages: mergeStored(state.messages, [message]) };
  const author = message.user_id;
  const moved =
    author === null
      ? next
      : withRead(next, {
          user_id: author,
          last_read_message_id: message.id,
          last_read_seq: message.seq,
          last_read_at: message.created_at,
        });
  if (author === me) moved.unreadCount = 0;
  else if (!known) moved.unreadCount = state.unreadCount + 1;
  return moved;
}

/** A member's presence changed: their user object and the online list follow. */
export function withPresence(state: ChannelStateSnapshot, user: User): ChannelStateSnapshot {
  const member = state.members[user.id];
  if (member === undefined) return state;
  return {
    ...state,
    members: { ...state.members, [user.id]: { ...member, user } },
    online: setMember(state.online, user.id, user.online),
  };
}

/** Messages from others after a read position, among those loaded. */
function unreadAfter(messages: readonly LocalMessage[], seq: number, me: string | null): number {
  return messages.filter((m) => m.status === 'sent' && m.seq > seq && m.user_id !== me).length;
}

/** The further of two read positions: a position never moves back. */
function later(current: ReadState | undefined, next: ReadState): ReadState {
  return current !== undefined && current.last_read_seq > next.last_read_seq ? current : next;
}

/** `ids` with `id` in or out. */
export function setMember(ids: readonly string[], id: string, present: boolean): string[] {
  const has = ids.includes(id);
  if (has === present) return ids as string[];
  return present ? [...ids, id] : ids.filter((x) => x !== id);
}

/** Moves one member's read position forward. */
export function withRead(state: ChannelStateSnapshot, read: ReadState): ChannelStateSnapshot {
  return {
    ...state,
    read: { ...state.read, [read.user_id]: later(state.read[read.user_id], read) },
  };
}

/**
 * A new message or a read elsewhere, in a channel this connection does not watch: the
 * server's unread count for it comes along.
 */
export function applyNotification(
  state: ChannelStateSnapshot,
  event: Extract<ServerEvent, { type: 'notification.message_new' | 'notification.mark_read' }>,
  me: string | null,
): ChannelStateSnapshot {
  if (event.type === 'notification.message_new') {
    return { ...withNewMessage(state, event.message, me), unreadCount: event.unread_count };
  }
  const read =
    me === null
      ? state
      : withRead(state, {
          user_id: me,
          last_read_message_id: event.last_read_message_id,
          last_read_seq: event.last_read_seq,
          last_read_at: event.created_at,
        });
  return { ...read, unreadCount: event.unread_count };
}

/** A page of history merged in; it tells whether more is before or after it. */
export function withPage(
  state: ChannelStateSnapshot,
  page: GetMessagesResponse,
  cursor: { before?: string; after?: string },
): ChannelStateSnapshot {
  const next = { ...state, messages: mergeStored(state.messages, page.messages) };
  if (cursor.after === undefined) next.hasMoreOlder = page.has_more_before;
  if (cursor.before === undefined) next.hasMoreNewer = page.has_more_after;
  return next;
}
