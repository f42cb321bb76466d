import { plainMessageFields } from '@parley/protocol/codes';
import type { User } from '@parley/protocol';
import type { QueuedSend } from '../queue/queue-store.js';
import { filesOf, pendingUploads } from '../uploads/queued-file.js';
import type { LocalMessage } from './message-list.js';

/** A queued send as shown until the server stores it: seq 0, the current user as author. */
export function pendingMessage(item: QueuedSend, author: User): LocalMessage {
  const at = new Date(item.createdAt).toISOString();
  return {
    id: item.id,
    cid: item.cid,
    seq: 0,
    type: 'regular',
    user_id: author.id,
    user: author,
    text: item.text,
    data: item.data ?? {},
    created_at: at,
    updated_at: at,
    ...plainMessageFields(),
    parent_id: item.parentId ?? null,
    show_in_channel: item.showInChannel === true,
    quoted_message_id: item.quotedMessageId ?? null,
    status: 'sending',
    ...(item.attachments === undefined ? {} : { uploads: pendingUploads(item.attachments) }),
  };
}

/** `pending` plus the queued items not shown yet (e.g. loaded from the store after a reload). */
export function withQueued(
  pending: readonly LocalMessage[],
  queued: readonly QueuedSend[],
  author: User,
): LocalMessage[] {
  const list = pending.slice();
  for (const item of queued) {
    if (!list.some((m) => m.id === item.id)) list.push(pendingMessage(item, author));
  }
  return list;
}

/** The queue item that sends a shown message (again, after it failed). */
export function queuedFrom(message: LocalMessage, userId: string): QueuedSend {
  return {
    cid: message.cid,
    id: message.id,
    text: message.text,
    data: message.data,
    createdAt: Date.parse(message.created_at),
    userId,
    ...(message.parent_id === null ? {} : { parentId: message.parent_id }),
    ...(message.show_in_channel ? { showInChannel: true } : {}),
    ...(message.quoted_message_id === null ? {} : { quotedMessageId: message.quoted_message_id }),
    ...(message.mentioned_users.length === 0
      ? {}
      : { mentionedUserIds: message.mentioned_users.map((u) => u.id) }),
    ...(message.uploads === undefined ? {} : { attachments: filesOf(message.uploads) }),
  };
}
