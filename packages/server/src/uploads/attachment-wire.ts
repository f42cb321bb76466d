import type { Attachment } from '@parley/protocol';
import type { AttachmentRecord, UploadRecord } from '../storage/storage.js';
import type { FileUrls } from './file-urls.js';

/** An upload on the wire, with freshly signed URLs. */
export function toAttachment(upload: UploadRecord, urls: FileUrls): Attachment {
  return toWireAttachment(
    {
      id: upload.id,
      type: upload.type,
      mime: upload.mime,
      size: upload.size,
      name: upload.name,
      width: upload.width,
      height: upload.height,
      thumb: upload.thumbKey !== null,
    },
    urls,
  );
}

/** A message's attachment on the wire, with freshly signed URLs. */
export function toWireAttachment(record: AttachmentRecord, urls: FileUrls): Attachment {
  const attachment: Attachment = {
    id: record.id,
    type: record.type,
    mime: record.mime,
    size: record.size,
    name: record.name,
    url: urls.sign(record.id),
  };
  if (record.width !== null) attachment.width = record.width;
  if (record.height !== null) attachment.height = record.height;
  if (record.thumb) attachment.thumb_url = urls.sign(record.id, 'thumb');
  return attachment;
}

/**
 * A stored event with its message's file URLs signed again: events keep the URLs of the
 * moment they were stored, which have expired by the time a client recovers them.
 */
export function withFreshUrls<T extends Record<string, unknown>>(payload: T, urls: FileUrls): T {
  const message = payload['message'] as { attachments?: Attachment[] } | undefined;
  const attachments = message?.attachments;
  if (attachments === undefined || attachments.length === 0) return payload;
  return {
    ...payload,
    message: {
      ...message,
      attachments: attachments.map((a) => ({
        ...a,
        url: urls.sign(a.id),
        ...(a.thumb_url === undefined ? {} : { thumb_url: urls.sign(a.id, 'thumb') }),
      })),
    },
  };
}
