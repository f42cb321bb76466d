import { ChatError } from '@parley/protocol/codes';
import type { QueuedSend } from '../queue/queue-store.js';
import { isBlob, pendingUploads, type PendingUpload } from './queued-file.js';
import { postUpload } from './upload-request.js';
import type { UploaderOptions, UploadProgress } from './uploader.js';

/** What uploading one message's files needs. */
export interface UploadFilesOptions extends UploaderOptions {
  signal: AbortSignal | undefined;
  /** The pending message's files changed. */
  shown(uploads: PendingUpload[]): void;
  /** The caller's progress listener. */
  progress(progress: UploadProgress): void;
}

/**
 * Uploads a queued message's files not uploaded yet, one at a time; each uploaded file
 * keeps its attachment in the item (which is saved), so it is never uploaded again.
 */
export async function uploadFiles(item: QueuedSend, options: UploadFilesOptions): Promise<void> {
  const files = item.attachments ?? [];
  const uploads = pendingUploads(files);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const tell = () => {
    options.shown(uploads.slice());
    const loaded = uploads.reduce((sum, u) => sum + u.loaded, 0);
    options.progress({ loaded, total, uploads: uploads.slice() });
  };
  for (const [i, file] of files.entries()) {
    if (file.uploaded !== undefined) continue;
    if (!isBlob(file.blob)) {
      throw new ChatError(
        'invalid_request',
        `the file ${JSON.stringify(file.name)} was not kept while offline; attach it again`,
      );
    }
    const progress = (loaded: number) => {
      uploads[i] = { ...uploads[i]!, loaded: Math.min(loaded, file.size) };
      tell();
    };
    const form = new FormData();
    form.append('cid', item.cid);
    form.append('file', file.blob, file.name);
    file.uploaded = await post(form, progress, options);
    delete file.blob;
    uploads[i] = { ...file, loaded: file.size };
    tell();
    options.save();
  }
}

/** One `POST /uploads`; an expired token is replaced once through the provider. */
async function post(
  form: FormData,
  progress: (loaded: number) => void,
  options: UploadFilesOptions,
) {
  const tokens = options.tokens();
  if (tokens === null) throw new ChatError('network_error', 'the client disconnected');
  const once = async () => {
    const headers: Record<string, string> = { authorization: `Bearer ${await tokens.get()}` };
    if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
    const url = `${options.baseUrl}/uploads`;
    return postUpload({ url, headers, form, progress, signal: options.signal });
  };
  try {
    return await once();
  } catch (error) {
    if (!(error instanceof ChatError && error.code === 'token_expired' && tokens.refreshable)) {
      throw error;
    }
    tokens.expire();
    return await once();
  }
}
