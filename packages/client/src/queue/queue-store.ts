/** A message waiting to be sent. Its id is chosen before the first attempt, so resends never duplicate it. */
export interface QueuedSend {
  cid: string;
  id: string;
  text: string;
  data?: Record<string, unknown>;
  /** When the user sent it, in epoch ms. */
  createdAt: number;
  /** Who sent it. Items of another user are kept but not sent; items without it are sent as the connected user. */
  userId?: string;
  /** A reply in this message's thread. */
  parentId?: string;
  /** A reply also shown in the channel. */
  showInChannel?: boolean;
  /** The message it quotes. */
  quotedMessageId?: string;
  /** Users it mentions. */
  mentionedUserIds?: string[];
}

/** The WebSocket frame (without `req_id`) of a change to a stored message. */
export type ActionFrame =
  | {
      type: 'message.update';
      message_id: string;
      text?: string;
      data?: Record<string, unknown>;
      mentioned_users?: string[];
      pinned?: boolean;
    }
  | { type: 'message.delete'; message_id: string; hard?: boolean }
  | {
      type: 'reaction.send';
      message_id: string;
      reaction: { type: string; enforce_unique?: boolean };
    }
  | { type: 'reaction.delete'; message_id: string; reaction_type: string };

/**
 * A change to a stored message waiting to be sent: an edit, a delete, a pin or a reaction.
 * Each is idempotent on the server (the same change again changes nothing), so a resend
 * after a lost answer never applies it twice.
 */
export interface QueuedAction {
  kind: 'action';
  /** The action's own id (not the message's). */
  id: string;
  cid: string;
  frame: ActionFrame;
  /** When the user made the change, in epoch ms. */
  createdAt: number;
  /** Who made it; as for sends, items of another user wait. */
  userId?: string;
}

/** What the offline queue holds, in the order it sends them. */
export type QueuedItem = QueuedSend | QueuedAction;

/** True for a queued change to a message, false for a queued message. */
export const isAction = (item: QueuedItem): item is QueuedAction =>
  (item as QueuedAction).kind === 'action';

/** Where the offline queue is kept between page loads. */
export interface QueueStore {
  /** Every item saved last, in send order. */
  load(): Promise<QueuedItem[]>;
  /** Replaces what is stored with `items`. */
  save(items: QueuedItem[]): Promise<void>;
}

const ACTIONS = ['message.update', 'message.delete', 'reaction.send', 'reaction.delete'];

/** Keeps only well-formed items from what a store held (it may come from an older version or be tampered with). */
export function validQueuedItems(value: unknown): QueuedItem[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item: Partial<QueuedSend & QueuedAction> | null): item is QueuedItem => {
    if (typeof item !== 'object' || item === null) return false;
    if (
      typeof item.cid !== 'string' ||
      typeof item.id !== 'string' ||
      typeof item.createdAt !== 'number'
    ) {
      return false;
    }
    if (item.kind !== 'action') return typeof item.text === 'string';
    const frame = item.frame as Partial<ActionFrame> | undefined;
    return (
      typeof frame === 'object' &&
      frame !== null &&
      ACTIONS.includes(frame.type as string) &&
      typeof frame.message_id === 'string'
    );
  });
}
