import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import type { Message, Reaction } from '@parley/protocol';
import type { LocalMessage } from './message-list.js';

/** A change the user made to a message, shown before the server confirms it. */
export type MessageOp =
  | { kind: 'edit'; text?: string; data?: Record<string, unknown>; at: string }
  | { kind: 'delete'; at: string }
  | { kind: 'pin'; pinned: boolean; at: string; by: string }
  | { kind: 'react'; reaction: Reaction; enforceUnique: boolean }
  | { kind: 'unreact'; type: string; userId: string };

/** `message` as it looks with `op` applied. */
export function applyOp(message: LocalMessage, op: MessageOp): LocalMessage {
  switch (op.kind) {
    case 'edit': {
      const next = { ...message, edited_at: op.at };
      if (op.text !== undefined) next.text = op.text;
      if (op.data !== undefined) next.data = op.data;
      return next;
    }
    case 'delete':
      return {
        ...message,
        text: '',
        data: {},
        deleted_at: op.at,
        mentioned_users: [],
        reaction_counts: {},
        latest_reactions: [],
        own_reactions: [],
        pinned: false,
        pinned_at: null,
        pinned_by: null,
      };
    case 'pin':
      return op.pinned
        ? { ...message, pinned: true, pinned_at: op.at, pinned_by: op.by }
        : { ...message, pinned: false, pinned_at: null, pinned_by: null };
    case 'react': {
      const { reaction } = op;
      let next = message;
      if (op.enforceUnique) {
        for (const r of message.own_reactions) {
          if (r.type !== reaction.type) next = withoutOwn(next, r.type, r.user_id);
        }
      }
      if (next.own_reactions.some((r) => r.type === reaction.type)) return next;
      const counts = { ...next.reaction_counts };
      counts[reaction.type] = (counts[reaction.type] ?? 0) + 1;
      return {
        ...next,
        reaction_counts: counts,
        own_reactions: [reaction, ...next.own_reactions],
        latest_reactions: [reaction, ...next.latest_reactions].slice(
          0,
          DEFAULT_LIMITS.latestReactions,
        ),
      };
    }
    case 'unreact':
      return withoutOwn(message, op.type, op.userId);
  }
}

/** `message` without the user's reaction of `type`, counts included. */
function withoutOwn(message: LocalMessage, type: string, userId: string): LocalMessage {
  if (!message.own_reactions.some((r) => r.type === type)) return message;
  const counts = { ...message.reaction_counts };
  const left = (counts[type] ?? 1) - 1;
  if (left > 0) counts[type] = left;
  else delete counts[type];
  return {
    ...message,
    reaction_counts: counts,
    own_reactions: message.own_reactions.filter((r) => r.type !== type),
    latest_reactions: message.latest_reactions.filter(
      (r) => r.type !== type || r.user_id !== userId,
    ),
  };
}

/**
 * True when `base`, the server's state as this client knows it, shows an acknowledged op:
 * its event was applied (or none will come). `ack` is the message the server answered with.
 */
export function reflected(base: LocalMessage, op: MessageOp, ack: Message): boolean {
  switch (op.kind) {
    case 'react': {
      const own = base.own_reactions;
      const has = own.some((r) => r.type === op.reaction.type);
      return has && (!op.enforceUnique || own.length === 1);
    }
    case 'unreact':
      return !base.own_reactions.some((r) => r.type === op.type);
    case 'delete':
      return base.deleted_at != null;
    default:
      // Edits and pins move updated_at (server time): an event at least as new carries them.
      return base.deleted_at != null || base.updated_at >= ack.updated_at;
  }
}
