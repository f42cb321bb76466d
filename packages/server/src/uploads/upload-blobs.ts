import type { FastifyBaseLogger } from 'fastify';
import type { BlobStore } from '../blobs/blob-store.js';
import type { UploadRecord } from '../storage/storage.js';

/** The blob keys of uploads: each file, and its thumbnail if it has one. */
export function blobKeysOf(uploads: readonly UploadRecord[]): string[] {
  return uploads.flatMap((u) => (u.thumbKey === null ? [u.blobKey] : [u.blobKey, u.thumbKey]));
}

/**
 * Removes the blobs of uploads whose records are gone (deleted with their message or
 * channel, in a transaction that has committed). A failure is logged, never thrown: the
 * change it follows is done, and a blob without a record is never served, only wasted.
 */
export async function removeBlobsOf(
  blobs: BlobStore,
  uploads: readonly UploadRecord[],
  logger: FastifyBaseLogger,
): Promise<void> {
  const keys = blobKeysOf(uploads);
  if (keys.length === 0) return;
  try {
    await blobs.delete(keys);
  } catch (err) {
    logger.error({ err, keys }, 'could not remove the blobs of deleted files');
  }
}
