import {
  AttachmentRefusedError,
  InvalidReferenceError,
  MessageDeletedError,
  MessageNotFoundError,
  type StorageError,
} from '../storage-errors.js';
import type { AttachmentRecord, MessageRecord, NewMessage, UploadRecord } from '../storage.js';

// What decides whether a message of a batch may be stored, besides its channel and author.

/** What a parent or quote check needs of a message, stored or earlier in the batch. */
export type Linked = Pick<MessageRecord, 'id' | 'cid' | 'parentId' | 'deletedAt'>;

export function linkedOf(message: NewMessage): Linked {
  return { id: message.id, cid: message.cid, parentId: message.parentId ?? null, deletedAt: null };
}

/** Why a message's parent or quote cannot be one, or null when both are fine. */
export function checkLinks(
  message: NewMessage,
  find: (id: string) => Linked | undefined,
): StorageError | null {
  const links = [
    ['parent_id', message.parentId],
    ['quoted_message_id', message.quotedMessageId],
  ] as const;
  for (const [field, id] of links) {
    if (id === undefined || id === null) continue;
    const linked = find(id);
    if (linked === undefined) return new MessageNotFoundError(id);
    if (linked.cid !== message.cid) {
      return new InvalidReferenceError(id, field, 'the message is in another channel');
    }
    if (linked.deletedAt !== null) return new MessageDeletedError(id);
    if (field === 'parent_id' && linked.parentId !== null) {
      return new InvalidReferenceError(id, field, 'a reply cannot have replies of its own');
    }
  }
  return null;
}

/**
 * Why one of a message's attachments cannot be carried by it, or null when all can. An
 * upload a message takes must be the author's, for the message's channel, and free.
 */
export function checkAttachments(
  message: NewMessage,
  uploads: ReadonlyMap<string, UploadRecord>,
  taken: ReadonlySet<string>,
): StorageError | null {
  for (const id of message.attachmentIds ?? []) {
    const upload = uploads.get(id);
    if (upload === undefined) return new AttachmentRefusedError(id, 'not_found');
    if (upload.userId !== message.userId) return new AttachmentRefusedError(id, 'not_owned');
    if (upload.cid !== message.cid) return new AttachmentRefusedError(id, 'wrong_channel');
    if (upload.messageId !== null || taken.has(id)) {
      return new AttachmentRefusedError(id, 'in_use');
    }
  }
  return null;
}

/** What a message keeps of an upload. */
export function attachmentOf(upload: UploadRecord): AttachmentRecord {
  return {
    id: upload.id,
    type: upload.type,
    mime: upload.mime,
    size: upload.size,
    name: upload.name,
    width: upload.width,
    height: upload.height,
    thumb: upload.thumbKey !== null,
  };
}
