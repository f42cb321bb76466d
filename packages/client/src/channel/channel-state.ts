import type {
  ChannelEvent,
  ChannelMember,
  ChannelState,
  Message,
  ReadState,
  ServerEvent,
  User,
} from '@parley/protocol';
import type { LocalMessage } from './message-list.js';
import { inChannel, mentions, messageChanges, withMessageChanges } from './message-events.js';
import { MessageWindow } from './message-window.js';

/** What a channel shows. A new object on every change, so views can compare by reference. */
export interface ChannelStateSnapshot {
  /**
   * The loaded messages: a run of stored ones by seq (at most the client's `maxMessages`),
   * then pending (unsent) ones in send order. Made on first read from the snapshot, O(n),
   * by a getter: a spread copy of a snapshot has none, read it by name.
   */
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
  /** Those of them that mention the current user. */
  unreadMentions: number;
  /** Older messages than those loaded exist (never loaded, or dropped from the window). */
  hasMoreOlder: boolean;
  /** Newer messages than those loaded exist: new ones are not added until they are loaded. */
  hasMoreNewer: boolean;
  /** True while this connection receives the channel's events. */
  watching: boolean;
}

/** The state as a channel keeps it: the snapshot's fields, with the messages in a window. */
export interface ChannelModel extends Omit<ChannelStateSnapshot, 'messages'> {
  window: MessageWindow;
  /** The most stored messages the window keeps. */
  capacity: number;
}

/** Default of the client's `maxMessages`. */
export const DEFAULT_MAX_MESSAGES = 500;

/** The state of a channel nothing is known about yet. */
export const emptyChannelModel = (capacity = DEFAULT_MAX_MESSAGES): ChannelModel => ({
  window: MessageWindow.of(),
  capacity,
  members: {},
  read: {},
  typing: [],
  online: [],
  lastSeq: 0,
  unreadCount: 0,
  unreadMentions: 0,
  hasMoreOlder: false,
  hasMoreNewer: false,
  watching: false,
});

/**
 * A snapshot: the model's fields, and `messages` made from its window on first read. A
 * class, not an object literal with a getter: V8 made each such literal in a slow path
 * (1-2 µs, a third of applying an event), a class instance takes some nanoseconds.
 */
class Snapshot implements ChannelStateSnapshot {
  declare members: ChannelStateSnapshot['members'];
  declare read: ChannelStateSnapshot['read'];
  declare typing: string[];
  declare online: string[];
  declare lastSeq: number;
  declare unreadCount: number;
  declare unreadMentions: number;
  declare hasMoreOlder: boolean;
  declare hasMoreNewer: boolean;
  declare watching: boolean;
  readonly #window: MessageWindow;

  constructor(model: ChannelModel) {
    this.#window = model.window;
    this.members = model.members;
    this.read = model.read;
    this.typing = model.typing;
    this.online = model.online;
    this.lastSeq = model.lastSeq;
    this.unreadCount = model.unreadCount;
    this.unreadMentions = model.unreadMentions;
    this.hasMoreOlder = model.hasMoreOlder;
    this.hasMoreNewer = model.hasMoreNewer;
    this.watching = model.watching;
  }

  get messages(): LocalMessage[] {
    return this.#window.toArray();
  }
}

/**
 * The snapshot of `model`; its `messages` array is made when first read, by a getter of
 * the snapshot's class (so a spread copy of a snapshot has no `messages`).
 */
export const snapshotOf = (model: ChannelModel): ChannelStateSnapshot => new Snapshot(model);

