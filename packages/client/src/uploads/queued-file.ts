import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import type { Attachment } from '@parley/protocol';
import { invalid } from '../arguments.js';

/** A file of a queued message: its bytes until uploaded, then the server's attachment. */
export interface QueuedFile {
  name: string;
  /** The type the browser gave the file (the server decides from the bytes). */
  type: string;
  size: number;
  /** The bytes, until uploaded; absent when the queue store could not keep them. */
  blob?: Blob;
  /** The stored upload, once uploaded. */
  uploaded?: Attachment;
}

/** A file of a pending message as it shows: how much of it is uploaded. */
export interface PendingUpload extends QueuedFile {
  /** Bytes uploaded so far (`size` once uploaded). */
  loaded: number;
}

/** True for a Blob (a File is one); false for what a store without Blobs gave back. */
export const isBlob = (value: unknown): value is Blob =>
  typeof Blob !== 'undefined' && value instanceof Blob;

/** Checks `sendMessage`'s files: up to 10 Blobs or Files. */
export function queuedFiles(files: unknown): QueuedFile[] {
  const max = DEFAULT_LIMITS.maxAttachments;
  if (!Array.isArray(files) || files.length > max || !files.every(isBlob)) {
    throw invalid(`attachments: up to ${max} Files or Blobs`);
  }
  return files.map((blob: Blob) => ({
    name: (blob as Partial<File>).name ?? 'file',
    type: blob.type,
    size: blob.size,
    blob,
  }));
}

/** A queued message's files as its pending message shows them. */
export const pendingUploads = (files: readonly QueuedFile[]): PendingUpload[] =>
  files.map((f) => ({ ...f, loaded: f.uploaded === undefined ? 0 : f.size }));

/** The files to queue again from a pending message's uploads. */
export const filesOf = (uploads: readonly PendingUpload[]): QueuedFile[] =>
  uploads.map(({ loaded: _loaded, ...file }) => file);
