import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import type { ChannelEvent, Message, QuotedMessage } from '@parley/protocol';
import type { ChannelModel } from './channel-state.js';
import type { LocalMessage } from './message-list.js';

type Event<T extends ChannelEvent['type']> = Extract<ChannelEvent, { type: T }>;
type ThreadUpdate = NonNullable<Event<'message.new'>['thread']>;

/*
 * Changes to messages already sent: edits, pins, deletes, reactions and thread counts.
 * Events carry the message's state after the change (counts, not increments), so applying
 * one twice, or after a state that already includes it, ends where it should. The same
 * changes apply to a channel's window, to open threads and to the server state kept under
 * optimistic changes (see pending-ops.ts).
 */

/** What an event does to one held message: the message after it, or null when it is gone. */
export interface MessageChange {
  id: string;
  change(held: LocalMessage): LocalMessage | null;
}

/** Whether a message is part of the channel's own history (not a reply kept in its thread). */
export function inChannel(message: Pick<Message, 'parent_id' | 'show_in_channel'>): boolean {
  // `== null`: a server from before threads sends no parent_id at all.
  return message.parent_id == null || message.show_in_channel === true;
}

/** The changes `event` makes to messages it names (not the new message of a `message.new`). */
export function messageChanges(event: ChannelEvent, me: string | null): MessageChange[] {
  const changes: MessageChange[] = [];
  switch (event.type) {
    case 'message.updated':
      changes.push({ id: event.message.id, change: (held) => keepLocal(held, event.message) });
      break;
    case 'message.deleted': {
      const { message, hard } = event;
      changes.push({ id: message.id, change: (held) => (hard ? null : keepLocal(held, message)) });
      break;
    }
    case 'reaction.new':
    case 'reaction.deleted':
      changes.push({ id: event.message_id, change: (held) => withReactionEvent(held, event, me) });
      break;
  }
  if ((event.type === 'message.new' || event.type === 'message.deleted') && event.thread) {
    const thread = event.thread;
    changes.push({ id: thread.parent_id, change: (held) => withThreadUpdate(held, thread) });
  }
  return changes;
}

/** The quote other messages show of a message after an edit or a delete; undefined for other events. */
export function quoteOf(
  event: ChannelEvent,
): { id: string; quote: QuotedMessage | null } | undefined {
  if (event.type !== 'message.updated' && event.type !== 'message.deleted') return undefined;
  const m = event.message;
  if (event.type === 'message.deleted' && event.hard) return { id: m.id, quote: null };
  const { id, cid, seq, type, user_id, user, text, created_at, deleted_at } = m;
  return { id, quote: { id, cid, seq, type, user_id, user, text, created_at, deleted_at } };
}

/** `held` showing `quote` in place of its quoted message, if it quotes it. */
export function withQuote(
  held: LocalMessage,
  quoted: { id: string; quote: QuotedMessage | null },
): LocalMessage {
  return held.quoted_message_id === quoted.id ? { ...held, quoted_message: quoted.quote } : held;
}

/** Applies `changes` (and the quote refresh) to a channel's window; unread counts follow deletes. */
export function withMessageChanges(
  state: ChannelModel,
  event: ChannelEvent,
  me: string | null,
): ChannelModel {
  let window = state.window;
  const held = event.type === 'message.deleted' ? window.find(event.message.id) : undefined;
  for (const { id, change } of messageChanges(event, me)) window = window.change(id, change);
  const quoted = quoteOf(event);
  if (quoted !== undefined) window = window.map((m) => withQuote(m, quoted));
  const next: ChannelModel = { ...state, window, lastSeq: Math.max(state.lastSeq, event.seq) };
  if (event.type === 'message.deleted') {
    // A deleted message no longer counts as unread (docs/protocol.md, read state).
    const { message } = event;
    const myRead = me === null ? undefined : state.read[me];
    const wasUnread =
      me !== null &&
      message.user_id !== me &&
      inChannel(message) &&
      (held === undefined || held.deleted_at == null) &&
      message.seq > (myRead?.last_read_seq ?? 0);
    if (wasUnread && next.unreadCount > 0) next.unreadCount--;
    if (wasUnread && held !== undefined && mentions(held, me) && next.unreadMentions > 0) {
      next.unreadMentions--;
    }
  }
  return next;
}

/** True when `message` mentions `me`. */
export function mentions(message: Pick<Message, 'mentioned_users'>, me: string | null): boolean {
  // `?? []`: a server from before mentions sends none.
  return me !== null && (message.mentioned_users ?? []).some((u) => u.id === me);
}

/** A thread's parent after a reply came or went. */
export function withThreadUpdate(parent: LocalMessage, thread: ThreadUpdate): LocalMessage {
  return {
    ...parent,
    reply_count: thread.reply_count,
    thread_participants: thread.thread_participants,
  };
}

/** A reaction added or removed: the message's counts and newest reactions, and own ones. */
export function withReactionEvent(
  held: LocalMessage,
  event: Event<'reaction.new'> | Event<'reaction.deleted'>,
  me: string | null,
): LocalMessage {
  const { reaction } = event;
  const added = event.type === 'reaction.new';
  const mine = held.own_reactions ?? [];
  const others = mine.filter((r) => r.type !== reaction.type);
  const latest = (held.latest_reactions ?? []).filter(
    (r) => r.user_id !== reaction.user_id || r.type !== reaction.type,
  );
  return {
    ...held,
    reaction_counts: event.reaction_counts,
    latest_reactions: added
      ? [reaction, ...latest].slice(0, DEFAULT_LIMITS.latestReactions)
      : latest,
    own_reactions: reaction.user_id !== me ? mine : added ? [reaction, ...others] : others,
  };
}

/** The server's new state of a message with what the reader alone knows kept. */
export function keepLocal(held: LocalMessage, message: Message): LocalMessage {
  return {
    ...message,
    // Events are shared by every member: they carry no one's own reactions.
    own_reactions: message.deleted_at == null ? (held.own_reactions ?? []) : [],
    status: held.status,
  };
}