/** The state of a channel nothing is known about yet (a plain object). */
export const emptyChannelState = (): ChannelStateSnapshot => ({
  ...snapshotOf(emptyChannelModel()),
  messages: [],
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
  capacity: number,
): ChannelModel {
  return trimOldest({
    ...withMembers(emptyChannelModel(capacity), server.members, server.read),
    window: MessageWindow.of([], pending).add(server.messages),
    lastSeq: server.channel.last_seq,
    unreadCount: server.unread_count,
    // `?? 0`: a server from before mentions sends none.
    unreadMentions: server.unread_mentions ?? 0,
    hasMoreOlder: server.has_more_messages,
    watching,
  });
}

/** Replaces members and read positions (read positions never move back). */
export function withMembers(
  state: ChannelModel,
  members: readonly ChannelMember[],
  reads: readonly ReadState[],
): ChannelModel {
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
  state: ChannelModel,
  event: ChannelEvent,
  me: string | null,
): ChannelModel {
  if (event.type === 'message.new') {
    const added = inChannel(event.message)
      ? withNewMessage(state, event.message, me) // a new object
      : withReplyKeptInThread(state, event.message);
    for (const { id, change } of messageChanges(event, me)) {
      added.window = added.window.change(id, change);
    }
    added.lastSeq = Math.max(state.lastSeq, event.seq);
    return added;
  }
  const next = { ...state, lastSeq: Math.max(state.lastSeq, event.seq) };
  switch (event.type) {
    case 'message.updated':
    case 'message.deleted':
    case 'reaction.new':
    case 'reaction.deleted':
      return withMessageChanges(state, event, me);
    case 'message.read': {
      const moved = withRead(next, {
        user_id: event.user_id,
        last_read_message_id: event.last_read_message_id,
        last_read_seq: event.last_read_seq,
        last_read_at: event.created_at,
      });
      if (event.user_id === me) {
        const seq = moved.read[me]!.last_read_seq;
        const unread = (m: LocalMessage) => m.user_id !== me && m.deleted_at == null;
        moved.unreadCount = state.window.countNewer(seq, unread);
        moved.unreadMentions = state.window.countNewer(seq, (m) => unread(m) && mentions(m, me));
      }
      return moved;
    }
    case 'member.added': {
      const { member } = event;
      next.members = { ...state.members, [member.user_id]: member };
      // A member who joins has read what came before (docs/protocol.md, members).
      const last = state.window.newest;
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
    case 'member.banned':
      // The server stops sending a banned member the channel's events.
      if (event.user_id === me) next.watching = false;
      return next;
    case 'member.unbanned':
    case 'member.muted':
    case 'member.unmuted':
    case 'channel.frozen':
    case 'channel.unfrozen':
      return next; // moderation: the seq moves on; the app shows what it wants of it
  }
}

/**
 * Adds a stored message: it moves its author's read position and counts as unread for
 * others. It joins the window when that holds the newest messages, dropping the oldest past
 * the capacity; else it waits to be loaded with the messages before it.
 */
export function withNewMessage(
  state: ChannelModel,
  message: Message,
  me: string | null,
): ChannelModel {
  const { window } = state;
  // A message after the newest stored one can only be held as acknowledged and pending.
  const held = window.after(message)
    ? window.pending.find((m) => m.id === message.id)
    : window.find(message.id);
  const known = held?.status === 'sent';
  const next = { ...state };
  next.window = state.hasMoreNewer
    ? state.window.withoutPending([message])
    : state.window.add([message]);
  if (next.window.size > next.capacity) {
    next.window = next.window.keepNewest(next.capacity);
    next.hasMoreOlder = true;
  }
  const author = message.user_id;
  if (author !== null) {
    next.read = withPosition(state.read, {
      user_id: author,
      last_read_message_id: message.id,
      last_read_seq: message.seq,
      last_read_at: message.created_at,
    });
  }
  if (author === me) {
    next.unreadCount = 0;
    next.unreadMentions = 0;
  } else if (!known) {
    next.unreadCount = state.unreadCount + 1;
    if (mentions(message, me)) next.unreadMentions = state.unreadMentions + 1;
  }
  return next;
}

/**
 * A reply kept in its thread: not in the channel's history and unread for nobody, but it
 * moves its author's read position as any message does.
 */
function withReplyKeptInThread(state: ChannelModel, message: Message): ChannelModel {
  const next = { ...state, window: state.window.withoutPending([message]) };
  if (message.user_id !== null) {
    next.read = withPosition(state.read, {
      user_id: message.user_id,
      last_read_message_id: message.id,
      last_read_seq: message.seq,
      last_read_at: message.created_at,
    });
  }
  return next;
}

/** A member's presence changed: their user object and the online list follow. */
export function withPresence(state: ChannelModel, user: User): ChannelModel {
  const member = state.members[user.id];
  if (member === undefined) return state;
  return {
    ...state,
    members: { ...state.members, [user.id]: { ...member, user } },
    online: setMember(state.online, user.id, user.online),
  };
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
export function withRead(state: ChannelModel, read: ReadState): ChannelModel {
  return { ...state, read: withPosition(state.read, read) };
}

/** `reads` with one member's position moved forward; the same object when it does not move. */
function withPosition(
  reads: Record<string, ReadState>,
  read: ReadState,
): Record<string, ReadState> {
  const current = reads[read.user_id];
  const position = later(current, read);
  return position === current ? reads : { ...reads, [read.user_id]: position };
}

/**
 * A new message or a read elsewhere, in a channel this connection does not watch: the
 * server's unread count for it comes along.
 */
export function applyNotification(
  state: ChannelModel,
  event: Extract<
    ServerEvent,
    { type: 'notification.message_new' | 'notification.mark_read' | 'notification.mention' }
  >,
  me: string | null,
): ChannelModel {
  if (event.type === 'notification.mention') {
    return { ...state, unreadMentions: event.unread_mentions };
  }
  if (event.type === 'notification.message_new') {
    // A reply kept in its thread is not part of the channel's list.
    const next = inChannel(event.message) ? withNewMessage(state, event.message, me) : state;
    return { ...next, unreadCount: event.unread_count, unreadMentions: next.unreadMentions };
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
  // Mentions are counted among the unread: none left when nothing is unread.
  const unreadMentions = event.unread_count === 0 ? 0 : read.unreadMentions;
  return { ...read, unreadCount: event.unread_count, unreadMentions };
}

/** Drops the oldest stored messages past the capacity: they can be loaded again. */
export function trimOldest(state: ChannelModel): ChannelModel {
  const { window, capacity } = state;
  if (window.size <= capacity) return state;
  return { ...state, window: window.keepNewest(capacity), hasMoreOlder: true };
}

/** Drops the newest stored messages past the capacity: they can be loaded again. */
export function trimNewest(state: ChannelModel): ChannelModel {
  const { window, capacity } = state;
  if (window.size <= capacity) return state;
  return { ...state, window: window.keepOldest(capacity), hasMoreNewer: true };
}
