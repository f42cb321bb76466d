import type { QueuedSend } from '../queue/queue-store.js';
import type { TokenSource } from '../token-source.js';
import type { PendingUpload } from './queued-file.js';

/** What `onUploadProgress` gets: bytes uploaded of all the message's files, and each file. */
export interface UploadProgress {
  loaded: number;
  total: number;
  uploads: PendingUpload[];
}

/** What the uploader needs from the client. */
export interface UploaderOptions {
  baseUrl: string;
  apiKey: string | undefined;
  tokens(): TokenSource | null;
  /** Files of a queued item were uploaded (the item changed in place): save the queue. */
  save(): void;
  /** Takes a message whose send was cancelled out of the queue and off its channel. */
  cancel(item: QueuedSend): void;
}

/**
 * Uploads the files of queued messages before they are sent: one file at a time, each
 * once (an uploaded file is kept in the item as its attachment, so a retry or a reload
 * does not upload it again), telling progress to the channel and the caller.
 */
export class Uploader {
  private readonly watched = new Map<
    string,
    { progress: ((progress: UploadProgress) => void) | undefined; abort: AbortController }
  >();

  constructor(private readonly options: UploaderOptions) {}

  /**
   * Follows a queued message: `onProgress` hears of its uploads; aborting `signal` while
   * a file is still to be uploaded cancels the send (once every file is up, the message
   * itself may be on its way, and it is too late).
   */
  watch(
    item: QueuedSend,
    onProgress?: (progress: UploadProgress) => void,
    signal?: AbortSignal,
  ): void {
    const abort = new AbortController();
    this.watched.set(item.id, { progress: onProgress, abort });
    const cancel = () => {
      if (item.attachments!.every((f) => f.uploaded !== undefined)) return;
      abort.abort();
      this.forget(item.id);
      this.options.cancel(item);
    };
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
  }

  /** The message left the queue. */
  forget(id: string): void {
    this.watched.delete(id);
  }

  /**
   * Uploads the item's files not uploaded yet, telling `shown` each step. Throws a
   * ChatError: retryable when the network failed, permanent when the server refused a
   * file or the queue store could not keep its bytes (a reload past `maxOfflineFileBytes`).
   * The code that uploads is loaded on the first file, so apps that send none never load it.
   */
  async upload(item: QueuedSend, shown: (uploads: PendingUpload[]) => void): Promise<void> {
    const { uploadFiles } = await import('./upload-files.js');
    const watched = this.watched.get(item.id);
    await uploadFiles(item, {
      ...this.options,
      signal: watched?.abort.signal,
      shown,
      progress: (progress) => watched?.progress?.(progress),
    });
  }
}

/** What an aborted send rejects with. */
export const abortError = (): Error =>
  Object.assign(new Error('the send was cancelled'), { name: 'AbortError' });
