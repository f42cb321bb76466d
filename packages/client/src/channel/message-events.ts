import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import type { Message, ServerEvent } from '@parley/protocol';
import type { ChannelModel } from './channel-state.js';
import type { LocalMessage } from './message-list.js';

type Event<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;
type ThreadUpdate = NonNullable<Event<'message.new'>['thread']>;

/*
 * Changes to messages already sent: edits, pins, deletes, reactions and thread counts.
 * Events carry the message's state after the change (counts, not increments), so applying
 * one twice, or after a state that already includes it, ends where it should.
 */

/** Whether a message is part of the channel's own history (not a reply kept in its thread). */
export function inChannel(message: Pick<Message, 'parent_id' | 'show_in_channel'>): boolean {
  // `== null`: a server from before threads sends no parent_id at all.
  return message.parent_id == null || message.show_in_channel === true;
}

/** A thread's parent after a reply came or went. */
export function withThread(state: ChannelModel, thread: ThreadUpdate): ChannelModel {
  const window = state.window.update(thread.parent_id, (parent) => ({
    ...parent,
    reply_count: thread.reply_count,
    thread_participants: thread.thread_participants,
  }));
  return window === state.window ? state : { ...state, window };
}

/** An edit or a pin: the new state, keeping what only this reader knows (own reactions). */
export function withMessageUpdated(
  state: ChannelModel,
  event: Event<'message.updated'>,
): ChannelModel {
  const window = state.window.update(event.message.id, (held) => keepLocal(held, event.message));
  return { ...state, window, lastSeq: Math.max(state.lastSeq, event.seq) };
}

/** A tombstone in place of the message, or (hard) no message at all; unread counts follow. */
export function withMessageDeleted(
  state: ChannelModel,
  event: Event<'message.deleted'>,
  me: string | null,
): ChannelModel {
  const { message } = event;
  const held = state.window.find(message.id);
  const window = event.hard
    ? state.window.remove(message.id)
    : state.window.update(message.id, (m) => keepLocal(m, message));
  let next: ChannelModel = { ...state, window, lastSeq: Math.max(state.lastSeq, event.seq) };
  if (event.thread !== undefined) next = withThread(next, event.thread);
  // A deleted message no longer counts as unread (docs/protocol.md, read state).
  const myRead = me === null ? undefined : state.read[me];
  const wasUnread =
    me !== null &&
    message.user_id !== me &&
    inChannel(message) &&
    (held === undefined || held.deleted_at == null) &&
    message.seq > (myRead?.last_read_seq ?? 0);
  if (wasUnread && next.unreadCount > 0) next.unreadCount--;
  return next;
}

/** A reaction added or removed: the message's counts and newest reactions, and own ones. */
export function withReaction(
  state: ChannelModel,
  event: Event<'reaction.new'> | Event<'reaction.deleted'>,
  me: string | null,
): ChannelModel {
  const { reaction } = event;
  const window = state.window.update(event.message_id, (held) => {
    const mine = held.own_reactions ?? [];
    const others = mine.filter((r) => r.type !== reaction.type);
    const own =
      reaction.user_id !== me
        ? mine
        : event.type === 'reaction.new'
          ? [reaction, ...others]
          : others;
    const latest = (held.latest_reactions ?? []).filter(
      (r) => r.user_id !== reaction.user_id || r.type !== reaction.type,
    );
    return {
      ...held,
      reaction_counts: event.reaction_counts,
      latest_reactions:
        event.type === 'reaction.new'
          ? [reaction, ...latest].slice(0, DEFAULT_LIMITS.latestReactions)
          : latest,
      own_reactions: own,
    };
  });
  return { ...state, window, lastSeq: Math.max(state.lastSeq, event.seq) };
}

/** The server's new state of a message with what the reader alone knows kept. */
function keepLocal(held: LocalMessage, message: Message): LocalMessage {
  return {
    ...message,
    // Events are shared by every member: they carry no one's own reactions.
    own_reactions: message.deleted_at == null ? (held.own_reactions ?? []) : [],
    status: held.status,
  };
}
