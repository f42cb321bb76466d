import type { QueuedFile } from '../uploads/queued-file.js';

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
  /** Its files, uploaded before it is sent. */
  attachments?: QueuedFile[];
}

/** Where the offline queue is kept between page loads. */
export interface QueueStore {
  /** Every item saved last, in send order. */
  load(): Promise<QueuedSend[]>;
  /** Replaces what is stored with `items`. */
  save(items: QueuedSend[]): Promise<void>;
}

/** Keeps only well-formed items from what a store held (it may come from an older version or be tampered with). */
export function validQueuedSends(value: unknown): QueuedSend[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item: Partial<QueuedSend> | null): item is QueuedSend =>
      typeof item === 'object' &&
      item !== null &&
      typeof item.cid === 'string' &&
      typeof item.id === 'string' &&
      typeof item.text === 'string' &&
      typeof item.createdAt === 'number',
  );
}
