import type { Attachment } from '@parley/protocol';
import type { UploadRecord } from '../storage/storage.js';
import type { FileUrls } from './file-urls.js';

/** An upload on the wire, with freshly signed URLs. */
export function toAttachment(upload: UploadRecord, urls: FileUrls): Attachment {
  const attachment: Attachment = {
    id: upload.id,
    type: upload.type,
    mime: upload.mime,
    size: upload.size,
    name: upload.name,
    url: urls.sign(upload.id),
  };
  if (upload.width !== null) attachment.width = upload.width;
  if (upload.height !== null) attachment.height = upload.height;
  if (upload.thumbKey !== null) attachment.thumb_url = urls.sign(upload.id, 'thumb');
  return attachment;
}
